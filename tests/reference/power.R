# Reference values for tests/test_power.py: R's power.prop.test (stats) and pwr.
# Run from the repository root:  Rscript tests/reference/power.R
# Writes tests/reference/power_r.csv (17 significant digits).
#
# power.prop.test finds n by uniroot with tol = .Machine$double.eps^0.25 (about 1e-4);
# we pass tol = 1e-12 so that its n is exact to 1e-9. pwr.2p.test takes no tol, so its
# n is recomputed here by uniroot(tol = 1e-12) on pwr.2p.test's own power function
# (column n_pwr_default keeps what pwr.2p.test itself returns).
suppressPackageStartupMessages(library(pwr))
rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(...)

pairs <- list(c(0.55, 0.32), c(0.37, 0.32), c(0.5, 0.4), c(0.1, 0.05), c(0.02, 0.01),
              c(0.9, 0.95), c(0.6, 0.5), c(0.25, 0.75))
ns <- c(10, 50, 100, 400, 1000, 2500.5)
alphas <- c(0.05, 0.01, 0.1)

for (pp in pairs) for (a in alphas) {
  p1 <- pp[1]; p2 <- pp[2]
  for (alt in c("two.sided", "one.sided")) {
    for (n in ns) {
      # power.prop.test(n = n, p1 = p1, p2 = p2, sig.level = a, alternative = alt)
      pw <- power.prop.test(n = n, p1 = p1, p2 = p2, sig.level = a, alternative = alt)$power
      add(source = "power.prop.test", quantity = "power", p1 = p1, p2 = p2, n = n,
          alpha = a, alternative = alt, target_power = NA, value = pw, n_pwr_default = NA)
    }
    for (power in c(0.5, 0.8, 0.9, 0.99)) {
      # power.prop.test(p1 = p1, p2 = p2, power = power, sig.level = a, alternative = alt,
      #                 tol = 1e-12)
      n <- power.prop.test(p1 = p1, p2 = p2, power = power, sig.level = a,
                           alternative = alt, tol = 1e-12)$n
      add(source = "power.prop.test", quantity = "n", p1 = p1, p2 = p2, n = NA,
          alpha = a, alternative = alt, target_power = power, value = n, n_pwr_default = NA)
    }
  }
  h <- ES.h(p1, p2)
  for (alt in c("two.sided", "greater", "less")) {
    for (n in ns) {
      # pwr.2p.test(h = ES.h(p1, p2), n = n, sig.level = a, alternative = alt)
      pw <- pwr.2p.test(h = h, n = n, sig.level = a, alternative = alt)$power
      add(source = "pwr.2p.test", quantity = "power", p1 = p1, p2 = p2, n = n,
          alpha = a, alternative = alt, target_power = NA, value = pw, n_pwr_default = NA)
    }
    if ((alt == "greater" && h <= 0) || (alt == "less" && h >= 0)) next
    for (power in c(0.5, 0.8, 0.9, 0.99)) {
      # pwr.2p.test(h = ES.h(p1, p2), power = power, sig.level = a, alternative = alt)$n,
      # and the same root to tol = 1e-12:
      f <- function(n) pwr.2p.test(h = h, n = n, sig.level = a, alternative = alt)$power - power
      n <- uniroot(f, c(2 + 1e-10, 1e9), tol = 1e-12)$root
      n_default <- pwr.2p.test(h = h, power = power, sig.level = a, alternative = alt)$n
      add(source = "pwr.2p.test", quantity = "n", p1 = p1, p2 = p2, n = NA,
          alpha = a, alternative = alt, target_power = power, value = n,
          n_pwr_default = n_default)
    }
  }
}

# Unequal sizes: pwr.2p2n.test(h = ES.h(p1, p2), n1 = n1, n2 = n2, sig.level = a,
#                              alternative = alt)
for (pp in pairs[1:4]) for (alt in c("two.sided", "greater", "less")) {
  for (nn in list(c(100, 300), c(1000, 400), c(37, 2000))) {
    pw <- pwr.2p2n.test(h = ES.h(pp[1], pp[2]), n1 = nn[1], n2 = nn[2], sig.level = 0.05,
                        alternative = alt)$power
    add(source = "pwr.2p2n.test", quantity = "power", p1 = pp[1], p2 = pp[2],
        n = nn[1], alpha = 0.05, alternative = alt, target_power = NA, value = pw,
        n_pwr_default = nn[2])
  }
}
out <- do.call(rbind, rows)
num <- vapply(out, is.numeric, TRUE)
out[num] <- lapply(out[num], function(x) ifelse(is.na(x), NA, sprintf("%.17g", x)))
write.csv(out, "tests/reference/power_r.csv", row.names = FALSE, na = "")
cat(R.version.string, "pwr", as.character(packageVersion("pwr")), "\n")
