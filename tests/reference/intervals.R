# Reference values for tests/test_proportion.py, test_difference.py, test_ratio.py,
# test_multinomial.py and test_within.py.
#
# Run from this directory:  Rscript intervals.R   (writes intervals_R.csv)
# (epitools' chisq.test warnings about small expected counts are harmless here.)
# R 4.x with base/stats, Hmisc and epitools. Where no installed R package implements a
# method, the published formula is written out below with its paper cited, and the
# bound is found with uniroot() (tol 1e-13): an implementation independent of
# surveykit's (different root finder; restricted MLEs found numerically, not by the
# closed forms surveykit uses).

suppressPackageStartupMessages({library(Hmisc); library(epitools)})
options(digits = 17)
TOL <- 1e-13
rows <- list()
add <- function(kind, method, x1, n1, x2, n2, level, ci, call) {
  rows[[length(rows) + 1]] <<- data.frame(kind = kind, method = method, x1 = x1, n1 = n1,
    x2 = x2, n2 = n2, confidence_level = level, ci_low = ci[1], ci_high = ci[2], call = call)
}
root <- function(f, lo, hi) tryCatch(uniroot(f, c(lo, hi), tol = TOL)$root,
  error = function(e) stop(sprintf("%s at [%g, %g]: %s", deparse(sys.call(-4))[1], lo, hi, conditionMessage(e))))

# ---------------------------------------------------------------- one proportion
one_cases <- list(c(0, 20), c(1, 29), c(5, 20), c(19, 38), c(81, 263), c(20, 20), c(1, 1),
                  c(0, 1), c(880, 1600), c(3, 10000), c(15, 148))
for (cs in one_cases) for (level in c(0.95, 0.8, 0.999)) {
  x <- cs[1]; n <- cs[2]; a <- 1 - level; z <- qnorm(1 - a / 2); p <- x / n
  add("proportion", "wilson", x, n, NA, NA, level,
      suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int),
      "prop.test(x, n, correct=FALSE)")
  # prop.test(correct=TRUE) shrinks the 1/2 correction toward the null p; a null far
  # from x/n keeps the full correction (Newcombe 1998a, method 4).
  p0 <- if (p < 0.5) 0.999 else 0.001
  if (n >= 2) add("proportion", "wilson-cc", x, n, NA, NA, level,
      suppressWarnings(prop.test(x, n, p = p0, conf.level = level, correct = TRUE)$conf.int),
      "prop.test(x, n, p=p0, correct=TRUE)")
  add("proportion", "clopper-pearson", x, n, NA, NA, level,
      binom.test(x, n, conf.level = level)$conf.int, "binom.test(x, n)")
  hm <- binconf(x, n, alpha = a, method = "asymptotic")
  add("proportion", "wald", x, n, NA, NA, level, pmin(pmax(hm[2:3], 0), 1),
      "Hmisc::binconf(method='asymptotic'), truncated to [0, 1]")
  # Jeffreys: Brown, Cai & DasGupta (2001), with the x = 0 / x = n modification
  jl <- if (x == 0) 0 else qbeta(a / 2, x + 0.5, n - x + 0.5)
  ju <- if (x == n) 1 else qbeta(1 - a / 2, x + 0.5, n - x + 0.5)
  add("proportion", "jeffreys", x, n, NA, NA, level, c(jl, ju), "qbeta(a/2, x+.5, n-x+.5)")
  # Agresti & Coull (1998)
  nt <- n + z^2; pt <- (x + z^2 / 2) / nt; h <- z * sqrt(pt * (1 - pt) / nt)
  add("proportion", "agresti-coull", x, n, NA, NA, level, c(max(0, pt - h), min(1, pt + h)),
      "Agresti-Coull formula")
  # mid-p (Lancaster 1961; Berry & Armitage 1995): P(X>x) + P(X=x)/2 = a/2, etc.
  midp <- function(q) pbinom(x, n, q, lower.tail = FALSE) + 0.5 * dbinom(x, n, q)
  ml <- if (x == 0) 0 else root(function(q) midp(q) - a / 2, 1e-300, 1)
  mu <- if (x == n) 1 else root(function(q) 1 - midp(q) - a / 2, 0, 1 - 1e-16)
  add("proportion", "mid-p", x, n, NA, NA, level, c(ml, mu), "uniroot on pbinom + dbinom/2")
  # likelihood ratio: 2 [l(p) - l(q)] = z^2
  ll <- function(q) sum(dbinom(x, n, q, log = TRUE))
  dev <- function(q) 2 * (ll(p) - ll(q)) - z^2
  lrl <- if (x == 0) 0 else root(dev, 1e-300, p)
  lru <- if (x == n) 1 else root(dev, p, 1 - 1e-16)
  add("proportion", "likelihood-ratio", x, n, NA, NA, level, c(lrl, lru),
      "uniroot on the binomial deviance")
  # logit (Vollset 1993); at 0 or n half a respondent is added to both cells
  if (x > 0 && x < n) {
    lam <- log(x / (n - x)); s <- sqrt(n / (x * (n - x)))
    add("proportion", "logit", x, n, NA, NA, level, plogis(lam + c(-1, 1) * z * s),
        "logit Wald formula")
  }
  # arcsine with Anscombe's 3/8 (as DescTools), angle kept in [0, pi/2]
  th <- asin(sqrt((x + 3 / 8) / (n + 3 / 4))); h <- z / (2 * sqrt(n))
  add("proportion", "arcsine", x, n, NA, NA, level,
      sin(pmin(pmax(th + c(-h, h), 0), pi / 2))^2, "arcsine formula")
}

