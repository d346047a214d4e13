# Reference values for surveykit.design, computed with R's survey package.
#
# Run from the repository root:  Rscript tests/reference/design.R
# Writes R survey's example data to tests/reference/data/*.csv and every result to
# tests/reference/design_R.csv (one row per estimate; numbers with 17 significant digits).
# The tests read these files and never call R.
suppressPackageStartupMessages(library(survey))
data(api)
data(nhanes)
out <- "tests/reference"
dir.create(file.path(out, "data"), showWarnings = FALSE)
for (name in c("apistrat", "apiclus1", "apiclus2", "apisrs", "nhanes")) {
  frame <- get(name)
  frame[] <- lapply(frame, function(x) if (is.factor(x)) as.character(x) else as.vector(x))
  write.csv(frame, file.path(out, "data", paste0(name, ".csv")), row.names = FALSE, na = "")
}
options(survey.lonely.psu = "fail")

designs <- list(
  strat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat),
  clus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1),
  clus1_nofpc = svydesign(id = ~dnum, weights = ~pw, data = apiclus1),
  clus2 = svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2),
  clus2_nofpc = svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2),
  srs = svydesign(id = ~1, fpc = ~fpc, data = apisrs),
  nhanes = svydesign(id = ~SDMVPSU, strata = ~SDMVSTRA, weights = ~WTMEC2YR, nest = TRUE,
                     data = nhanes)
)

rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)
fmt <- function(x) trimws(formatC(as.numeric(x), digits = 17, format = "g"))

# one estimate per element of a svystat: estimate, SE, both deffs, t and normal intervals
# d is the design whose degrees of freedom and rows go with the estimate: with na.rm = TRUE,
# the subset of respondents with the variable (the design R's na.rm builds internally)
stat_rows <- function(design_name, analysis, call, m, m_rep, d, domain = "") {
  est <- coef(m)
  se <- SE(m)
  ci_t <- confint(m, df = degf(d))
  ci_z <- confint(m)
  for (i in seq_along(est)) {
    add(design = design_name, analysis = analysis, call = call, name = names(est)[i],
        domain = domain, method = "", estimate = fmt(est[i]), se = fmt(se[i]),
        deff = fmt(deff(m)[i]), deff_replace = fmt(deff(m_rep)[i]), df = fmt(degf(d)),
        ci_low = fmt(ci_t[i, 1]), ci_high = fmt(ci_t[i, 2]),
        ci_low_z = fmt(ci_z[i, 1]), ci_high_z = fmt(ci_z[i, 2]),
        statistic = "", ndf = "", ddf = "", pvalue = "", n = fmt(nrow(d)))
  }
}

api_designs <- c("strat", "clus1", "clus1_nofpc", "clus2", "clus2_nofpc", "srs")
methods <- c("logit", "likelihood", "asin", "beta", "mean", "xlogit")

