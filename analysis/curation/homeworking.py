"""Home working (``homework/wfh_*.csv``) and the covid-19 advice timeline.

Changes to the extracts, in the open:
- Numbers stay the text the extract holds ('39', '13.7', '5.0'). The extract did not record the
  page's own notation of numbers, so `value_as_published` is left empty for them rather than
  rebuilt; it holds printed text only where the extract recorded words.
- Verbal qualifiers move to `value_qualifier` (allowed English keys); where only words were
  published ('ongeveer 1 op de 3', 'twee derde') `value` stays empty and the words go to
  `value_as_published`.
- Period labels: '2019Q2' is written '2019 Q2', '2020-03/04' '2020-03 to 2020-04'. Labels with
  no calendar period ('2019 (pre-covid)', '2019 end', 'early July') become the wording itself
  ('pre-pandemic', 'end of 2019', 'early July 2020') with empty dates. The two shares the page
  published as 'summer 2022' / 'summer 2024' (filed as 2022Q3 / 2024Q3 in the extract) keep
  the word summer and get no dates. TNO's 'mid-2020' and 'mid-2023' rows are dated June-July,
  the fieldwork months that the same page states for that wave.
- The 2023 'most of the time' (13.2%) and 'sometimes' (38.8%) shares appear in both the annual
  and the occupation extract from the same CBS page; only the occupation table's 'Total' row
  is kept.
- KiM's two rows for the ends of one published range (45-56%) become one row with
  value_low/value_high. The EU split in the note of the Eurostat 2023 EU row ('9% usually + 13%
  sometimes') becomes two rows.
- The definition boilerplate repeated in the extract's notes is dropped from `note` (the
  resource description gives it once); '(mirror URL)' becomes the mirror_source caveat.
- Statista's address is written without the trailing dot of its host name ('statista.com.').

Timeline:
- The date of the 25 January 2022 press conference is filled in (the extract leaves it empty):
  the page prints 'dinsdag 25 januari' in a 2022 article, and 25 January 2022 was a Tuesday
  (asserted below). Rows whose source gives only a month or 'from Sunday' keep an empty date.
- The advice level is classified from the wording; the wording itself is kept.

The special period labels, the curator's notes on single rows and the timeline's event ids,
kinds and advice levels are data: the curation specs ``data/sources/specs/homeworking.toml``
and ``covid_timeline.toml``, each documented at its top.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from analysis.curation import check, join_caveats, read_extract, read_spec
from analysis.metadata.fields import VALUE_QUALIFIERS

HOME = "homework"

QUALIFIERS = {
    "": "",
    "ruim (just over)": "just over",
    "bijna (almost)": "almost",
    "iets meer dan (slightly over)": "just over",
    "ongeveer (about)": "about",
    "zo'n (about)": "about",
    # Only words were published for these; `value` stays empty.
    "ongeveer 1 op de 3 (about one in three)": "about",
    "bijna de helft (almost half)": "almost",
    "ruim een derde (over a third)": "just over",
    "twee derde (two thirds)": "",
    "een kwart minder (a quarter lower)": "",
}

PRIMARY_HOSTS = {
    "www.cbs.nl",
    "cbs.nl",
    "www.kimnet.nl",
    "www.fysiekebelasting.tno.nl",
    "i6563o6575726f7061o6575z.oszar.com",
}
MIRROR_HOSTS = {"i6563o6575726f7061o6575z.oszar.com"}
STATLINE = {"83258NED", "82918NED", "85786NED"}

# (measure text, unit) in the extract -> (homework_indicator, hours_band, measure).
MEASURES = {
    ("home workers (usually or occasionally)", "million persons"): ("works_at_home", "", "persons_million"),  # noqa: E501
    ("home workers (usually or occasionally)", "x 1000 persons"): ("works_at_home", "", "persons_thousands"),  # noqa: E501
    ("home workers (most of the time or sometimes)", "million persons"): ("works_at_home", "", "persons_million"),  # noqa: E501
    ("share of employed working at home", "%"): ("works_at_home", "", "share_pct"),
    ("share working at home", "%"): ("works_at_home", "", "share_pct"),
    ("usual home workers", "million persons"): ("usually_at_home", "", "persons_million"),
    ("usual home workers", "x 1000 persons"): ("usually_at_home", "", "persons_thousands"),
    ("occasional home workers", "million persons"): ("occasionally_at_home", "", "persons_million"),  # noqa: E501
    ("occasional home workers", "x 1000 persons"): ("occasionally_at_home", "", "persons_thousands"),  # noqa: E501
    ("occasional, on fixed days", "x 1000 persons"): ("occasionally_at_home_fixed_days", "", "persons_thousands"),  # noqa: E501
    ("occasional, no fixed day", "x 1000 persons"): ("occasionally_at_home_no_fixed_day", "", "persons_thousands"),  # noqa: E501
    ("not a home worker", "x 1000 persons"): ("not_at_home", "", "persons_thousands"),
    ("employed labour force", "x 1000 persons"): ("employed", "", "persons_thousands"),
    ("works at home most of the time", "million persons"): ("mostly_at_home", "", "persons_million"),  # noqa: E501
    ("works at home sometimes", "million persons"): ("sometimes_at_home", "", "persons_million"),
    ("works at home most of the time", "% of employed"): ("mostly_at_home", "", "share_pct"),
    ("works at home sometimes", "% of employed"): ("sometimes_at_home", "", "share_pct"),
    ("works at home most of the time", "% of employed in occupation class"): ("mostly_at_home", "", "share_pct"),  # noqa: E501
    ("works at home sometimes", "% of employed in occupation class"): ("sometimes_at_home", "", "share_pct"),  # noqa: E501
    ("average hours worked at home per week", "hours"): ("hours_at_home", "", "hours_per_week"),
    ("average hours worked at home", "hours"): ("hours_at_home", "", "hours_per_week"),
    ("average hours worked", "hours"): ("hours_worked", "", "hours_per_week"),
    ("home-working hours as share of all hours worked", "%"): ("hours_at_home", "", "share_of_hours_pct"),  # noqa: E501
    ("home-working hours as share of their hours worked", "%"): ("hours_at_home", "", "share_of_hours_pct"),  # noqa: E501
    ("share of all hours worked that were worked at home", "%"): ("hours_at_home", "", "share_of_hours_pct"),  # noqa: E501
    ("share of working time spent working at home", "share"): ("hours_at_home", "", "share_of_hours_pct"),  # noqa: E501
    # CBS quarterly: employees in the reference week.
    ("share who did work at home in reference week", "%"): ("works_at_home", "", "share_pct"),
    ("share who did work at home (wel eens of doorgaans)", "%"): ("works_at_home", "", "share_pct"),  # noqa: E501
    ("employees (total)", "million"): ("employed", "", "persons_million"),
    ("employed persons", "million"): ("employed", "", "persons_million"),
    ("employees who actually worked in reference week", "million"): ("employed_worked_in_week", "", "persons_million"),  # noqa: E501
    ("employed persons who actually worked (weekly average)", "million"): ("employed_worked_in_week", "", "persons_million"),  # noqa: E501
    # 85786NED: persons by class of hours.
    ("worked 1-12 h in reference week", "x 1000 persons"): ("hours_worked", "1-12 h", "persons_thousands"),  # noqa: E501
    ("worked 12-20 h", "x 1000 persons"): ("hours_worked", "12-20 h", "persons_thousands"),
    ("worked 20-28 h", "x 1000 persons"): ("hours_worked", "20-28 h", "persons_thousands"),
    ("worked 28-35 h", "x 1000 persons"): ("hours_worked", "28-35 h", "persons_thousands"),
    ("worked 35 h or more", "x 1000 persons"): ("hours_worked", "35 h or more", "persons_thousands"),  # noqa: E501
    ("worked at home 1-12 h", "x 1000 persons"): ("hours_at_home", "1-12 h", "persons_thousands"),
    ("worked at home 12-20 h", "x 1000 persons"): ("hours_at_home", "12-20 h", "persons_thousands"),  # noqa: E501
    ("worked at home 20-28 h", "x 1000 persons"): ("hours_at_home", "20-28 h", "persons_thousands"),  # noqa: E501
    ("worked at home 28-35 h", "x 1000 persons"): ("hours_at_home", "28-35 h", "persons_thousands"),  # noqa: E501
    ("worked at home 35 h or more", "x 1000 persons"): ("hours_at_home", "35 h or more", "persons_thousands"),  # noqa: E501
    ("worked at home, hours unknown", "x 1000 persons"): ("hours_at_home", "hours unknown", "persons_thousands"),  # noqa: E501
    ("home-work share 1-20% of hours", "x 1000 persons"): ("home_share_of_hours", "1-20%", "persons_thousands"),  # noqa: E501
    ("home-work share 20-40% of hours", "x 1000 persons"): ("home_share_of_hours", "20-40%", "persons_thousands"),  # noqa: E501
    ("home-work share 40-60% of hours", "x 1000 persons"): ("home_share_of_hours", "40-60%", "persons_thousands"),  # noqa: E501
    ("home-work share 60-80% of hours", "x 1000 persons"): ("home_share_of_hours", "60-80%", "persons_thousands"),  # noqa: E501
    # 82918NED: usual work address.
    ("total", "x 1000 persons"): ("employed", "", "persons_thousands"),
    ("works at home address", "x 1000 persons"): ("home_work_address", "", "persons_thousands"),
    ("works in own home", "x 1000 persons"): ("work_address_in_own_home", "", "persons_thousands"),  # noqa: E501
    ("works from own home", "x 1000 persons"): ("work_address_from_own_home", "", "persons_thousands"),  # noqa: E501
    ("works at/next to own home", "x 1000 persons"): ("work_address_at_or_next_to_home", "", "persons_thousands"),  # noqa: E501
    ("fixed work address", "x 1000 persons"): ("fixed_work_address", "", "persons_thousands"),
    ("no fixed work address", "x 1000 persons"): ("no_fixed_work_address", "", "persons_thousands"),  # noqa: E501
    # Eurostat.
    ("usually works from home", "% of employed 15-64"): ("usually_at_home", "", "share_pct"),
    ("usually works from home", "% of employed"): ("usually_at_home", "", "share_pct"),
    ("usually works from home", "% of self-employed"): ("usually_at_home", "", "share_pct"),
    ("works from home at least occasionally (usually or sometimes)", "% of employed 15-64"): ("works_at_home", "", "share_pct"),  # noqa: E501
    ("works from home (usually or sometimes)", "% of employed 15-64"): ("works_at_home", "", "share_pct"),  # noqa: E501
    ("works from home sometimes", "% of employed 15-64"): ("sometimes_at_home", "", "share_pct"),
    # KiM, TNO, RIVM, Google.
    ("share who sometimes worked at home", "%"): ("works_at_home", "", "share_pct"),
    ("share of those who worked (almost) fully at home", "%"): ("fully_at_home", "", "share_pct"),
    ("share working (partly) at home", "%"): ("works_at_home", "", "share_pct"),
    ("share still working at home more than before the crisis", "%"): ("more_at_home_than_before_crisis", "", "share_pct"),  # noqa: E501
    ("share expecting to work at home more after the crisis", "%"): ("expects_more_home_work_after_crisis", "", "share_pct"),  # noqa: E501
    ("share working fully at home", "%"): ("fully_at_home", "", "share_pct"),
    ("share working all days at home", "%"): ("fully_at_home", "", "share_pct"),
    ("share working partly at home, partly on location", "%"): ("partly_at_home", "", "share_pct"),  # noqa: E501
    ("share working partly at home", "%"): ("partly_at_home", "", "share_pct"),
    ("share working mainly at home", "%"): ("mostly_at_home", "", "share_pct"),
    ("share working all days on location", "%"): ("all_days_on_location", "", "share_pct"),
    ("share regularly doing physically demanding work", "%"): ("physically_demanding_work", "", "share_pct"),  # noqa: E501
    ("share spending 6 hours a day at a screen", "%"): ("screen_work_6h_per_day", "", "share_pct"),  # noqa: E501
    ("share saying extra means needed for a good workplace", "%"): ("needs_extra_workplace_means", "", "share_pct"),  # noqa: E501
    ("presence at workplaces vs pre-pandemic baseline", "share"): ("workplace_presence", "", "change_vs_baseline_pct"),  # noqa: E501
}  # fmt: skip

# Opinions and exposures people report about themselves.
SELF_REPORTED = {
    "physically_demanding_work",
    "screen_work_6h_per_day",
    "needs_extra_workplace_means",
    "expects_more_home_work_after_crisis",
}


# The definition text the extract repeats in its notes; the resource description carries it.
BOILERPLATE = (
    "EBB definition 2013-2020 (table 83258NED): works at home usually (gewoonlijk) or "
    "occasionally (incidenteel); all employed (werkzame beroepsbevolking)",
    "EBB definition from 2021 (CBS news 2024/11): works at home most of the time (meestal) or "
    "sometimes (soms = at most half of usual hours); NOT directly comparable with 2013-2020 "
    "series",
    "StatLine 83258NED excerpt",
    "StatLine 82918NED 'Werkzame beroepsbevolking; werkadres, 2010-2020' excerpt; usual work "
    "address, not occasional home working",
    "StatLine 85786NED 'Werkzame beroepsbevolking, thuiswerkuren' excerpt, row 'Totaal "
    "personen'; reference-week hours",
    "CBS quarterly measure: EMPLOYEES (self-employed excluded) who did some work at home in the "
    "week before the interview; not comparable with the annual 'usually/occasionally' series",
    "Eurostat LFS: 'usually' = at home at least half of days worked in a 4-week reference "
    "period; employed aged 15-64",
    "Eurostat news item (mirror URL)",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _site(host: str) -> str:
    if host in MIRROR_HOSTS:
        return "eurostat_mirror"
    return _slug(host.removeprefix("www.").split(".")[0])


def _clean_url(url: str) -> str:
    """The page address, with a host's trailing dot ('statista.com.') removed."""
    parts = urlparse(url)
    check(parts.scheme == "https", f"source_url should be https: {url!r}")
    host = parts.netloc.rstrip(".")
    return parts._replace(netloc=host).geturl()