# ---------------------------------------------------------------- difference p1 - p2
# restricted MLE of p2 under p1 - p2 = d, by maximising the likelihood numerically
mle_diff <- function(x1, n1, x2, n2, d) {
  lo <- max(0, -d); hi <- min(1, 1 - d)
  if (hi - lo < 1e-15) return(lo)
  nll <- function(q) -(dbinom(x1, n1, q + d, log = TRUE) + dbinom(x2, n2, q, log = TRUE))
  optimize(nll, c(lo, hi), tol = 1e-15)$minimum
}
score_diff <- function(x1, n1, x2, n2, d, mn) {
  if (x1 / n1 - x2 / n2 == d) return(0)
  q2 <- mle_diff(x1, n1, x2, n2, d); q1 <- q2 + d
  v <- q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2
  if (mn) v <- v * (n1 + n2) / (n1 + n2 - 1)
  (x1 / n1 - x2 / n2 - d) / sqrt(v)
}
wilson <- function(x, n, level, cc = FALSE) {
  if (!cc) return(suppressWarnings(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int))
  p0 <- if (x / n < 0.5) 0.999 else 0.001
  suppressWarnings(prop.test(x, n, p = p0, conf.level = level, correct = TRUE)$conf.int)
}
diff_cases <- list(c(56, 70, 48, 80), c(9, 10, 3, 10), c(10, 10, 0, 20), c(84, 101, 89, 105),
                   c(7, 34, 1, 34), c(246, 609, 122, 358), c(5, 5, 3, 3), c(880, 1600, 512, 1600),
                   c(0, 10, 0, 20), c(1, 25, 7, 30))
for (cs in diff_cases) for (level in c(0.95, 0.9, 0.99)) {
  x1 <- cs[1]; n1 <- cs[2]; x2 <- cs[3]; n2 <- cs[4]
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2; a <- 1 - level; z <- qnorm(1 - a / 2)
  clip <- function(ci) pmin(pmax(ci, -1), 1)
  add("difference", "wald", x1, n1, x2, n2, level,
      suppressWarnings(prop.test(c(x1, x2), c(n1, n2), conf.level = level, correct = FALSE)$conf.int),
      "prop.test(c(x1,x2), c(n1,n2), correct=FALSE)")
  half <- z * sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + 0.5 * (1 / n1 + 1 / n2)
  add("difference", "wald-cc", x1, n1, x2, n2, level, clip(d + c(-half, half)),
      "Newcombe (1998b) method 2")
  for (mn in c(TRUE, FALSE)) {
    f <- function(dd) score_diff(x1, n1, x2, n2, dd, mn)
    lo <- if (d <= -1 + 1e-12) -1 else
      if (f(-1 + 1e-10) < z) -1 else root(function(dd) f(dd) - z, -1 + 1e-10, d)
    hi <- if (d >= 1 - 1e-12) 1 else
      if (f(1 - 1e-10) > -z) 1 else root(function(dd) f(dd) + z, d, 1 - 1e-10)
    add("difference", if (mn) "miettinen-nurminen" else "mee", x1, n1, x2, n2, level,
        c(lo, hi), "uniroot on the score statistic, restricted MLE by optimize()")
  }
  for (cc in c(FALSE, TRUE)) {
    w1 <- wilson(x1, n1, level, cc); w2 <- wilson(x2, n2, level, cc)
    ci <- c(d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
    add("difference", if (cc) "newcombe-cc" else "newcombe", x1, n1, x2, n2, level, ci,
        "Newcombe (1998b) methods 10/11 from prop.test Wilson intervals")
  }
  t1 <- (x1 + 1) / (n1 + 2); t2 <- (x2 + 1) / (n2 + 2)
  h <- z * sqrt(t1 * (1 - t1) / (n1 + 2) + t2 * (1 - t2) / (n2 + 2))
  add("difference", "agresti-caffo", x1, n1, x2, n2, level, clip(t1 - t2 + c(-h, h)),
      "Agresti & Caffo (2000)")
  h <- 1 / (2 * min(n1, n2)) + z * sqrt(p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1))
  add("difference", "hauck-anderson", x1, n1, x2, n2, level, clip(d + c(-h, h)),
      "Hauck & Anderson (1986)")
  for (jp in c(FALSE, TRUE)) {
    psi <- if (jp) ((x1 + 0.5) / (n1 + 1) + (x2 + 0.5) / (n2 + 1)) / 2 else (p1 + p2) / 2
    u <- (1 / n1 + 1 / n2) / 4; v <- (1 / n1 - 1 / n2) / 4
    th <- (d + z^2 * v * (1 - 2 * psi)) / (1 + z^2 * u)
    w <- z / (1 + z^2 * u) * sqrt(max(0, u * (4 * psi * (1 - psi) - d^2) + 2 * v * (1 - 2 * psi) * d +
         4 * z^2 * u^2 * (1 - psi) * psi + z^2 * v^2 * (1 - 2 * psi)^2))
    add("difference", if (jp) "jeffreys-perks" else "haldane", x1, n1, x2, n2, level,
        clip(th + c(-w, w)), "Beal (1987) / Newcombe (1998b) methods 3-4")
  }
}

