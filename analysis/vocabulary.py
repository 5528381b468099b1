"""Every code the project's tables, link parameters, findings and words share, declared once.

Link parameters (`dashboard.params`), the analysis, the charts, the words and the notebooks import
these names instead of spelling the codes again, so a new age band or claim changes one line.
"""

from __future__ import annotations

# Sex codes as the data package writes them; "total" is men and women together.
MEN, WOMEN, BOTH_SEXES = "men", "women", "total"
SEXES = (MEN, WOMEN)
SEXES_AND_BOTH = (MEN, WOMEN, BOTH_SEXES)

# The 18 age groups of the VZinfo prevalence table, in order (85+ is open).
AGE_GROUPS_18 = (
    "0-4",
    "5-9",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75-79",
    "80-84",
    "85+",
)

# Words the sources put before a value ("more than 2.028.000"), as the data package writes them
# in `value_qualifier`; printed wherever the value is printed.
QUALIFIERS = (
    "about",
    "almost",
    "just over",
    "well over",
    "more than",
    "at least",
    "just under",
    "estimate",
)

# Rates in the prevalence tables are per this many people.
PER_PEOPLE = 1000

# The numeric rating scale of pain in the clinic's records (the import contract checks it).
PAIN_SCALE = (0, 10)
# The band drawn around the clinic's median pain: these percentiles (the middle half).
PAIN_BAND_PCT = (25, 75)
# The patients' page tells a share as "about N of this many patients like you".
OUT_OF = 10

# Clinic records: how long the complaint had lasted at the first visit (DESIGN.md section 4).
COMPLAINT_DURATIONS = ("acute", "subacute", "chronic")
# Their limits in weeks since the pain began: acute < 6, subacute 6-12, chronic > 12 (the
# import contract, analysis/clinic/contract.py).
COMPLAINT_WEEKS: dict[str, tuple[int | None, int | None]] = {
    "acute": (None, 6),
    "subacute": (6, 12),
    "chronic": (12, None),
}
# Age bands of the clinic's patients on the outcomes page.
PATIENT_AGE_BANDS = ("<40", "40-59", "60+")
# "All" in a filter: no selection on that dimension.
ALL = "all"

# The clinic website's two claims: relief by this session for this complaint duration.
CLAIM_SESSIONS: dict[str, int] = {"acute": 5, "chronic": 10}

# Response: pain down by at least this many percent and points from the episode's first visit
# (IMMPACT; Ostelo et al. 2008); substantial response: at least this many percent.
RESPONSE_PCT = 30.0
RESPONSE_POINTS = 2.0
SUBSTANTIAL_PCT = 50.0
# Confidence level of every interval we compute (Wilson, Kaplan-Meier).
CI_LEVEL_PCT = 95
CONFIDENCE = CI_LEVEL_PCT / 100
# A new episode starts after a gap of more than this many days between visits.
EPISODE_GAP_DAYS = 90
# Two-sided coverage (percent) of the control limits of the clinic's p-chart: 95% ("warning")
# and 99.8% ("action"), as in Spiegelhalter's funnel plots and NHS statistical process control.
CONTROL_LEVELS_PCT = (95.0, 99.8)

# Constants a sentence may state without a fact behind them: they are definitions, not findings.
DEFINITION_NUMBERS = frozenset(
    {
        PER_PEOPLE,
        RESPONSE_PCT,
        RESPONSE_POINTS,
        SUBSTANTIAL_PCT,
        CI_LEVEL_PCT,
        EPISODE_GAP_DAYS,
        *CONTROL_LEVELS_PCT,
        *CLAIM_SESSIONS.values(),
    }
)