for (dn in api_designs) {
  d <- designs[[dn]]
  add(design = dn, analysis = "degf", call = "degf(d)", name = "", domain = "", method = "",
      estimate = fmt(degf(d)), se = "", deff = "", deff_replace = "", df = fmt(degf(d)),
      ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
      ddf = "", pvalue = "", n = fmt(nrow(d)))
  for (v in c("api00", "api99", "enroll")) {
    na <- any(is.na(d$variables[[v]]))
    f <- as.formula(paste0("~", v))
    answered <- d[!is.na(d$variables[[v]]), ]
    stat_rows(dn, "mean", sprintf("svymean(~%s, d, na.rm = %s, deff = TRUE)", v, na),
              svymean(f, d, na.rm = na, deff = TRUE),
              svymean(f, d, na.rm = na, deff = "replace"), answered)
    stat_rows(dn, "total", sprintf("svytotal(~%s, d, na.rm = %s, deff = TRUE)", v, na),
              svytotal(f, d, na.rm = na, deff = TRUE),
              svytotal(f, d, na.rm = na, deff = "replace"), answered)
  }
  stat_rows(dn, "mean", "svymean(~api00 + api99, d, deff = TRUE)",
            svymean(~api00 + api99, d, deff = TRUE),
            svymean(~api00 + api99, d, deff = "replace"), d)
  stat_rows(dn, "mean", "svymean(~stype, d, deff = TRUE)",
            svymean(~stype, d, deff = TRUE), svymean(~stype, d, deff = "replace"), d)
  stat_rows(dn, "total", "svytotal(~stype, d, deff = TRUE)",
            svytotal(~stype, d, deff = TRUE), svytotal(~stype, d, deff = "replace"), d)
  # ratio api.stu / enroll (enroll has missing values in apiclus2)
  na <- any(is.na(d$variables$enroll))
  r <- svyratio(~api.stu, ~enroll, d, na.rm = na, deff = TRUE)
  r_rep <- svyratio(~api.stu, ~enroll, d, na.rm = na, deff = "replace")
  answered <- d[!is.na(d$variables$enroll), ]
  ci_t <- confint(r, df = degf(answered))
  ci_z <- confint(r)
  add(design = dn, analysis = "ratio",
      call = sprintf("svyratio(~api.stu, ~enroll, d, na.rm = %s, deff = TRUE)", na),
      name = "api.stu/enroll", domain = "", method = "", estimate = fmt(coef(r)),
      se = fmt(SE(r)), deff = fmt(deff(r)), deff_replace = fmt(deff(r_rep)),
      df = fmt(degf(answered)), ci_low = fmt(ci_t[1]), ci_high = fmt(ci_t[2]),
      ci_low_z = fmt(ci_z[1]), ci_high_z = fmt(ci_z[2]), statistic = "", ndf = "", ddf = "",
      pvalue = "", n = fmt(nrow(answered)))
  # proportions: all six svyciprop methods, whole sample and by school type
  for (m in methods) {
    p <- svyciprop(~I(sch.wide == "Yes"), d, method = m)
    add(design = dn, analysis = "ciprop",
        call = sprintf("svyciprop(~I(sch.wide == \"Yes\"), d, method = \"%s\")", m),
        name = "sch.wide==Yes", domain = "", method = m, estimate = fmt(coef(p)),
        se = fmt(SE(p)), deff = "", deff_replace = "", df = fmt(degf(d)),
        ci_low = fmt(confint(p)[1]), ci_high = fmt(confint(p)[2]), ci_low_z = "",
        ci_high_z = "", statistic = "", ndf = "", ddf = "", pvalue = "", n = fmt(nrow(d)))
    b <- svyby(~I(sch.wide == "Yes"), ~stype, d, svyciprop, method = m, vartype = c("se", "ci"))
    for (i in seq_len(nrow(b))) {
      sub <- subset(d, stype == b$stype[i])
      add(design = dn, analysis = "ciprop_by",
          call = sprintf(paste0("svyby(~I(sch.wide == \"Yes\"), ~stype, d, svyciprop, ",
                                "method = \"%s\", vartype = c(\"se\", \"ci\"))"), m),
          name = "sch.wide==Yes", domain = paste0("stype=", b$stype[i]), method = m,
          estimate = fmt(b[i, 2]), se = fmt(b$se[i]), deff = "", deff_replace = "",
          df = fmt(degf(sub)), ci_low = fmt(b$ci_l[i]), ci_high = fmt(b$ci_u[i]),
          ci_low_z = "", ci_high_z = "", statistic = "", ndf = "", ddf = "", pvalue = "",
          n = fmt(nrow(sub)))
    }
  }
  # domains: svyby with svymean, svytotal, svyratio; one and two grouping columns
  for (fun in c("svymean", "svytotal")) {
    b <- svyby(~api00, ~stype, d, get(fun), deff = TRUE)
    b_rep <- svyby(~api00, ~stype, d, get(fun), deff = "replace")
    for (i in seq_len(nrow(b))) {
      sub <- subset(d, stype == b$stype[i])
      add(design = dn, analysis = paste0(sub("svy", "", fun), "_by"),
          call = sprintf("svyby(~api00, ~stype, d, %s, deff = TRUE)", fun), name = "api00",
          domain = paste0("stype=", b$stype[i]), method = "", estimate = fmt(b$api00[i]),
          se = fmt(b$se[i]), deff = fmt(b$DEff[i]), deff_replace = fmt(b_rep$DEff[i]),
          df = fmt(degf(sub)), ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "",
          statistic = "", ndf = "", ddf = "", pvalue = "", n = fmt(nrow(sub)))
    }
  }
  b <- svyby(~api00, ~stype + sch.wide, d, svymean, deff = TRUE)
  for (i in seq_len(nrow(b))) {
    add(design = dn, analysis = "mean_by", call = "svyby(~api00, ~stype + sch.wide, d, svymean, deff = TRUE)",
        name = "api00", domain = paste0("stype=", b$stype[i], ";sch.wide=", b$sch.wide[i]),
        method = "", estimate = fmt(b$api00[i]), se = fmt(b$se[i]), deff = fmt(b$DEff[i]),
        deff_replace = "", df = "", ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "",
        statistic = "", ndf = "", ddf = "", pvalue = "", n = "")
  }
  b <- svyby(~api.stu, ~stype, d, svyratio, denominator = ~enroll, na.rm = na)
  for (i in seq_len(nrow(b))) {
    add(design = dn, analysis = "ratio_by",
        call = sprintf("svyby(~api.stu, ~stype, d, svyratio, denominator = ~enroll, na.rm = %s)", na),
        name = "api.stu/enroll", domain = paste0("stype=", b$stype[i]), method = "",
        estimate = fmt(b[i, 2]), se = fmt(b[i, 3]), deff = "", deff_replace = "", df = "",
        ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
        ddf = "", pvalue = "", n = "")
  }
  b <- svyby(~stype, ~sch.wide, d, svymean, deff = TRUE)
  for (i in seq_len(nrow(b))) for (lev in c("E", "H", "M")) {
    add(design = dn, analysis = "mean_by", call = "svyby(~stype, ~sch.wide, d, svymean, deff = TRUE)",
        name = paste0("stype", lev), domain = paste0("sch.wide=", b$sch.wide[i]), method = "",
        estimate = fmt(b[i, paste0("stype", lev)]), se = fmt(b[i, paste0("se.stype", lev)]),
        deff = fmt(b[i, paste0("DEff.stype", lev)]), deff_replace = "", df = "", ci_low = "",
        ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "", ddf = "",
        pvalue = "", n = "")
  }
  # weighted table of stype x sch.wide: counts and shares of the total, with SEs
  for (fun in c("svytotal", "svymean")) {
    m <- get(fun)(~interaction(stype, sch.wide), d)
    for (i in seq_along(coef(m))) {
      add(design = dn, analysis = paste0("table_", sub("svy", "", fun)),
          call = sprintf("%s(~interaction(stype, sch.wide), d)", fun),
          name = sub("interaction\\(stype, sch.wide\\)", "", names(coef(m))[i]), domain = "",
          method = "", estimate = fmt(coef(m)[i]), se = fmt(SE(m)[i]), deff = "",
          deff_replace = "", df = "", ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "",
          statistic = "", ndf = "", ddf = "", pvalue = "", n = "")
    }
  }
  # Rao-Scott and Wald tests of sch.wide x stype
  for (s in c("F", "Chisq", "Wald")) {
    t <- svychisq(~sch.wide + stype, d, statistic = s)
    add(design = dn, analysis = "chisq", call = sprintf("svychisq(~sch.wide + stype, d, statistic = \"%s\")", s),
        name = "sch.wide:stype", domain = "", method = s, estimate = "", se = "", deff = "",
        deff_replace = "", df = "", ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "",
        statistic = fmt(t$statistic), ndf = fmt(t$parameter[1]),
        ddf = fmt(if (length(t$parameter) > 1) t$parameter[2] else NA), pvalue = fmt(t$p.value),
        n = "")
  }
}