def _dates(label: str) -> tuple[str, str]:
    """First and last day of a period label: '2019', '2019Q2', '2020-04' or '2020-03/04'."""
    if m := re.fullmatch(r"(\d{4})", label):
        year = int(m[1])
        return f"{year}-01-01", f"{year}-12-31"
    if m := re.fullmatch(r"(\d{4})Q([1-4])", label):
        year, quarter = int(m[1]), int(m[2])
        return _month_start(year, 3 * quarter - 2), _month_end(year, 3 * quarter)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        year, month = int(m[1]), int(m[2])
        return _month_start(year, month), _month_end(year, month)
    if m := re.fullmatch(r"(\d{4})-(\d{2})/(\d{2})", label):
        year, first, last = int(m[1]), int(m[2]), int(m[3])
        check(first < last, f"month range runs backwards: {label!r}")
        return _month_start(year, first), _month_end(year, last)
    raise AssertionError(f"no dates for period label {label!r}")


def _month_start(year: int, month: int) -> str:
    return dt.date(year, month, 1).isoformat()


def _month_end(year: int, month: int) -> str:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()


@cache
def _spec() -> dict:
    """The special period labels and the curator's row notes (specs/homeworking.toml)."""
    return read_spec("homeworking")


def _period(label: str, note: str) -> tuple[str, str, str, str]:
    """(period, period_start, period_end, note) for a period label of the extract."""
    if m := re.search(r"published as '(summer \d{4})'", note):
        check(re.fullmatch(r"\d{4}Q3", label) is not None, f"summer row filed as {label!r}")
        return m[1], "", "", "The research extract files it as the third quarter."
    # Labels of the KiM/TNO extract that are not plain years, quarters or months.
    special = {entry["label"]: entry for entry in _spec()["special_period"]}
    if label in special:
        entry = special[label]
        start, end = _dates(entry["dated"]) if entry["dated"] else ("", "")
        return entry["period"], start, end, entry["note"]
    start, end = _dates(label)
    if m := re.fullmatch(r"(\d{4})Q([1-4])", label):
        return f"{m[1]} Q{m[2]}", start, end, ""
    if m := re.fullmatch(r"(\d{4})-(\d{2})/(\d{2})", label):
        return f"{m[1]}-{m[2]} to {m[1]}-{m[3]}", start, end, ""
    return label, start, end, ""


