# Reference values for tests/series/: the local-level model with house effects
# (Jackman 2005) solved directly, as a dense linear mixed model, with no Kalman filter.
# Run from the repository root:  Rscript tests/reference/poll_trend.R
# Writes tests/reference/poll_trend_R.csv (columns case, kind, key, estimate, se).
#
# Model on days t = 0..T-1: mu_t = mu_r + sum of increments eta_s ~ N(0, sigma^2) between
# the reference day r and t (r = the first anchor, or day 0 with mu_0 a flat fixed
# effect); poll i: y_i = mu_{t_i} + delta_{h_i} + e_i, e_i ~ N(0, v_i); house effects
# delta = basis %*% beta_h with flat beta_h (basis: orthonormal sum-zero contrasts, a
# reference house dropped, or the identity with anchors). Anchors after the first are
# observations with zero variance.
#   V = sigma^2 L L' + diag(v)                                      (marginal covariance)
#   REML(sigma) = -1/2 [(N - p) log 2 pi + log|V| + log|X'V^-1 X| - log|X'X| + r'V^-1 r]
#   (Harville 1974: invariant to how the level and the house effects are parametrised)
#   beta = (X'V^-1X)^-1 X'V^-1 (y - offset)                          (GLS)
#   BLUP of x0'beta + z0'eta and its mean squared error (Henderson):
#   g = sigma^2 L z0;  mse = sigma^2 z0'z0 - g'V^-1 g + u'(X'V^-1X)^-1 u, u = x0 - X'V^-1 g
# sigma maximises REML: the root of its exact score (uniroot on log sigma), cross-checked
# with optimize().
options(digits = 17)
suppressMessages(library(pscl))

helmert <- function(k) {
  b <- matrix(0, k, k - 1)
  for (j in seq_len(k - 1)) {
    b[1:j, j] <- 1; b[j + 1, j] <- -j; b[, j] <- b[, j] / sqrt(j * (j + 1))
  }
  b
}

# rows of L for days t (relative to reference day r) over increments into days 1..T-1
lrows <- function(t, r, T) {
  s <- seq_len(T - 1)
  t(sapply(t, function(d) (s > r & s <= d) * 1 - (s > d & s <= r) * 1))
}

setup <- function(day, house, y, v, T, basis, anchor_day = integer(0), anchor_value = numeric(0)) {
  k <- ncol(basis)
  anchored <- length(anchor_day) > 0
  r <- if (anchored) anchor_day[1] else 0
  H <- diag(nrow(basis))[house, , drop = FALSE] %*% basis
  rest <- seq_along(anchor_day)[-1]
  L <- rbind(lrows(day, r, T), if (length(rest)) lrows(anchor_day[rest], r, T))
  X <- rbind(H, matrix(0, length(rest), k))
  if (!anchored) X <- cbind(1, X)
  off <- if (anchored) anchor_value[1] else 0
  list(yy = c(y, anchor_value[rest]) - off, vv = c(v, rep(0, length(rest))), L = L, X = X,
       off = off, anchored = anchored, r = r, T = T, basis = basis, n = length(y))
}

reml_parts <- function(m, sigma) {
  V <- sigma^2 * tcrossprod(m$L) + diag(m$vv)
  Vi <- solve(V)
  XtViX <- crossprod(m$X, Vi %*% m$X)
  beta <- solve(XtViX, crossprod(m$X, Vi %*% m$yy))
  res <- m$yy - m$X %*% beta
  P <- Vi - Vi %*% m$X %*% solve(XtViX, crossprod(m$X, Vi))
  ll <- -0.5 * ((length(m$yy) - ncol(m$X)) * log(2 * pi) +
                determinant(V)$modulus + determinant(XtViX)$modulus -
                determinant(crossprod(m$X))$modulus + sum(res * (Vi %*% res)))
  list(V = V, Vi = Vi, XtViX = XtViX, beta = beta, P = P, loglik = as.numeric(ll))
}

reml_score <- function(m, log_sigma) {  # d REML / d log sigma
  s2 <- exp(2 * log_sigma)
  q <- reml_parts(m, sqrt(s2))
  LL <- tcrossprod(m$L)
  Py <- q$P %*% m$yy
  -0.5 * (sum(q$P * LL) - sum(Py * (LL %*% Py))) * 2 * s2
}

estimate_sigma <- function(m, lower = 1e-5, upper = 0.3) {
  root <- uniroot(function(x) reml_score(m, x), log(c(lower, upper)), tol = 1e-15)$root
  opt <- optimize(function(x) reml_parts(m, exp(x))$loglik, log(c(lower, upper)),
                  maximum = TRUE, tol = 1e-12)
  stopifnot(abs(opt$maximum - root) < 1e-5)
  exp(root)
}

