# Reference for surveykit.inference.multiple.adjust_pvalues: R's p.adjust.
# Run: Rscript tests/reference/p_adjust.R > tests/reference/p_adjust.csv
p <- list(
  a = c(0.01, 0.04, 0.03, 0.005, 0.2),
  b = c(0.5, 0.001, 0.049, 0.051, 0.0001, 0.9, 0.02),
  c = c(0.03),
  d = c(1e-12, 0.8, 0.8, 0.049, 0.049)
)
rows <- list()
for (name in names(p)) {
  for (m in c("holm", "BH", "bonferroni", "hochberg", "BY")) {
    adj <- p.adjust(p[[name]], method = m)
    rows[[length(rows) + 1]] <- data.frame(
      case = name, position = seq_along(adj), pvalue = p[[name]], method = m,
      adjusted = formatC(adj, digits = 17, format = "g")
    )
  }
}
write.csv(do.call(rbind, rows), stdout(), row.names = FALSE, quote = FALSE)