def _as_published(value: str, qualifier: str) -> str:
    """The printed words where only words were published; empty for numbers (not recorded)."""
    return "" if value else qualifier.split(" (")[0]


def _definition(file: str, row) -> str:
    note, group, host = row.note, row.group, urlparse(row.source_url).netloc
    if file == "wfh_cbs_82918NED_workaddress_2020.csv":
        return "cbs_work_address"
    if file == "wfh_cbs_2023_by_occupation.csv":
        return "cbs_ebb_most_of_time_or_sometimes"
    if file == "wfh_eurostat_nl.csv":
        return (
            "eurostat_usually"
            if row.measure.startswith("usually")
            else ("eurostat_at_least_occasionally")
        )
    if file == "wfh_cbs_annual.csv":
        if MEASURES[(row.measure, row.unit)][0] == "hours_at_home":
            return "cbs_hours_at_home"
        if note.startswith(("EBB definition 2013-2020", "StatLine 83258NED")):
            return "cbs_ebb_usually_or_occasionally"
        check(note.startswith("EBB definition from 2021"), f"no definition for note {note!r}")
        return "cbs_ebb_most_of_time_or_sometimes"
    if file == "wfh_cbs_quarterly.csv":
        if row.period in ("2019Q2", "2020Q2"):
            return "cbs_q2_reference_week_employees"
        return "cbs_hours_at_home"
    check(file == "wfh_other_surveys_kim_tno.csv", f"unexpected file {file}")
    if "TNO" in group:
        return "tno_nea_covid"
    if "RIVM" in group:
        return "rivm_behaviour_data"
    if "Google" in group:
        return "google_mobility"
    check("KiM" in group, f"no producer in group {group!r}")
    if host in ("www.randstad.nl", "www.rtlnieuws.nl"):
        return "kim_synthesis_2020"
    if host == "www.nd.nl":
        return "kim_survey_2022"
    return "kim_mobility_panel"