# ---------------------------------------------------------------- ratios
# restricted MLEs by numerical maximisation over p2
mle_ratio <- function(x1, n1, x2, n2, phi, odds) {
  p1of <- if (odds) function(q) phi * q / (1 - q + phi * q) else function(q) phi * q
  hi <- if (odds) 1 else min(1, 1 / phi)
  nll <- function(q) -(dbinom(x1, n1, p1of(q), log = TRUE) + dbinom(x2, n2, q, log = TRUE))
  q2 <- optimize(nll, c(0, hi), tol = 1e-15)$minimum
  c(p1of(q2), q2)
}
stat_ratio <- function(x1, n1, x2, n2, phi, kind) {
  odds <- kind == "or-mn"
  m <- mle_ratio(x1, n1, x2, n2, phi, odds); q1 <- m[1]; q2 <- m[2]; N <- n1 + n2
  if (kind == "koopman") {
    chi <- (x1 - n1 * q1)^2 / (n1 * q1 * (1 - q1)) + (x2 - n2 * q2)^2 / (n2 * q2 * (1 - q2))
    return(sign(x1 / n1 - phi * x2 / n2) * sqrt(chi))
  }
  if (kind == "rr-mn") {
    num <- x1 / n1 - phi * x2 / n2
    return(num / sqrt((q1 * (1 - q1) / n1 + phi^2 * q2 * (1 - q2) / n2) * N / (N - 1)))
  }
  num <- x1 - n1 * q1
  sign(num) * sqrt(num^2 * (1 / (n1 * q1 * (1 - q1)) + 1 / (n2 * q2 * (1 - q2))) * (N - 1) / N)
}
ratio_cases <- list(c(7, 34, 1, 34), c(56, 70, 48, 80), c(246, 609, 122, 358), c(9, 10, 3, 10),
                    c(880, 1600, 512, 1600), c(1, 20, 5, 25))
