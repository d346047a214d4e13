# Builds datasets/australia_2004_2007.csv from R's pscl package (Jackman 2009, Example 9.3).
# Run from the repository root:  Rscript tests/reference/australia_2004_2007.R
# pscl's AustralianElectionPolling: 239 polls of first-preference vote intention between
# the 9 October 2004 and 24 November 2007 House of Representatives elections; the two
# results come from pscl's AustralianElections (source: Australian Electoral Commission).
suppressMessages(library(pscl))
data(AustralianElectionPolling)
data(AustralianElections)
x <- AustralianElectionPolling
slug <- c("Galaxy" = "galaxy", "Morgan, F2F" = "morgan-f2f", "Newspoll" = "newspoll",
          "Nielsen" = "nielsen", "Morgan, Phone" = "morgan-phone")
id <- paste(slug[as.character(x$org)], format(x$startDate), sep = "-")
dup <- duplicated(id)
id[dup] <- paste0(id[dup], "-b")
stopifnot(!any(duplicated(id)))
# pscl fills four Morgan face-to-face polls whose size was not published with 1450.543
# (not a whole number of respondents): kept as unknown here.
imputed <- x$sampleSize != round(x$sampleSize)
n <- ifelse(imputed, NA, x$sampleSize)
mode <- ifelse(x$org == "Morgan, F2F", "face-to-face",
        ifelse(x$org == "Morgan, Phone", "phone",
        ifelse(grepl("on-?line", x$remark, ignore.case = TRUE), "online",
        ifelse(grepl("phone", x$remark, ignore.case = TRUE), "phone",
        ifelse(grepl("face", x$remark, ignore.case = TRUE), "face-to-face", "unknown")))))
source <- ifelse(x$source == "", "R package pscl, AustralianElectionPolling (no URL given)",
                 x$source)
question <- "House of Representatives first-preference vote intention"
polls <- function(option, share) {
  keep <- share > 0  # 0 means "not reported" in pscl
  data.frame(poll_id = id, pollster = as.character(x$org),
             fieldwork_start = format(x$startDate), fieldwork_end = format(x$endDate),
             question = question, option = option, share_pct = share,
             n = n, n_status = ifelse(imputed, "unknown", "published"),
             mode = mode, source = source, remark = x$remark,
             stringsAsFactors = FALSE)[keep, ]
}
e <- AustralianElections
e <- e[e$date %in% as.Date(c("2004-10-09", "2007-11-24")), ]
elections <- do.call(rbind, lapply(seq_len(nrow(e)), function(i) {
  d <- format(e$date[i])
  data.frame(poll_id = paste0("election-", d), pollster = "Election result (AEC)",
             fieldwork_start = d, fieldwork_end = d, question = question,
             option = c("ALP", "Coalition (Liberal + National)", "Greens"),
             share_pct = c(e$ALP[i], e$LP[i] + e$NP[i], e$Green[i]),
             n = NA, n_status = "unknown", mode = "election",
             source = "R package pscl, AustralianElections (Australian Electoral Commission, https://www.aec.gov.au)",
             remark = "official result: an anchor, not a poll", stringsAsFactors = FALSE)
}))
out <- rbind(polls("ALP", x$ALP), polls("Coalition (Liberal + National)", x$Lib + x$Nat),
             polls("Greens", x$Green), elections)
out <- out[order(out$fieldwork_start, out$poll_id, out$option), ]
write.csv(out, "datasets/australia_2004_2007.csv", row.names = FALSE, na = "",
          fileEncoding = "UTF-8")
cat(nrow(out), "rows written\n")