PRODUCER_BY_PREFIX = {
    "cbs_": "CBS",
    "eurostat_": "Eurostat",
    "kim_": "KiM",
    "tno_": "TNO",
    "rivm_": "RIVM",
    "google_": "Google",
}


def _producer(definition: str) -> str:
    for prefix, producer in PRODUCER_BY_PREFIX.items():
        if definition.startswith(prefix):
            return producer
    raise AssertionError(f"no producer for definition {definition!r}")


def _note(raw_note: str) -> str:
    """The extract's note without the definition boilerplate the description gives once."""
    parts = [p.strip() for p in raw_note.split(";")]
    kept = []
    i = 0
    while i < len(parts):
        for text in BOILERPLATE:
            n = text.count(";") + 1
            if "; ".join(parts[i : i + n]) == text:
                i += n
                break
        else:
            kept.append(parts[i])
            i += 1
    return "; ".join(kept)


def _row(file: str, r, *, value: str = "", measure_key=None, extra_note: str = "") -> dict:
    host = urlparse(r.source_url).netloc.rstrip(".")
    indicator, band, measure = MEASURES[measure_key or (r.measure, r.unit)]
    definition = _definition(file, r)
    if file == "wfh_cbs_annual.csv" and definition == "cbs_hours_at_home":
        extra_note = (
            "Annual figure from CBS's March 2024 release, which counts home working as most of "
            "the time or sometimes (the definition from 2021)."
        )
    check(r.value_qualifier in QUALIFIERS, f"unmapped qualifier {r.value_qualifier!r}")
    qualifier = QUALIFIERS[r.value_qualifier]
    check(qualifier in ("", *VALUE_QUALIFIERS), f"qualifier {qualifier!r} not allowed")
    value = value or r.value
    check(value == "" or re.fullmatch(r"\d+(\.\d+)?", value) is not None, f"value {value!r}")
    period, start, end, period_note = _period(r.period, r.note)
    source_type = "primary" if host in PRIMARY_HOSTS else "secondary"
    table_id = next((t for t in STATLINE if f"/{t}" in r.source_url), "")
    notes = [_note(r.note), period_note, extra_note]
    for extra in _spec()["extra_note"]:
        if host == extra["host"] and (extra["period"], extra["group"], extra["measure"]) in (
            (r.period, r.group, r.measure),
            ("", "", ""),
        ):
            notes.append(extra["note"])
    caveats = join_caveats(
        "series_break" if definition.startswith("cbs_ebb_") else "",
        "different_population"
        if definition in ("cbs_q2_reference_week_employees", "tno_nea_covid")
        else "",
        "secondary_source" if source_type == "secondary" else "",
        "mirror_source" if host in MIRROR_HOSTS else "",
        "verbal_quantity" if r.value_qualifier else "",
        "self_reported" if indicator in SELF_REPORTED else "",
        "sources_disagree" if "denominator ambiguous" in r.note else "",
    )
    band_slug = f"_{_slug(band)}" if band else ""
    group_slug = _slug(re.sub(r"\(.*?\)", "", r.group))  # ids without the bracketed detail
    return {
        "figure_id": f"{_slug(period)}_{group_slug}_{indicator}{band_slug}_{measure}_{_site(host)}",
        "figure_producer": _producer(definition),
        "cbs_table_id": table_id,
        "period": period,
        "period_start": start,
        "period_end": end,
        "group": r.group,
        "definition": definition,
        "homework_indicator": indicator,
        "hours_band": band,
        "measure": measure,
        "value": value,
        "value_low": "",
        "value_high": "",
        "value_as_published": _as_published(value, r.value_qualifier),
        "value_qualifier": qualifier,
        "source_type": source_type,
        "caveats": caveats,
        "source_url": _clean_url(r.source_url),
        "note": " ".join(n if n.endswith(".") else f"{n}." for n in notes if n),
    }


