# Reference values for tests/test_critical.py; run: Rscript tests/reference/critical.R
# Closed-form critical n of the z-tests, ceiling(qnorm(1 - a/2)^2 * v * D / d^2), and
# the p-values of prop.test(correct = FALSE) just below and at it (pooled z-test).
options(digits = 17)
crit <- function(p1, p2, v, D = 1, a = 0.05, tails = 2) {
  ceiling(qnorm(1 - a / tails)^2 * v * D / (p1 - p2)^2)
}
pooled <- function(p1, p2, r = 1) { pb <- (p1 + r * p2) / (1 + r); pb * (1 - pb) * (1 + 1 / r) }
unpooled <- function(p1, p2, r = 1) p1 * (1 - p1) + p2 * (1 - p2) / r
zp <- function(p1, p2, n1, n2) {
  pb <- (p1 * n1 + p2 * n2) / (n1 + n2); (p1 - p2) / sqrt(pb * (1 - pb) * (1 / n1 + 1 / n2))
}
cat("pooled 0.55 0.32          ", crit(0.55, 0.32, pooled(0.55, 0.32)), "\n")
cat("pooled 0.55 0.32 D=2      ", crit(0.55, 0.32, pooled(0.55, 0.32), D = 2), "\n")
cat("unpooled 0.55 0.32        ", crit(0.55, 0.32, unpooled(0.55, 0.32)), "\n")
cat("pooled 0.55 0.32 r=2      ", crit(0.55, 0.32, pooled(0.55, 0.32, 2)), "\n")
cat("pooled 0.51 0.48 a=0.01   ", crit(0.51, 0.48, pooled(0.51, 0.48), a = 0.01), "\n")
cat("pooled 0.55 0.32 one-sided", crit(0.55, 0.32, pooled(0.55, 0.32), tails = 1), "\n")
cat("within wald 0.55 0.25     ", crit(0.55, 0.25, 0.8 - 0.3^2), "\n")
cat("within score 0.55 0.25    ", crit(0.55, 0.25, 0.8), "\n")
# p-values at n = 36 and 35 (counts 19.8/11.52 are not whole: the z formula, not prop.test)
cat("pooled p at 35", 2 * pnorm(-zp(0.55, 0.32, 35, 35)), "\n")
cat("pooled p at 36", 2 * pnorm(-zp(0.55, 0.32, 36, 36)), "\n")
# critical design effect with n1 = n2 = 400: n d^2 / (z^2 v)
cat("critical deff pooled n=400", 400 * 0.23^2 / (qnorm(0.975)^2 * pooled(0.55, 0.32)), "\n")
cat("critical deff within wald n=400", 400 * 0.3^2 / (qnorm(0.975)^2 * (0.8 - 0.09)), "\n")
# Fisher's exact test at the critical n found by the search (n = 47: 26/47 vs 15/47)
cat("fisher 26/47 vs 15/47", fisher.test(matrix(c(26, 21, 15, 32), 2))$p.value, "\n")
cat("fisher 25/46 vs 15/46", fisher.test(matrix(c(25, 21, 15, 31), 2))$p.value, "\n")
