# Clopper-Pearson and Jeffreys intervals with fractional effective counts, as R survey's
# svyciprop(method = "beta") computes them (issue 12, item 7).
#
# svyciprop's "beta" branch (survey 4.x, printed with
#   deparse(survey:::svyciprop)):
#     n.eff <- coef(m) * (1 - coef(m)) / vcov(m)
#     n.eff <- n.eff * (qt(alpha/2, nrow(design) - 1) / qt(alpha/2, degf(design)))^2
#     ci <- c(qbeta(alpha/2, n.eff * rval, n.eff * (1 - rval) + 1),
#             qbeta(1 - alpha/2, n.eff * rval + 1, n.eff * (1 - rval)))
# so with x = p * n_eff the interval is qbeta(alpha/2, x, n_eff - x + 1) and
# qbeta(1 - alpha/2, x + 1, n_eff - x), fractional x and n_eff included.
# Part 1 evaluates that formula at n_eff = n / deff (p * n is a whole number of
# respondents; p * n / deff is not). Part 2 checks it against svyciprop
# itself on a design whose n_eff is fractional (a weighted sample, degf = n - 1, so the
# df factor is 1). Run:  Rscript tests/reference/fractional_counts.R > tests/reference/fractional_counts.out
suppressMessages(library(survey))
options(digits = 17)

cases <- data.frame(
  p = c(0.55, 0.55, 0.3, 0.05, 0.999, 0.551, 0.1),
  n = c(1600, 1600, 1000, 340, 2000, 1000, 10),
  deff = c(1.5, 2.3, 1, 1.7, 1.1, 1.37, 1.3),
  level = c(0.95, 0.9, 0.95, 0.99, 0.95, 0.95, 0.8)
)
cases$n_eff <- cases$n / cases$deff
cases$x <- cases$p * cases$n_eff
a <- 1 - cases$level
cases$cp_low <- qbeta(a / 2, cases$x, cases$n_eff - cases$x + 1)
cases$cp_high <- qbeta(1 - a / 2, cases$x + 1, cases$n_eff - cases$x)
cases$jeffreys_low <- qbeta(a / 2, cases$x + 0.5, cases$n_eff - cases$x + 0.5)
cases$jeffreys_high <- qbeta(1 - a / 2, cases$x + 0.5, cases$n_eff - cases$x + 0.5)
cat("# part 1: svyciprop's beta formula at n_eff = n / deff\n")
write.csv(cases[, c("p", "n", "deff", "level", "cp_low", "cp_high",
                    "jeffreys_low", "jeffreys_high")], stdout(), row.names = FALSE)

# part 2: svyciprop itself on a weighted sample
set.seed(12)
y <- rep(c(1, 0), c(13, 27))
w <- c(rep(c(1, 2.5), length.out = 13), rep(c(1.5, 1), length.out = 27))
des <- svydesign(ids = ~1, weights = ~w, data = data.frame(y = y, w = w))
ci <- svyciprop(~y, des, method = "beta")
m <- svymean(~y, des)
n_eff <- as.numeric(coef(m) * (1 - coef(m)) / vcov(m))
cat("# part 2: svyciprop(~y, des, method = 'beta') on 40 weighted rows\n")
write.csv(data.frame(p = as.numeric(coef(m)), n_eff = n_eff,
                     ci_low = as.numeric(confint(ci)[1]),
                     ci_high = as.numeric(confint(ci)[2])),
          stdout(), row.names = FALSE)