def _annual(research: Path) -> list[dict]:
    raw = read_extract(research, f"{HOME}/wfh_cbs_annual.csv")
    occupation = read_extract(research, f"{HOME}/wfh_cbs_2023_by_occupation.csv")
    rows = []
    for r in raw.itertuples():
        if r.unit == "% of employed":
            # Same figure as the occupation table's 'Total' row on the same page: keep that one.
            twin = occupation[
                (occupation["group"] == "Total")
                & (occupation["measure"] == r.measure)
                & (occupation["source_url"] == r.source_url)
            ]
            check(len(twin) == 1, f"no occupation 'Total' twin for {r.measure!r}")
            check(twin["value"].item() == r.value, f"twin values differ for {r.measure!r}")
            continue
        rows.append(_row("wfh_cbs_annual.csv", r))
    rows += [_row("wfh_cbs_2023_by_occupation.csv", r) for r in occupation.itertuples()]
    return rows


def _quarterly(research: Path) -> list[dict]:
    raw = read_extract(research, f"{HOME}/wfh_cbs_quarterly.csv")
    return [_row("wfh_cbs_quarterly.csv", r) for r in raw.itertuples()]


def _work_address(research: Path) -> list[dict]:
    raw = read_extract(research, f"{HOME}/wfh_cbs_82918NED_workaddress_2020.csv")
    check(len(raw) == 21, f"expected 21 rows of 82918NED, got {len(raw)}")
    return [_row("wfh_cbs_82918NED_workaddress_2020.csv", r) for r in raw.itertuples()]


