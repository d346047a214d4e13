"""Reanalyses of real poll files from four countries (tests/data/real/, sources in the
sidecar .md of each file), against pairs and verdicts written here by hand.

Expected verdicts were worked out by hand with the pooled two-sample z statistic
z = d / sqrt(pbar qbar (1/n1 + 1/n2)) at the published n (|z| > 1.96 is significant at
5%); the working is in the comments. Changes are compared only within one pollster's
series; no comparison between pollsters may appear.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import surveykit as sk
from surveykit.report.writer import write_report

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def _reanalyse(name: str, **kwargs) -> sk.Reanalysis:
    return sk.reanalyse(REAL / f"{name}.csv", n=[1000], deff=[1.0], robustness=False, **kwargs)


def _verdicts(result: sk.Reanalysis, kind: str = "change") -> dict[str, bool | None]:
    claims = result.claims[result.claims["kind"] == kind]
    return dict(zip(claims["comparison"], claims["significant"], strict=True))


# --------------------------------------------------------------------- US approval 2021
def test_us_approval_pairs_stay_within_each_pollster():
    r = _reanalyse("us_approval_2021")
    changes = r.claims[r.claims["kind"] == "change"]
    # Gallup: 6 polls -> 5 changes x 2 options; Pew: 3 polls -> 2 x 2; the single
    # Marist, Monmouth and Quinnipiac polls have no change of their own
    assert len(changes) == 14
    assert not changes["between_pollsters"].any()
    assert changes["comparison"].str.contains(r"\(Gallup\)|\(Pew Research Center\)").all()
    assert not r.changes["between_pollsters"].any()
    # the change that made the news: Pew's own July -> September 2021, 55% -> 44%
    pew = changes.set_index("comparison").loc["approve (Pew Research Center): Jul 2021 → Sep 2021"]
    assert pew["direction"] == "decrease" and pew["estimate"] == pytest.approx(-0.11)
    # July's n was not published: the verdict is the critical n, by hand
    # 1.959964^2 * 2 * 0.495 * 0.505 / 0.11^2 = 158.7 -> 159 per poll
    assert pew["basis"] == "assumed" and pew["critical_n"] == 159


def test_us_approval_leads_at_published_n():
    r = _reanalyse("us_approval_2021")
    leads = _verdicts(r, "lead")
    # Gallup's published +-4 points with n = 1,000 implies deff (0.04/0.030990)^2 = 1.666:
    # Sep 2021 53 vs 43 (lead 10): var = (0.96 - 0.01) * 1.666 / 1000 -> z = 2.51
    assert leads["Gallup Sep 2021: disapprove vs approve"] is True
    # Jul 2021 50 vs 45, n = 1,007, +-4: z = 0.05 / sqrt(0.9475 * 1.68 / 1007) = 1.26
    assert leads["Gallup Jul 2021: approve vs disapprove"] is False
    # Pew Apr 59 vs 39, n = 5,109 (no margin): z = 0.20 / sqrt(0.94 / 5109) = 14.7
    assert leads["Pew Research Center Apr 2021: approve vs disapprove"] is True
    # Pew Sep 53 vs 44, n = 10,371: z = 0.09 / sqrt(0.9619 / 10371) = 9.3
    assert leads["Pew Research Center Sep 2021: disapprove vs approve"] is True
    # Marist 50 vs 43, n = 1,115, +-3.7 (deff 1.59): z = 0.07 / sqrt(0.9251*1.59/1115) = 1.93
    marist = next(k for k in leads if k.startswith("Marist"))
    assert leads[marist] is False
    # Monmouth 48 vs 44, n = 804, +-3.5 (deff 1.03): z = 0.04 / sqrt(0.9184*1.03/804) = 1.16
    assert leads[next(k for k in leads if k.startswith("Monmouth"))] is False
    # Quinnipiac 53 vs 38, n = 1,326, +-2.7: z = 0.15 / sqrt(0.8875 * 1.01 / 1326) = 5.8
    assert leads[next(k for k in leads if k.startswith("Quinnipiac"))] is True
    # leads with unknown n have no verdict at a published n
    assert leads["Gallup Aug 2021: approve vs disapprove"] is None


def test_us_published_margin_is_the_interval():
    r = _reanalyse("us_approval_2021")
    rows = r.intervals[r.intervals["poll_id"] == "gallup-2021-09"]
    # Gallup's own +-4 points at 50%: the Wilson margin at 43% and 53% with the implied
    # design effect is 3.96 and 4.00 points (not the +-3.1 of simple random sampling)
    assert np.all(np.abs(rows["moe"].to_numpy() - 0.04) < 0.0006)
    assert (rows["deff_poll"] > 1.6).all()


def test_between_pollsters_only_on_request_and_labelled():
    r = _reanalyse("us_approval_2021", pairs=[("pew-2021-07", "gallup-2021-08")])
    assert set(r.claims["kind"]) == {"change", "lead"}
    changes = r.claims[r.claims["kind"] == "change"]
    assert len(changes) == 2 and changes["between_pollsters"].all()
    assert changes["sentence"].str.startswith("Between pollsters (house effects may differ)").all()


# ---------------------------------------------------------- GB voting intention 2021-22
GB_SIGNIFICANT = {
    # YouGov, n = 1,703 (Jun 2021), 2,054 (Jul 2021), 1,690 (Jan 2022)
    "Conservative (YouGov (for The Times)): Jun 2021 → Jul 2021": True,  # 46->42, z = 2.46
    "Conservative (YouGov (for The Times)): Jul 2021 → Jan 2022": True,  # 42->29, z = 8.2
    "Labour (YouGov (for The Times)): Jun 2021 → Jul 2021": False,  # 30->30, no change
    "Labour (YouGov (for The Times)): Jul 2021 → Jan 2022": True,  # 30->40, z = 6.3
    "Liberal Democrat (YouGov (for The Times)): Jun 2021 → Jul 2021": True,  # 6->9, z = 3.4
    "Liberal Democrat (YouGov (for The Times)): Jul 2021 → Jan 2022": True,  # 9->11, z = 2.04
    "Reform UK (YouGov (for The Times)): Jun 2021 → Jul 2021": False,  # 2->2, no change
    "Reform UK (YouGov (for The Times)): Jul 2021 → Jan 2022": True,  # 2->6, z = 6.2
    "Green (YouGov (for The Times)): Jun 2021 → Jul 2021": True,  # 9->7, z = 2.26
    "Green (YouGov (for The Times)): Jul 2021 → Jan 2022": False,  # 7->6, z = 1.2
    # People Polling, n = 1,235 (Aug 2022), 2,216 (Sep 2022), 1,512 (Oct 2022)
    "Conservative (People Polling (for GB News)): Aug 2022 → Sep 2022": True,  # 26->20, z = 4.1
    "Conservative (People Polling (for GB News)): Sep 2022 → Oct 2022": False,  # 20->20
    "Labour (People Polling (for GB News)): Aug 2022 → Sep 2022": True,  # 40->50, z = 5.6
    "Labour (People Polling (for GB News)): Sep 2022 → Oct 2022": False,  # 50->52, z = 1.2
    "Liberal Democrat (People Polling (for GB News)): Aug 2022 → Sep 2022": False,  # z = 1.90
    "Liberal Democrat (People Polling (for GB News)): Sep 2022 → Oct 2022": False,  # z = 1.1
    "Reform UK (People Polling (for GB News)): Aug 2022 → Sep 2022": True,  # 5->3, z = 2.98
    "Reform UK (People Polling (for GB News)): Sep 2022 → Oct 2022": False,  # 3->4, z = 1.6
    "Green (People Polling (for GB News)): Aug 2022 → Sep 2022": True,  # 6->8, z = 2.17
    "Green (People Polling (for GB News)): Sep 2022 → Oct 2022": False,  # 8->7, z = 1.1
}


def test_gb_changes_and_verdicts_at_published_n():
    r = _reanalyse("uk_voting_intention_2021_2022")
    assert _verdicts(r) == GB_SIGNIFICANT
    claims = r.claims.set_index("comparison")
    # the two pollsters' series are never joined (Jan 2022 YouGov -> Aug 2022 People)
    assert not r.claims["between_pollsters"].any()
    assert claims.loc["Labour (YouGov (for The Times)): Jun 2021 → Jul 2021", "direction"] == (
        "no change"
    )


def test_gb_report_prints_the_same_verdicts(tmp_path):
    r = _reanalyse("uk_voting_intention_2021_2022")
    paths = write_report(r, tmp_path / "gb")
    html = paths["html"].read_text(encoding="utf-8")
    import html as html_lib

    for sentence in r.claims["sentence"]:
        assert html_lib.escape(sentence) in html
    assert "between pollsters" not in html.lower()


# ------------------------------------------------------------- German Politbarometer
def test_de_raw_and_projection_are_different_series():
    r = _reanalyse("de_politbarometer")
    changes = r.claims[r.claims["kind"] == "change"]
    # only the raw Stimmung is asked twice (2019, 2025); the 2021 Projektion is another
    # question, and BSW did not exist in 2019: six changes
    assert len(changes) == 6
    verdicts = _verdicts(r)
    # AfD 10 -> 22 with n = 1,307 and 1,322: z = 0.12 / sqrt(0.16 * 0.84 * 2/1314) = 8.2
    afd = next(k for k in verdicts if k.startswith("AfD"))
    assert verdicts[afd] is True
    # SPD 15 -> 16: z = 0.01 / sqrt(0.155 * 0.845 * 2/1314) = 0.71
    spd = next(k for k in verdicts if k.startswith("SPD"))
    assert verdicts[spd] is False


# ------------------------------------------------------------------- Levada series
def test_levada_series_pairs_and_the_autumn_2022_rise():
    r = _reanalyse("ru_levada_talks_2022_2024")
    changes = r.claims[r.claims["kind"] == "change"]
    # 16 waves ask both options except August 2024 (continue only): 15 + 16 changes
    assert len(changes) == 31
    leads = r.claims[r.claims["kind"] == "lead"]
    assert len(leads) == 16
    claims = changes.set_index("comparison")
    # Sep 2022 (n unknown) -> Oct 2022 (n = 1,604): 48 -> 57, critical n by hand
    # 1.959964^2 * 2 * 0.525 * 0.475 / 0.09^2 = 236.6 -> 237 per poll
    rise = claims.loc["start peace talks: Sep 2022 → Oct 2022"]
    assert rise["direction"] == "increase" and rise["critical_n"] == 237
