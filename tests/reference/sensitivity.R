# Reference values for tests/test_sensitivity.py; run: Rscript tests/reference/sensitivity.R
# FSO: 55% (November) vs 32% (July) under assumed common n, prop.test without correction
# (its X-squared is the square of the pooled z statistic).
options(digits = 17)
for (n in c(100, 400, 1000)) {
  r <- prop.test(c(0.55 * n, 0.32 * n), c(n, n), correct = FALSE)
  cat(sprintf("n=%d X2=%.17g p=%.17g\n", n, r$statistic, r$p.value))
}
# unequal sizes: 110/200 vs 96/300
r <- prop.test(c(110, 96), c(200, 300), correct = FALSE)
cat(sprintf("n1=200 n2=300 X2=%.17g p=%.17g\n", r$statistic, r$p.value))
# design effect 2 with n = 400: effective n 200, counts 110 and 64
r <- prop.test(c(110, 64), c(200, 200), correct = FALSE)
cat(sprintf("n=400 deff=2 X2=%.17g p=%.17g\n", r$statistic, r$p.value))