EU_SPLIT_NOTE = "EU: 9% usually + 13% sometimes"


def _eurostat(research: Path) -> list[dict]:
    file = "wfh_eurostat_nl.csv"
    raw = read_extract(research, f"{HOME}/{file}")
    rows = []
    for r in raw.itertuples():
        if r.note != EU_SPLIT_NOTE:
            rows.append(_row(file, r))
            continue
        # The EU 2023 row's note gives the published split; each part becomes its own row.
        rows.append(
            _row(file, r)
            | {"note": "Published with its split: 9% usually and 13% sometimes (their own rows)."}
        )
        part = (
            "Part of the 2023 EU figure of 22% (usually or sometimes), recorded in the research "
            "note of that row."
        )
        usually = r._replace(measure="usually works from home", note="")
        rows.append(
            _row(file, usually, value="9")
            | {
                "note": f"{part} Whether Eurostat's 'usually' series runs unbroken from 2020 to "
                "2023 was not checked."
            }
        )
        sometimes = r._replace(measure="works from home sometimes", note="")
        rows.append(_row(file, sometimes, value="13") | {"note": part})
    return rows


def _other_surveys(research: Path) -> list[dict]:
    file = "wfh_other_surveys_kim_tno.csv"
    raw = read_extract(research, f"{HOME}/{file}")
    rows = []
    low = raw[raw["measure"] == "share working at home (lower end of range)"]
    high = raw[raw["measure"] == "share working at home (upper end of range)"]
    check(len(low) == 1 and len(high) == 1, "expected one KiM range (low and high end)")
    for r in raw.itertuples():
        if r.measure == "share working at home (upper end of range)":
            continue
        if r.measure == "share working at home (lower end of range)":
            check(r.note == "range 45-56% across studies", f"range note changed: {r.note!r}")
            row = _row(file, r._replace(note=""), measure_key=("share working at home", "%"))
            row |= {
                "value": "",
                "value_low": r.value,
                "value_high": high["value"].item(),
                "value_as_published": f"{r.value}-{high['value'].item()}",
                "note": "A published range across studies: value_low and value_high are its "
                "ends. " + row["note"],
            }
            rows.append(row)
            continue
        rows.append(_row(file, r))
    return rows