for (cs in ratio_cases) for (level in c(0.95, 0.9)) {
  x1 <- cs[1]; n1 <- cs[2]; x2 <- cs[3]; n2 <- cs[4]; a <- 1 - level; z <- qnorm(1 - a / 2)
  for (kind in c("koopman", "rr-mn", "or-mn")) {
    est <- if (kind == "or-mn") (x1 / (n1 - x1)) / (x2 / (n2 - x2)) else (x1 / n1) / (x2 / n2)
    f <- function(t) stat_ratio(x1, n1, x2, n2, exp(t), kind)
    lo <- exp(root(function(t) f(t) - z, log(est) - 12, log(est)))
    hi <- exp(root(function(t) f(t) + z, log(est), log(est) + 12))
    method <- c(koopman = "koopman", `rr-mn` = "miettinen-nurminen", `or-mn` = "miettinen-nurminen")[kind]
    measure <- if (kind == "or-mn") "odds-ratio" else "risk-ratio"
    add(measure, method, x1, n1, x2, n2, level, c(lo, hi),
        "uniroot on log scale; restricted MLE by optimize()")
  }
  # epitools orders rows as (reference, exposed): group 2 first
  tab <- matrix(c(n2 - x2, x2, n1 - x1, x1), 2, byrow = TRUE)
  rr <- riskratio.wald(tab, conf.level = level, correction = FALSE)$measure[2, 2:3]
  add("risk-ratio", "katz", x1, n1, x2, n2, level, rr, "epitools::riskratio.wald")
  or <- oddsratio.wald(tab, conf.level = level, correction = FALSE)$measure[2, 2:3]
  add("odds-ratio", "woolf", x1, n1, x2, n2, level, or, "epitools::oddsratio.wald")
  ce <- log((x1 + .5) / (n1 + .5)) - log((x2 + .5) / (n2 + .5))
  se <- sqrt(1 / (x1 + .5) - 1 / (n1 + .5) + 1 / (x2 + .5) - 1 / (n2 + .5))
  add("risk-ratio", "adjusted-log", x1, n1, x2, n2, level, exp(ce + c(-1, 1) * z * se),
      "Fagerland et al. (2015) adjusted log")
  cells <- c(x1, n1 - x1, x2, n2 - x2) + 0.5
  ce <- log(cells[1] * cells[4] / (cells[2] * cells[3])); se <- sqrt(sum(1 / cells))
  add("odds-ratio", "adjusted-woolf", x1, n1, x2, n2, level, exp(ce + c(-1, 1) * z * se),
      "Gart (1966) adjusted Woolf")
}

# ---------------------------------------------------------------- multinomial
multi_cases <- list(c(91, 49, 37, 43), c(56, 72, 73, 59, 62, 87, 58), c(880, 400, 320), c(0, 3, 7))
for (cs in multi_cases) for (level in c(0.95, 0.9)) {
  n <- sum(cs); k <- length(cs)
  for (method in c("goodman", "quesenberry-hurst")) {
    A <- if (method == "goodman") qchisq(1 - (1 - level) / k, 1) else qchisq(level, k - 1)
    for (i in seq_along(cs)) {
      x <- cs[i]; r <- sqrt(A * (A + 4 * x * (n - x) / n))
      add("multinomial", method, x, n, i - 1, k, level, c(A + 2 * x - r, A + 2 * x + r) / (2 * (n + A)),
          paste0(method, " formula, counts ", paste(cs, collapse = ";")))
    }
  }
}

# ---------------------------------------------------------------- option difference (Tango)
# Tango (1998) score interval for p_a - p_b among the same n respondents (cells a, b and
# the rest): restricted MLE of p_b under p_a - p_b = d by optimize(), then uniroot.
tango <- function(xa, xb, n, d) {
  lo <- max(0, -d); hi <- (1 - d) / 2
  nll <- function(q) -(xa * log(q + d) + xb * log(q) + (n - xa - xb) * log(1 - 2 * q - d))
  nll0 <- function(q) { v <- nll(q); if (is.nan(v)) Inf else v }
  q <- if (hi - lo < 1e-15) lo else optimize(nll0, c(lo, hi), tol = 1e-15)$minimum
  (xa - xb - n * d) / sqrt(n * (2 * q + d * (1 - d)))
}
tango_cases <- list(c(880, 400, 1600), c(55, 25, 100), c(12, 10, 40), c(30, 0, 50), c(5, 5, 10),
                    c(45, 44, 100))
for (cs in tango_cases) for (level in c(0.95, 0.8)) {
  xa <- cs[1]; xb <- cs[2]; n <- cs[3]; z <- qnorm(1 - (1 - level) / 2); d <- (xa - xb) / n
  f <- function(t) tango(xa, xb, n, t)
  lo <- root(function(t) f(t) - z, -1 + 1e-12, d)
  hi <- root(function(t) f(t) + z, d, 1 - 1e-12)
  add("option-difference", "score", xa, n, xb, n, level, c(lo, hi),
      "Tango (1998), restricted MLE by optimize(), bounds by uniroot")
}

out <- do.call(rbind, rows)
for (col in c("confidence_level", "ci_low", "ci_high")) out[[col]] <- sprintf("%.17g", out[[col]])
write.csv(out, "intervals_R.csv", row.names = FALSE)
cat(R.version.string, "\n", nrow(out), "rows written to intervals_R.csv\n")
