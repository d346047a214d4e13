# Reference for the within-poll (multinomial) variance of a lead, tests/test_sensitivity.py.
# Exact variance of (x_a - x_b) / n by enumerating every multinomial outcome (dmultinom),
# for n = 30 respondents choosing talks (0.55), continue (0.25) or neither (0.20).
options(digits = 17)
n <- 30; p <- c(0.55, 0.25, 0.20)
m1 <- 0; m2 <- 0
for (a in 0:n) for (b in 0:(n - a)) {
  pr <- dmultinom(c(a, b, n - a - b), prob = p)
  d <- (a - b) / n
  m1 <- m1 + pr * d; m2 <- m2 + pr * d^2
}
cat("mean", m1, "\n")
cat("var", m2 - m1^2, "\n")
cat("moe of the lead at n = 1600, 95%:", qnorm(0.975) * sqrt((0.8 - 0.3^2) / 1600), "\n")