# nhanes: stratified cluster design with missing values and domains
d <- designs$nhanes
add(design = "nhanes", analysis = "degf", call = "degf(d)", name = "", domain = "", method = "",
    estimate = fmt(degf(d)), se = "", deff = "", deff_replace = "", df = fmt(degf(d)),
    ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
    ddf = "", pvalue = "", n = fmt(nrow(d)))
dc <- subset(d, !is.na(HI_CHOL))
stat_rows("nhanes", "mean", "svymean(~HI_CHOL, d, na.rm = TRUE, deff = TRUE)",
          svymean(~HI_CHOL, d, na.rm = TRUE, deff = TRUE),
          svymean(~HI_CHOL, d, na.rm = TRUE, deff = "replace"), dc)
stat_rows("nhanes", "total", "svytotal(~HI_CHOL, d, na.rm = TRUE, deff = TRUE)",
          svytotal(~HI_CHOL, d, na.rm = TRUE, deff = TRUE),
          svytotal(~HI_CHOL, d, na.rm = TRUE, deff = "replace"), dc)
stat_rows("nhanes", "mean", "svymean(~agecat, d, deff = TRUE)",
          svymean(~agecat, d, deff = TRUE), svymean(~agecat, d, deff = "replace"), d)
b <- svyby(~HI_CHOL, ~race, d, svymean, na.rm = TRUE, deff = TRUE)
for (i in seq_len(nrow(b))) {
  add(design = "nhanes", analysis = "mean_by",
      call = "svyby(~HI_CHOL, ~race, d, svymean, na.rm = TRUE, deff = TRUE)", name = "HI_CHOL",
      domain = paste0("race=", b$race[i]), method = "", estimate = fmt(b$HI_CHOL[i]),
      se = fmt(b$se[i]), deff = fmt(b$DEff[i]), deff_replace = "", df = "", ci_low = "",
      ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "", ddf = "",
      pvalue = "", n = "")
}
b <- svyby(~HI_CHOL, ~race + RIAGENDR, d, svytotal, na.rm = TRUE)
for (i in seq_len(nrow(b))) {
  add(design = "nhanes", analysis = "total_by",
      call = "svyby(~HI_CHOL, ~race + RIAGENDR, d, svytotal, na.rm = TRUE)", name = "HI_CHOL",
      domain = paste0("race=", b$race[i], ";RIAGENDR=", b$RIAGENDR[i]), method = "",
      estimate = fmt(b$HI_CHOL[i]), se = fmt(b$se[i]), deff = "", deff_replace = "", df = "",
      ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
      ddf = "", pvalue = "", n = "")
}
dc <- subset(d, !is.na(HI_CHOL))
for (m in methods) {
  p <- svyciprop(~HI_CHOL, dc, method = m)
  add(design = "nhanes", analysis = "ciprop",
      call = sprintf("svyciprop(~HI_CHOL, subset(d, !is.na(HI_CHOL)), method = \"%s\")", m),
      name = "HI_CHOL", domain = "", method = m, estimate = fmt(coef(p)), se = fmt(SE(p)),
      deff = "", deff_replace = "", df = fmt(degf(dc)), ci_low = fmt(confint(p)[1]),
      ci_high = fmt(confint(p)[2]), ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
      ddf = "", pvalue = "", n = fmt(nrow(dc)))
}
for (s in c("F", "Chisq", "Wald")) {
  for (f in c("~race + agecat", "~HI_CHOL + race")) {
    t <- svychisq(as.formula(f), d, statistic = s)
    add(design = "nhanes", analysis = "chisq",
        call = sprintf("svychisq(%s, d, statistic = \"%s\")", f, s),
        name = gsub(" ", "", gsub("~", "", gsub(" \\+ ", ":", f))), domain = "", method = s,
        estimate = "", se = "", deff = "", deff_replace = "", df = "", ci_low = "",
        ci_high = "", ci_low_z = "", ci_high_z = "", statistic = fmt(t$statistic),
        ndf = fmt(t$parameter[1]), ddf = fmt(if (length(t$parameter) > 1) t$parameter[2] else NA),
        pvalue = fmt(t$p.value), n = "")
  }
}