# BLUP and mse of targets x0'beta + z0'eta (columns of x0 and z0 are targets)
blup <- function(m, q, sigma, x0, z0) {
  g <- sigma^2 * m$L %*% z0
  est <- crossprod(x0, q$beta) + crossprod(g, q$Vi %*% (m$yy - m$X %*% q$beta))
  u <- x0 - crossprod(m$X, q$Vi %*% g)
  mse <- sigma^2 * colSums(z0^2) - colSums(g * (q$Vi %*% g)) + colSums(u * solve(q$XtViX, u))
  list(estimate = as.numeric(est), se = sqrt(mse))
}

level_x <- function(m, n) {  # x0 columns picking the level mu_r (zero house part)
  x0 <- matrix(0, ncol(m$X), n)
  if (!m$anchored) x0[1, ] <- 1
  x0
}

out <- list()
emit <- function(case, kind, key, estimate, se = NA) {
  out[[length(out) + 1]] <<- data.frame(case = case, kind = kind, key = as.character(key),
                                        estimate = estimate, se = se)
}

fit_case <- function(case, dates, org, y, v, start, T, basis, houses, ids,
                     anchor_day = integer(0), anchor_value = numeric(0), sigma = NULL,
                     emit_days = seq_len(T) - 1) {
  day <- as.integer(dates - start)
  m <- setup(day, match(org, houses), y, v, T, basis, anchor_day, anchor_value)
  if (is.null(sigma)) sigma <- estimate_sigma(m)
  q <- reml_parts(m, sigma)
  emit(case, "sigma", "", sigma)
  emit(case, "loglik", "", q$loglik)
  # the trend on every day
  tr <- blup(m, q, sigma, level_x(m, length(emit_days)), t(lrows(emit_days, m$r, T)))
  tr$se[emit_days %in% anchor_day] <- 0  # known exactly (R's mse there is rounding noise)
  emit(case, "trend", format(start + emit_days), tr$estimate + m$off, tr$se)
  # house effects
  k <- ncol(basis); p <- ncol(m$X)
  hx <- matrix(0, p, nrow(basis)); hx[(p - k + 1):p, ] <- t(basis)
  he <- blup(m, q, sigma, hx, matrix(0, T - 1, nrow(basis)))
  emit(case, "house", houses, he$estimate, he$se)
  # residuals: e = v * P (y - offset); Var(e_i) = v_i^2 P_ii
  e <- m$vv * (q$P %*% m$yy)
  idx <- seq_len(m$n)
  emit(case, "residual", ids, e[idx], sqrt(m$vv[idx]^2 * diag(q$P)[idx]))
  list(m = m, q = q, sigma = sigma, houses = houses, start = start)
}

# ---- Australia 2004-2007 (pscl), ALP first preferences --------------------------------
data(AustralianElectionPolling)
a <- AustralianElectionPolling
slug <- c("Galaxy" = "galaxy", "Morgan, F2F" = "morgan-f2f", "Newspoll" = "newspoll",
          "Nielsen" = "nielsen", "Morgan, Phone" = "morgan-phone")
ids <- paste(slug[as.character(a$org)], format(a$startDate), sep = "-")
ids[duplicated(ids)] <- paste0(ids[duplicated(ids)], "-b")
mid <- a$startDate + floor(as.numeric(a$endDate - a$startDate) / 2)
org <- as.character(a$org)
houses <- sort(unique(org), method = "radix")
p <- a$ALP / 100
v <- p * (1 - p) / a$sampleSize  # pscl's sizes, 1450.543 for four unpublished ones
start <- min(mid); T <- as.integer(max(mid) - start) + 1

invisible(fit_case("aus_sumzero", mid, org, p, v, start, T, helmert(5), houses, ids))
invisible(fit_case("aus_reference", mid, org, p, v, start, T,
         diag(5)[, -match("Newspoll", houses)], houses, ids, sigma = 0.003))

elections <- as.Date(c("2004-10-09", "2007-11-24"))
astart <- elections[1]; aT <- as.integer(elections[2] - astart) + 1
invisible(fit_case("aus_anchored", mid, org, p, v, astart, aT, diag(5), houses, ids,
         anchor_day = as.integer(elections - astart), anchor_value = c(0.3764, 0.4338)))

g <- a$Green > 0  # 0 = not reported
pg <- a$Green[g] / 100
vg <- (pg * (1 - pg) / a$sampleSize[g]) / (pg * (1 - pg))^2  # logit scale (delta method)
gstart <- min(mid[g]); gT <- as.integer(max(mid[g]) - gstart) + 1
invisible(fit_case("aus_greens_logit", mid[g], org[g], qlogis(pg), vg, gstart, gT, helmert(5), houses,
         ids[g]))

