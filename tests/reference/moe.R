# Reference values for tests/test_moe.py; run: Rscript tests/reference/moe.R
options(digits = 17)
z <- qnorm(0.975)
cat("n_from_moe(0.034)                =", z^2 * 0.25 / 0.034^2, "\n")
cat("n_from_moe(0.03, p=0.3, cl=0.9, deff=1.5) =", 1.5 * qnorm(0.95)^2 * 0.3 * 0.7 / 0.03^2, "\n")
cat("implied_deff(0.034, 1600)        =", 1600 * 0.034^2 / (z^2 * 0.25), "\n")
cat("implied_deff(0.02, 2500, p=0.4, cl=0.99) =", 2500 * 0.02^2 / (qnorm(0.995)^2 * 0.4 * 0.6), "\n")