# lonely PSUs: strata by county (many counties have one school) and a stratified
# two-stage design in which some first-stage units hold one sampled school
for (lonely in c("remove", "adjust", "average", "certainty")) {
  options(survey.lonely.psu = lonely)
  dl <- svydesign(id = ~1, strata = ~cname, weights = ~pw, data = apistrat)
  d2 <- svydesign(id = ~dnum + snum, strata = ~stype, fpc = ~fpc1 + fpc2, nest = TRUE,
                  data = apiclus2)
  for (pair in list(list("county", dl), list("strat_clus2", d2))) {
    dd <- pair[[2]]
    for (fun in c("svymean", "svytotal")) {
      m <- get(fun)(~api00, dd)
      add(design = pair[[1]], analysis = sub("svy", "", fun),
          call = sprintf("options(survey.lonely.psu = \"%s\"); %s(~api00, d)", lonely, fun),
          name = "api00", domain = "", method = lonely, estimate = fmt(coef(m)),
          se = fmt(SE(m)), deff = "", deff_replace = "", df = fmt(degf(dd)), ci_low = "",
          ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "", ddf = "",
          pvalue = "", n = "")
    }
    b <- svyby(~api00, ~sch.wide, dd, svymean)
    for (i in seq_len(nrow(b))) {
      add(design = pair[[1]], analysis = "mean_by",
          call = sprintf("options(survey.lonely.psu = \"%s\"); svyby(~api00, ~sch.wide, d, svymean)", lonely),
          name = "api00", domain = paste0("sch.wide=", b$sch.wide[i]), method = lonely,
          estimate = fmt(b$api00[i]), se = fmt(b$se[i]), deff = "", deff_replace = "", df = "",
          ci_low = "", ci_high = "", ci_low_z = "", ci_high_z = "", statistic = "", ndf = "",
          ddf = "", pvalue = "", n = "")
    }
  }
}
options(survey.lonely.psu = "fail")

result <- do.call(rbind, rows)
result[result == "NA"] <- ""
write.csv(result, file.path(out, "design_R.csv"), row.names = FALSE)
cat("wrote", nrow(result), "rows\n")