# ---- Russia: peace talks, Levada Center and Russian Field ------------------------------
r <- read.csv("tests/reference/data/russia_war_polls.csv", stringsAsFactors = FALSE)  # frozen copy
r <- r[r$pollster %in% c("Levada Center", "Russian Field") & r$option == "start peace talks", ]
first_day <- function(s) as.Date(ifelse(nchar(s) == 7, paste0(s, "-01"), s))
last_day <- function(s) {
  d <- first_day(s)
  month_end <- as.Date(sapply(d, function(x) seq(x, by = "month", length.out = 2)[2] - 1),
                       origin = "1970-01-01")
  as.Date(ifelse(nchar(s) == 7, month_end, d), origin = "1970-01-01")
}
rs <- first_day(r$fieldwork_start); re <- last_day(r$fieldwork_end)
rmid <- rs + floor(as.numeric(re - rs) / 2)
rp <- r$share_pct / 100
rn <- ifelse(is.na(r$n), 1600, r$n)  # Levada's unpublished sizes assumed to be 1,600
rv <- rp * (1 - rp) / rn
rhouses <- sort(unique(r$pollster), method = "radix")
# the grid starts on 2022-07-16, the midpoint of the FSO's July poll (checked below),
# 13 days before the first fitted poll: empty days at the ends change neither sigma,
# the likelihood nor the smoother.
fso_jul <- as.Date("2022-07-16"); fso_nov <- as.Date("2022-11-15")
rstart <- fso_jul; rT <- as.integer(max(rmid) - rstart) + 1
f <- fit_case("russia_talks", rmid, r$pollster, rp, rv, rstart, rT, helmert(2), rhouses,
              r$poll_id, emit_days = seq(as.integer(min(rmid) - rstart), rT - 1))

# where the FSO's November 55% sits: trend that day, house-effect spread, prediction
m <- f$m; q <- f$q; s <- f$sigma
tn <- as.integer(fso_nov - rstart); tj <- as.integer(fso_jul - rstart)
xk <- level_x(m, 1); xk[ncol(m$X), 1] <- colMeans(helmert(2))  # mean house effect (0 here)
tr_nov <- blup(m, q, s, level_x(m, 1), t(lrows(tn, m$r, rT)))
tr_nov_mean <- blup(m, q, s, xk, t(lrows(tn, m$r, rT)))
bh <- q$beta[2]; ch <- solve(q$XtViX)[2, 2]
delta <- as.numeric(helmert(2) * bh); cdelta <- helmert(2) %*% t(helmert(2)) * ch
M <- diag(2) - 1 / 2
tau2 <- max(0, (sum((delta - mean(delta))^2) - sum(diag(M %*% cdelta %*% M))) / (2 - 1))
emit("russia_talks", "check_trend", "2022-11-15", tr_nov$estimate, tr_nov$se)
emit("russia_talks", "check_expected", "2022-11-15", tr_nov_mean$estimate, tr_nov_mean$se)
emit("russia_talks", "house_sd", "", sqrt(tau2))
for (n in c(400, 1000, 1600, 3000)) {
  sd <- sqrt(tr_nov_mean$se^2 + tau2 + 0.55 * 0.45 / n)
  zz <- (0.55 - tr_nov_mean$estimate) / sd
  emit("russia_talks", "check_statistic", n, zz, sd)
  emit("russia_talks", "check_pvalue", n, 2 * pnorm(-abs(zz)))
}
# the FSO's change July (32%) -> November (55%) against the trend's change
chg <- blup(m, q, s, matrix(0, ncol(m$X), 1),
            t(lrows(tn, m$r, rT)) - t(lrows(tj, m$r, rT)))
emit("russia_talks", "trend_change", "2022-07-16/2022-11-15", chg$estimate, chg$se)
for (n in c(400, 1000, 1600, 3000)) {
  sd <- sqrt(chg$se^2 + 0.32 * 0.68 / n + 0.55 * 0.45 / n)
  d <- (0.55 - 0.32) - chg$estimate
  emit("russia_talks", "change_statistic", n, d / sd, sd)
  emit("russia_talks", "change_pvalue", n, 2 * pnorm(-abs(d / sd)))
}

res <- do.call(rbind, out)
res$estimate <- sprintf("%.17g", res$estimate)
res$se <- ifelse(is.na(res$se), "", sprintf("%.17g", res$se))
write.csv(res, "tests/reference/poll_trend_R.csv", row.names = FALSE, na = "")
cat(nrow(res), "rows written to tests/reference/poll_trend_R.csv\n")