def homeworking(research: Path) -> pd.DataFrame:
    rows = (
        _annual(research)
        + _quarterly(research)
        + _work_address(research)
        + _eurostat(research)
        + _other_surveys(research)
    )
    out = pd.DataFrame(rows)
    out["note"] = out["note"].str.strip()
    dupes = out["figure_id"][out["figure_id"].duplicated()]
    check(dupes.empty, f"figure ids are not unique: {list(dupes)}")
    verbal_only = out["value"].eq("") & out["value_low"].eq("")
    check(
        out.loc[verbal_only, "caveats"].str.contains("verbal_quantity").all(),
        "a row without a value must carry the verbal_quantity caveat",
    )
    shares = out[out["measure"].str.endswith("_pct") & out["value"].ne("")]
    check(shares["value"].astype(float).between(0, 100).all(), "a share lies outside 0-100")
    return out


# ---- covid-19 timeline -------------------------------------------------------------------


def covid_timeline(research: Path) -> pd.DataFrame:
    raw = read_extract(research, f"{HOME}/covid_homework_advice_timeline.csv")
    # The extract's `event` text -> how the row is curated.
    timeline = {entry["event"]: entry for entry in read_spec("covid_timeline")["event"]}
    check(set(raw["event"]) == set(timeline), "timeline events differ from the curated list")
    check(raw["event"].is_unique, "an event text appears twice in the timeline extract")
    rows = []
    for r in raw.itertuples():
        spec = timeline[r.event]
        date = r.date
        if "date" in spec:
            # Filled in from the page's own words; asserted rather than trusted.
            check(date == "", f"the extract now dates {r.event!r}: drop the override")
            day = dt.date.fromisoformat(spec["date"])
            check(r.date_as_published.startswith("dinsdag 25 januari"), "unexpected wording")
            check(day.strftime("%A") == "Tuesday", f"{day} is not a Tuesday")
            date = spec["date"]
        if date:
            dt.date.fromisoformat(date)
            check("month" not in spec, f"{r.event!r} is dated after all")
            prefix = date.replace("-", "_")
        else:
            check("month" in spec, f"{r.event!r} has no date and no month")
            prefix = spec["month"]
        notes = [r.note, spec.get("note", "")]
        if "date" in spec:
            notes.append(
                "The page prints 'dinsdag 25 januari' in a February 2022 article; 25 January "
                "2022 was a Tuesday."
            )
        url, _, url_note = r.source_url.partition(" ")
        check(not url_note, f"text after the URL: {r.source_url!r}")
        rows.append(
            {
                "event_id": f"{prefix}_{spec['id']}",
                "event_date": date,
                "event_date_kind": spec["kind"],
                "event_date_as_published": r.date_as_published,
                "event_end_date": spec.get("end", ""),
                "event_announced_until": spec.get("until", ""),
                "event": r.event,
                "homeworking_advice": spec["advice"],
                "homeworking_advice_wording": r.home_working_advice,
                "source_type": "secondary",
                "caveats": spec.get("caveats", ""),
                "source_url": _clean_url(url),
                "note": " ".join(n if n.endswith(".") else f"{n}." for n in notes if n),
            }
        )
    out = pd.DataFrame(rows)
    dupes = out["event_id"][out["event_id"].duplicated()]
    check(dupes.empty, f"event ids are not unique: {list(dupes)}")
    dated = out[out["event_date"] != ""]["event_date"]
    check(dated.is_monotonic_increasing, "timeline rows are not in date order")
    return out


