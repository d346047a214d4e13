# Reference p-values for surveykit.two_proportion_test, from base R's stats package.
# Run from the repository root:  Rscript tests/reference/two_proportion_tests.R
# Writes tests/reference/two_proportion_tests_r.csv (17 significant digits).
#
#   z-pooled          prop.test(x, n, correct = FALSE, alternative = ...)
#   chi2-yates        prop.test(x, n, correct = TRUE,  alternative = ...)
#                     (R caps the correction: YATES <- min(0.5, abs(DELTA) / sum(1/n)))
#   fisher            fisher.test(matrix(c(x1, n1 - x1, x2, n2 - x2), 2), alternative = ...)
#   likelihood-ratio  deviance drop of glm(cbind(x, n - x) ~ group, binomial), two-sided
# Groups are columns of the 2x2 matrix, so alternative = "greater" means p1 > p2 for
# every call, as in surveykit.

tables <- rbind(
  c(220, 400, 128, 400),   # FSO story: 55% vs 32% with 400 each
  c(512, 1600, 880, 1600), # 32% vs 55% with 1600 each
  c(7, 15, 12, 15),        # scipy barnard_exact example
  c(74, 117, 31, 63),      # scipy boschloo_exact example
  c(25, 50, 25, 49),       # tiny difference: Yates correction capped
  c(30, 61, 30, 60),       # tiny difference: Yates correction capped
  c(15, 50, 16, 49),       # small difference, correction not capped
  c(0, 10, 3, 10),         # a zero count
  c(10, 10, 7, 10),        # a count equal to n
  c(2, 7, 0, 4),
  c(3, 4, 1, 1),           # n = 1
  c(1, 1, 0, 1),           # n = 1 in both
  c(9, 31, 16, 29)
)
alts <- c("two.sided", "less", "greater")
rows <- list()
add <- function(tab, method, alternative, statistic, pvalue, call) {
  rows[[length(rows) + 1]] <<- data.frame(
    x1 = tab[1], n1 = tab[2], x2 = tab[3], n2 = tab[4], method = method,
    alternative = sub("two.sided", "two-sided", alternative),
    statistic = statistic, pvalue = pvalue, r_call = call
  )
}
for (i in seq_len(nrow(tables))) {
  t <- tables[i, ]
  x <- c(t[1], t[3]); n <- c(t[2], t[4])
  for (alt in alts) {
    for (correct in c(FALSE, TRUE)) {
      r <- suppressWarnings(prop.test(x, n, correct = correct, alternative = alt))
      add(t, if (correct) "chi2-yates" else "z-pooled", alt, unname(r$statistic), r$p.value,
          sprintf("prop.test(c(%d, %d), c(%d, %d), correct = %s, alternative = '%s')",
                  x[1], x[2], n[1], n[2], correct, alt))
    }
    m <- matrix(c(t[1], t[2] - t[1], t[3], t[4] - t[3]), 2)
    r <- fisher.test(m, alternative = alt)
    add(t, "fisher", alt, NA, r$p.value,
        sprintf("fisher.test(matrix(c(%d, %d, %d, %d), 2), alternative = '%s')",
                m[1], m[2], m[3], m[4], alt))
  }
  group <- factor(1:2)
  fit <- glm(cbind(x, n - x) ~ group, family = binomial)
  g2 <- fit$null.deviance - fit$deviance
  add(t, "likelihood-ratio", "two.sided", g2, pchisq(g2, 1, lower.tail = FALSE),
      sprintf("glm(cbind(c(%d, %d), c(%d, %d)) ~ factor(1:2), binomial): null.deviance - deviance",
              x[1], x[2], n[1] - x[1], n[2] - x[2]))
}
out <- do.call(rbind, rows)
out$statistic <- ifelse(is.na(out$statistic), NA, sprintf("%.17g", out$statistic))
out$pvalue <- sprintf("%.17g", out$pvalue)
write.csv(out, "tests/reference/two_proportion_tests_r.csv", row.names = FALSE)
cat(R.version.string, "\n")
