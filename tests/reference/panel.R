# Reference values for tests/test_panel.py; run: Rscript tests/reference/panel.R
# McNemar: rows = before (yes, no), columns = after (yes, no);
# lost = before yes & after no, gained = before no & after yes.
options(digits = 17)
cases <- list(c(27, 4), c(10, 3), c(5, 5), c(0, 7), c(40, 25), c(1, 0))
for (gl in cases) {
  g <- gl[1]; l <- gl[2]
  tab <- matrix(c(20, g, l, 49), 2)  # [1,2] = l (yes->no), [2,1] = g (no->yes)
  m0 <- mcnemar.test(tab, correct = FALSE)
  m1 <- mcnemar.test(tab, correct = TRUE)
  b2 <- binom.test(g, g + l, 0.5)$p.value
  bg <- binom.test(g, g + l, 0.5, alternative = "greater")$p.value
  bl <- binom.test(g, g + l, 0.5, alternative = "less")$p.value
  cat(sprintf("g=%d l=%d X2=%.17g p=%.17g X2c=%.17g pc=%.17g exact2=%.17g greater=%.17g less=%.17g\n",
              g, l, m0$statistic, m0$p.value, m1$statistic, m1$p.value, b2, bg, bl))
}
# Paired Wald variance of the change for a full panel (n = 100, 2 x 2 table above for
# g = 27, l = 4; after yes = 20 + 27 + ... ) computed from the cells:
n11 <- 28; n10 <- 4; n01 <- 27; n00 <- 41; n <- n11 + n10 + n01 + n00
pb <- (n11 + n10) / n; pa <- (n11 + n01) / n
phi <- (n11 * n00 - n10 * n01) / sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00))
cat(sprintf("pb=%.17g pa=%.17g phi=%.17g var=%.17g\n", pb, pa, phi,
            (n10 + n01 - (n01 - n10)^2 / n) / n^2))