# How the extracts' notes and units state a definition's years, StatLine table and ages; every
# statement of one definition must agree.
STATEMENTS = (
    r"EBB definition (?P<asked_from>\d{4})-(?P<asked_until>\d{4}) \(table (?P<cbs_table_id>\w+)\)",
    r"EBB definition from (?P<asked_from>\d{4})",
    r"StatLine (?P<cbs_table_id>\d+NED)\b",
    r"StatLine \w+ '[^']*, (?P<asked_from>\d{4})-(?P<asked_until>\d{4})'",
    r"employed (?:aged )?(?P<age_min>\d+)-(?P<age_max>\d+)",
)
# Every extract of the CBS and Eurostat definitions (KiM, TNO, RIVM and Google state none).
DEFINITION_FILES = (
    "wfh_cbs_annual.csv",
    "wfh_cbs_2023_by_occupation.csv",
    "wfh_cbs_quarterly.csv",
    "wfh_cbs_82918NED_workaddress_2020.csv",
    "wfh_eurostat_nl.csv",
)
DEFINITION_COLUMNS = ("asked_from", "asked_until", "cbs_table_id", "age_min", "age_max")


def homeworking_definitions(research: Path) -> pd.DataFrame:
    """One row per home-working definition whose years, table or ages the research extracts'
    notes and units state (the words quoted in `stated_as`), with the address of the first row
    that states them, a producer's own page first."""
    found: dict[str, dict] = {}
    for file in DEFINITION_FILES:
        for r in read_extract(research, f"{HOME}/{file}").itertuples():
            definition = _definition(file, r)
            for pattern in STATEMENTS:
                for match in re.finditer(pattern, f"{r.note} | {r.unit}"):
                    entry = found.setdefault(definition, {"values": {}, "stated": [], "urls": []})
                    for key, value in match.groupdict().items():
                        seen = entry["values"].setdefault(key, value)
                        check(seen == value, f"{definition}: {key} stated as {seen} and {value}")
                    entry["stated"].append(match[0])
                    entry["urls"].append(r.source_url)
    rows = []
    for definition, entry in found.items():
        urls = sorted(entry["urls"], key=lambda u: urlparse(u).netloc not in PRIMARY_HOSTS)
        rows.append(
            {
                "definition": definition,
                "figure_producer": _producer(definition),
                **{key: entry["values"].get(key, "") for key in DEFINITION_COLUMNS},
                "stated_as": "; ".join(dict.fromkeys(entry["stated"])),
                "source_url": _clean_url(urls[0]),
            }
        )
    return pd.DataFrame(rows).sort_values("definition", ignore_index=True)


def build(research: Path) -> dict[str, pd.DataFrame]:
    return {
        "homeworking": homeworking(research),
        "homeworking_definitions": homeworking_definitions(research),
        "covid_timeline": covid_timeline(research),
    }
