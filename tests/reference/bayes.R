# Reference values for tests/test_bayes.py; run: Rscript tests/reference/bayes.R
# P(theta_after > theta_before) with Jeffreys priors, by adaptive quadrature, and the
# equal-tailed 95% interval of the difference by root finding on its CDF.
options(digits = 17)
post <- function(pb, nb, pa, na) {
  ab <- c(0.5 + pb * nb, 0.5 + (1 - pb) * nb); aa <- c(0.5 + pa * na, 0.5 + (1 - pa) * na)
  prob <- integrate(function(t) dbeta(t, aa[1], aa[2]) * pbeta(t, ab[1], ab[2]), 0, 1,
                    rel.tol = 1e-12, abs.tol = 1e-14)$value
  # P(after - before <= d) = int f_before(s) F_after(s + d) ds
  cdf <- function(d) integrate(function(s) dbeta(s, ab[1], ab[2]) * pbeta(pmin(pmax(s + d, 0), 1), aa[1], aa[2]),
                               0, 1, rel.tol = 1e-12, abs.tol = 1e-14)$value
  lo <- uniroot(function(d) cdf(d) - 0.025, c(-1, 1), tol = 1e-13)$root
  hi <- uniroot(function(d) cdf(d) - 0.975, c(-1, 1), tol = 1e-13)$root
  cat(sprintf("pb=%g nb=%g pa=%g na=%g prob=%.17g low=%.17g high=%.17g\n", pb, nb, pa, na, prob, lo, hi))
}
post(0.32, 30, 0.55, 30)
post(0.32, 100, 0.55, 100)
post(0.40, 500, 0.43, 800)
