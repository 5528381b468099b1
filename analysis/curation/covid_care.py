"""Covid-period GP and physiotherapy care, workers' musculoskeletal complaints, home-working
studies and care costs, from ``gp_data/`` and ``homework/``.

Changes to the extracts, in the open:
- The two GP-contact extracts are merged. A figure that both copied from the same page is one
  row; a figure published on two different sites is two rows, each note naming the other.
- Falls are negative, as in the extracts. Where a source published a reduction with an interval
  ('46.7% (95% CI 43.9-49.3%)'), the value is -46.7 and the bounds become -49.3 and -43.9.
- Quantities published only in words ('de helft', 'driekwart', 'een kwart', 'twee derde',
  'anderhalf miljoen', 'bijna 1 op de 10') have an empty `value` and keep the words in
  `value_as_published`. The homework extract had written three of them as 50, 75 and 25.
- Verbal qualifiers move to `value_qualifier` (English keys); 'gemiddeld' (average) is the
  measure itself, not a qualifier.
- `value_as_published` comes from the extract where it recorded the printed text; it is never
  rebuilt from the number (the extracts did not record StatLine's notation, so CBS rows leave it
  empty). For a few rows the wording was read on the source page itself (Nivel's 'omvang
  zorggebruik' and physiotherapy factsheet, TNO's facts 2022, the Velek and Bosma abstracts);
  the figure is always the extract's. Elsewhere it stays empty.
- A source URL followed by '(read via ...)' is split: the URL stays, the text goes to `note`.
- Period labels are the extracts', except where listed in the specs below; `period_start` and
  `period_end` come only from the label (a year, a span of years, a month, a span of months, or
  ISO weeks, which match the dates Nivel prints: week 11 of 2020 is 9-15 March).
- Two 2021 Nivel figures that the homework GP extract kept in a note ('2,1% lower than 2019'
  and '-10%' for ages 5-17) are rows here; the code checks the note still says so.
- Every extract row is either curated or dropped on purpose (`_Extract.done()` fails
  otherwise).

Left out, each with its reason in a `.drop(...)` call below: a qualitative statement with no
figure, the size of Nivel's 2023 sample, hospital-stay headlines with no year or definition,
StatLine exposures that are not physical load, KiM's non-musculoskeletal complaints, and the
83005ENG GP-contact rows, which are lower bounds of 95% intervals and not estimates.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.curation import check, join_caveats, read_extract
from analysis.metadata import resource

GP_CONTEXT = "gp_data/covid_period_gp_context.csv"
GP_NIVEL = "homework/gp_contacts_covid_nivel.csv"
PHYSIO = "homework/physio_use.csv"
OTHER_CARE = "gp_data/other_care_use.csv"
NEA_TNO = "homework/msk_workers_nea_tno.csv"
NEA_STATLINE = "homework/msk_nea_physical_load_statline.csv"
SELF_REPORT = "homework/cbs_health_survey_selfreport.csv"
STUDIES = "homework/msk_wfh_studies.csv"
COSTS = "gp_data/zorguitgaven_costs.csv"


# --------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _split_url(text: str) -> tuple[str, str]:
    """'https://x (read via y)' -> ('https://x', 'Read via y.')."""
    url, _, rest = text.partition(" ")
    check(url.startswith("https://"), f"source_url should start with an https URL: {text!r}")
    rest = rest.strip().strip("()")
    return url, (f"{rest[0].upper()}{rest[1:]}." if rest else "")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_dates(label: str) -> tuple[str, str]:
    """First and last day of a period, read only from its label; empty when it cannot be."""
    if m := re.fullmatch(r"(\d{4})", label):
        y = int(m[1])
        return str(date(y, 1, 1)), str(date(y, 12, 31))
    if m := re.fullmatch(r"(\d{4})[-/](\d{4})", label):
        return str(date(int(m[1]), 1, 1)), str(date(int(m[2]), 12, 31))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        y, mo = int(m[1]), int(m[2])
        return str(date(y, mo, 1)), str(_month_end(y, mo))
    if m := re.fullmatch(r"(\d{4})-(\d{2})(?: to |/)(\d{4})-(\d{2})", label):
        start = date(int(m[1]), int(m[2]), 1)
        return str(start), str(_month_end(int(m[3]), int(m[4])))
    if m := re.fullmatch(r"(\d{4}) wk (\d+)-(\d+)", label):
        y = int(m[1])
        return str(date.fromisocalendar(y, int(m[2]), 1)), str(
            date.fromisocalendar(y, int(m[3]), 7)
        )
    if m := re.fullmatch(r"(\d{4}) wk (\d+) \((\d+)-(\d+) Mar\) onward", label):
        y, week = int(m[1]), int(m[2])
        start = date.fromisocalendar(y, week, 1)
        check(
            (start.month, start.day) == (3, int(m[3])),
            f"ISO week {week} of {y} does not start on the date printed in {label!r}",
        )
        return str(start), ""
    if m := re.fullmatch(r"(\d{4}) .*\(from wk (\d+)\)", label):
        return str(date.fromisocalendar(int(m[1]), int(m[2]), 1)), ""
    return "", ""


def _with_dates(rows: list[dict]) -> list[dict]:
    for row in rows:
        start, end = period_dates(row["period"])
        row["period_start"], row["period_end"] = start, end
    return rows


def _frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame(rows).reindex(columns=list(columns)).fillna("")
    dupes = out["figure_id"][out["figure_id"].duplicated()]
    check(dupes.empty, f"figure ids are not unique: {list(dupes)}")
    check(out["figure_id"].str.fullmatch(r"[a-z0-9_]+").all(), "figure ids must be slugs")
    return out


class _Extract:
    """An extract whose rows are taken one by one, so none is used twice or forgotten."""

    def __init__(self, research: Path, relpath: str, key: tuple[str, ...]):
        self.name = relpath
        self.raw = read_extract(research, relpath)
        self.key = key
        self.used: set[int] = set()

    def take(self, *values: str) -> pd.Series:
        mask = pd.Series(True, index=self.raw.index)
        for col, val in zip(self.key, values, strict=True):
            mask &= self.raw[col] == val
        hits = self.raw.index[mask]
        check(len(hits) == 1, f"{self.name}: expected one row for {values}, found {len(hits)}")
        check(hits[0] not in self.used, f"{self.name}: row {values} used twice")
        self.used.add(hits[0])
        return self.raw.loc[hits[0]]

    def rows(self, mask: pd.Series) -> pd.DataFrame:
        """All rows matching `mask`, marked as used."""
        picked = self.raw[mask]
        check(not (set(picked.index) & self.used), f"{self.name}: rows taken twice")
        self.used.update(picked.index)
        return picked

    def rest(self) -> pd.DataFrame:
        """Every row not yet taken or dropped, marked as used."""
        return self.rows(~self.raw.index.isin(list(self.used)))

    def drop(self, mask: pd.Series, reason: str) -> None:
        """Leave rows out on purpose; `reason` documents why (see the module docstring)."""
        check(bool(reason), "a dropped row needs a reason")
        self.rows(mask)

    def done(self) -> None:
        left = self.raw.drop(index=list(self.used))
        check(left.empty, f"{self.name}: rows neither curated nor dropped:\n{left}")


# Verbal quantities in the homework extracts: (value_qualifier, words when only words were given).
QUALIFIERS = {
    "": ("", ""),
    "ongeveer (about)": ("about", ""),
    "bijna (almost)": ("almost", ""),
    "ruim (just over)": ("just over", ""),
    "meer dan (more than)": ("more than", ""),
    "gemiddeld (average)": ("", ""),
    "de helft (half)": ("", "de helft"),
    "driekwart (three quarters)": ("", "driekwart"),
    "een kwart (a quarter)": ("", "een kwart"),
    "bijna 1 op de 10 (almost 1 in 10)": ("almost", "bijna 1 op de 10"),
}


def _qualifier(text: str) -> tuple[str, str]:
    check(text in QUALIFIERS, f"unmapped qualifier {text!r}")
    return QUALIFIERS[text]


def _ci(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"95% CI (\d+\.\d+)-(\d+\.\d+)", text)
    check(m is not None, f"expected '95% CI a-b', got {text!r}")
    return m[1], m[2]


# --------------------------------------------------------------------------- GP contacts

_NIVEL_NATIONAL = "registered patients (Nivel)"
_RIJNMOND = "patients over 45, Rijnmond area GP database"
_SKIPR_WAVE = "https://www.skipr.nl/nieuws/mensen-met-urgente-klachten-meden-huisarts-tijdens-eerste-coronagolf/"

# One entry per published figure: the extract rows it comes from, keyed by (measure, value),
# and how it is curated. `from_note` marks a figure that an extract kept in the note of a row.
GP_FIGURES: list[dict] = [
    {
        "figure_id": "2020_mar_jun_practice_contacts_change_pct_skipr",
        "rows": [
            (GP_CONTEXT, "change in number of GP contacts", "-11"),
            (GP_NIVEL, "change in GP visits during first wave", "-11"),
        ],
        "period": "2020-03 to 2020-06",
        "group": "all patients (Nivel/RIVM study)",
        "measure": "practice_contacts_change_pct",
        "compared_with": "same period 2019",
        "note": "Contacts with the GP practice during the first covid-19 wave (Nivel/RIVM). "
        "Urgent complaints were avoided about as much as non-urgent ones; in the second wave "
        "(late 2020) contacts were back at the usual level. Both research extracts copied this "
        "figure from the same page, so it is one row.",
    },
    {
        "figure_id": "2020_mar_jun_cancer_consultations_change_pct_skipr",
        "rows": [
            (GP_CONTEXT, "change in consultations", "-21"),
            (GP_NIVEL, "change during first wave", "-21"),
        ],
        "period": "2020-03 to 2020-06",
        "group": "all patients (Nivel/RIVM study)",
        "measure": "cancer_consultations_change_pct",
        "compared_with": "same period 2019",
        "note": "GP consultations for cancer-related complaints during the first wave. Copied "
        "by both research extracts from the same page; one row.",
    },
    {
        "figure_id": "2020_mar_jun_heart_disease_consultations_change_pct_skipr",
        "rows": [
            (GP_CONTEXT, "change in consultations", "-16"),
            (GP_NIVEL, "change during first wave", "-16"),
        ],
        "period": "2020-03 to 2020-06",
        "group": "all patients (Nivel/RIVM study)",
        "measure": "heart_disease_consultations_change_pct",
        "compared_with": "same period 2019",
        "note": "GP consultations for heart disease during the first wave. Copied by both "
        "research extracts from the same page; one row.",
    },
    {
        "figure_id": "2020_practice_contacts_change_pct_skipr",
        "rows": [
            (GP_CONTEXT, "change in contacts with the GP practice over the whole year", "-2.7")
        ],
        "period": "2020",
        "group": "all patients (Nivel/RIVM study)",
        "measure": "practice_contacts_change_pct",
        "compared_with": "2019",
        "note": "Whole-year figure quoted in Skipr's article on the first wave. The same figure "
        "is on Nationale Zorggids (row 2020_practice_contacts_change_pct_nationalezorggids), a "
        "separate source reporting Nivel's 2020 figures, so both rows are kept.",
    },
    {
        "figure_id": "2020_practice_contacts_change_pct_nationalezorggids",
        "rows": [(GP_NIVEL, "change in contacts with the GP practice", "-2.7")],
        "period": "2020",
        "group": _NIVEL_NATIONAL,
        "measure": "practice_contacts_change_pct",
        "compared_with": "2019",
        "note": "Nivel Zorgregistraties eerste lijn; the largest drop was among under-18s. The "
        "same figure is on Skipr (row 2020_practice_contacts_change_pct_skipr), a separate "
        "source, so both rows are kept.",
    },
    {
        "figure_id": "2020_gp_contacts_change_pct_skipr",
        "rows": [(GP_NIVEL, "change in contacts with the GP (excl. practice nurse)", "-3.5")],
        "period": "2020",
        "group": _NIVEL_NATIONAL,
        "measure": "gp_contacts_change_pct",
        "compared_with": "2019",
        "note": "Contacts with the GP only, without the practice nurse: a different measure from "
        "the 2.7% fall in contacts with the whole practice.",
    },
    {
        "figure_id": "2020_diagnoses_recorded_change_pct_nationalezorggids",
        "rows": [(GP_NIVEL, "change in number of diseases/complaints recorded by GPs", "-3.6")],
        "period": "2020",
        "group": _NIVEL_NATIONAL,
        "measure": "diagnoses_recorded_change_pct",
        "compared_with": "2019",
        "note": "Number of diseases and complaints recorded by GPs. Cardiovascular and "
        "musculoskeletal diagnoses fell most; the stored text gives no percentage for "
        "musculoskeletal diagnoses.",
    },
    {
        "figure_id": "2019_specialist_referrals_per_1000_nationalezorggids",
        "rows": [(GP_NIVEL, "referrals to medical specialist", "306")],
        "period": "2019",
        "group": _NIVEL_NATIONAL,
        "measure": "specialist_referrals_per_1000",
        "note": "GP referrals to a medical specialist per 1,000 registered patients.",
    },
    {
        "figure_id": "2020_specialist_referrals_per_1000_nationalezorggids",
        "rows": [(GP_NIVEL, "referrals to medical specialist", "248")],
        "period": "2020",
        "group": _NIVEL_NATIONAL,
        "measure": "specialist_referrals_per_1000",
        "note": "GP referrals to a medical specialist per 1,000 registered patients. The research "
        "note gives -19% against 2019; it does not record whether the article printed that "
        "percentage, so it is not a row.",
    },
    {
        "figure_id": "2019_patients_with_contact_share_pct_vzinfo",
        "rows": [(GP_CONTEXT, "share with at least one contact with the GP practice", "78.2")],
        "period": "2019",
        "group": "registered GP patients",
        "measure": "patients_with_contact_share_pct",
        "note": "Share of registered patients with at least one contact with the GP practice "
        "(Nivel data on VZinfo). Nivel's own page rounds it to 'meer dan driekwart (78%)': "
        "https://www.nivel.nl/nl/nivel-zorgregistraties-eerste-lijn/cijfers-zorgverlening-huisartsen",
    },
    {
        "figure_id": "2021_patients_with_contact_share_pct_nivel",
        "rows": [
            (GP_CONTEXT, "share with at least one contact with the GP practice", "76.6"),
            (GP_NIVEL, "share with at least one contact with GP practice", "76.6"),
        ],
        "period": "2021",
        "group": _NIVEL_NATIONAL,
        "measure": "patients_with_contact_share_pct",
        "note": "Share of registered patients with at least one contact with the GP practice. "
        "Copied by both research extracts from the same page; one row.",
    },
    {
        "figure_id": "2021_patients_with_contact_change_pct_nivel",
        "rows": [(GP_NIVEL, "share with at least one contact with GP practice", "76.6")],
        "from_note": ("2.1% lower than 2019", "-2.1"),
        "period": "2021",
        "group": _NIVEL_NATIONAL,
        "measure": "patients_with_contact_change_pct",
        "compared_with": "2019",
        "value_as_published": "2,1% lager dan in 2019",
        "note": "Change in the share of registered patients with a contact, mainly because "
        "fewer 5-17-year-olds had one. The page does not say whether this is a relative change "
        "or percentage points; against VZinfo's 78.2% for 2019 it fits a relative change (our "
        "consistency check, not a published statement).",
    },
    {
        "figure_id": "2021_contacts_per_patient_nivel",
        "rows": [
            (GP_CONTEXT, "average contacts with the practice per patient", "5.1"),
            (GP_NIVEL, "average contacts per patient with GP practice", "5.1"),
        ],
        "period": "2021",
        "group": _NIVEL_NATIONAL,
        "measure": "contacts_per_patient",
        "note": "Average number of contacts with the GP practice per patient, about the 2019 "
        "level except for ages 5-17. Copied by both research extracts from the same page; one row.",
    },
    {
        "figure_id": "2021_age_5_17_contacts_per_patient_change_pct_nivel",
        "rows": [(GP_NIVEL, "average contacts per patient with GP practice", "5.1")],
        "from_note": ("except ages 5-17 (-10%)", "-10"),
        "period": "2021",
        "group": "registered patients aged 5-17 (Nivel)",
        "measure": "contacts_per_patient_change_pct",
        "compared_with": "2019",
        "value_as_published": "-10%",
        "note": "Nivel: contacts per patient were about back at the 2019 level in 2021 'met "
        "uitzondering van 5-17 jarigen (-10%)'.",
    },
    {
        "figure_id": "2020_first_wave_peak_msk_consultations_change_pct_velek",
        "rows": [
            (
                GP_CONTEXT,
                "relative reduction in GP consultations for any musculoskeletal complaint",
                "-46.7",
            )
        ],
        "period": "2020 first-wave peak",
        "group": _RIJNMOND,
        "coverage": "regional",
        "measure": "msk_consultations_change_pct",
        "ci": ("43.9", "49.3"),
        "value_as_published": "46.7% (95% CI: 43.9-49.3%)",
        "compared_with": "2015-2019 average",
        "note": "Relative reduction in GP consultations for any musculoskeletal complaint, "
        "published as 46.7% with a 95% confidence interval of 43.9-49.3%; signs turned so the "
        "fall is negative. 118,756 patients over 45 years. The same study is reported, rounded "
        "to 47%, by ArtroseGezond (row 2020_first_wave_msk_consultations_change_pct_"
        "artrosegezond). Abstract also at "
        "https://daten-quadrat.de/go_to.php?id=caec6887ce5cea2093810da6ce0f46152",
    },
    {
        "figure_id": "2020_second_wave_peak_msk_consultations_change_pct_velek",
        "rows": [
            (
                GP_CONTEXT,
                "relative reduction in GP consultations for any musculoskeletal complaint",
                "-9.3",
            )
        ],
        "period": "2020 second-wave peak",
        "group": _RIJNMOND,
        "coverage": "regional",
        "measure": "msk_consultations_change_pct",
        "ci": ("5.7", "12.7"),
        "value_as_published": "9.3% (95% CI: 5.7-12.7%)",
        "compared_with": "2015-2019 average",
        "note": "Published as a reduction of 9.3% with a 95% confidence interval of 5.7-12.7%; "
        "signs turned so the fall is negative. Reported rounded to 9% by ArtroseGezond (row "
        "2020_second_wave_msk_consultations_change_pct_artrosegezond).",
    },
    {
        "figure_id": "2020_first_wave_msk_consultations_change_pct_artrosegezond",
        "rows": [(GP_NIVEL, "change in GP visits for musculoskeletal complaints", "-47")],
        "period": "2020 first wave",
        "group": "patients over 45, Rijnmond Gezond database (Erasmus MC, n=118,756)",
        "coverage": "regional",
        "measure": "msk_consultations_change_pct",
        "compared_with": "2015-2019",
        "note": "The rounded result of the study in row 2020_first_wave_peak_msk_consultations_"
        "change_pct_velek, on a separate site; kept as a separate source.",
    },
    {
        "figure_id": "2020_second_wave_msk_consultations_change_pct_artrosegezond",
        "rows": [(GP_NIVEL, "change in GP visits for musculoskeletal complaints", "-9")],
        "period": "2020 second wave",
        "group": "patients over 45, Rijnmond Gezond database (Erasmus MC, n=118,756)",
        "coverage": "regional",
        "measure": "msk_consultations_change_pct",
        "compared_with": "2015-2019",
        "note": "The rounded result of the study in row 2020_second_wave_peak_msk_consultations_"
        "change_pct_velek, on a separate site; kept as a separate source.",
    },
    {
        "figure_id": "2020_first_wave_knee_hip_consultations_change_pct_artrosegezond",
        "rows": [
            (GP_NIVEL, "change in GP visits for knee/hip complaints or osteoarthritis", "-50")
        ],
        "period": "2020 first wave",
        "group": "patients over 45, Rijnmond Gezond database (Erasmus MC, n=118,756)",
        "coverage": "regional",
        "measure": "knee_hip_consultations_change_pct",
        "compared_with": "2015-2019",
        "note": "'More than' qualifies the size of the fall: visits fell by more than 50%.",
    },
    {
        "figure_id": "2020_second_wave_knee_hip_consultations_change_pct_artrosegezond",
        "rows": [
            (GP_NIVEL, "change in GP visits for knee/hip complaints or osteoarthritis", "-10")
        ],
        "period": "2020 second wave",
        "group": "patients over 45, Rijnmond Gezond database (Erasmus MC, n=118,756)",
        "coverage": "regional",
        "measure": "knee_hip_consultations_change_pct",
        "compared_with": "2015-2019",
        "note": "GP visits for knee or hip complaints or osteoarthritis.",
    },
    {
        "figure_id": "2017_2023_msk_consultations_share_pct_ipci",
        "rows": [
            (
                GP_CONTEXT,
                "share of all GP consultations attributed to ICPC chapter L (musculoskeletal)",
                "",
            )
        ],
        "period": "2017-2023",
        "group": "IPCI database (more than 2.5 million patients)",
        "coverage": "single_database",
        "measure": "msk_consultations_share_pct",
        "range": ("11.3", "12.6"),
        "note": "Share of all GP consultations with ICPC chapter L (musculoskeletal). "
        "value_low and value_high are the lowest and highest yearly values over 2017-2023, not a "
        "confidence interval; the yearly values are not in the abstract. Back disorders ranked "
        "after lower-limb and upper-limb disorders.",
    },
    {
        "figure_id": "2017_2023_consultations_per_year_million_ipci",
        "rows": [(GP_CONTEXT, "annual number of GP consultations in the database", "")],
        "period": "2017-2023",
        "group": "IPCI database (more than 2.5 million patients)",
        "coverage": "single_database",
        "measure": "consultations_per_year_million",
        "range": ("7.5", "9.3"),
        "note": "Number of GP consultations per year in the database; value_low and value_high "
        "are the range over 2017-2023 as published, not a confidence interval.",
    },
]

_GP_SECONDARY = {
    _SKIPR_WAVE,
    "https://www.skipr.nl/nieuws/afname-zorggebruik-in-huisartsenpraktijk-in-2020/",
    "https://www.nationalezorggids.nl/sections/ziekenhuizen/articles/61893-in-2020-minder-bezoeken-"
    "aan-de-huisarts?related_news_list_page=4",
    "https://artrosegezond.nl/afname-van-huisartsbezoeken-voor-knie-en-heupklachten-tijdens-covid-"
    "19-pandemie/",
}


def gp_contacts(research: Path) -> pd.DataFrame:
    extracts = {
        GP_CONTEXT: _Extract(research, GP_CONTEXT, ("measure", "value")),
        GP_NIVEL: _Extract(research, GP_NIVEL, ("measure", "value")),
    }
    context, nivel = extracts[GP_CONTEXT], extracts[GP_NIVEL]
    out = []
    for spec in GP_FIGURES:
        found = []
        for name, measure, value in spec["rows"]:
            extract = extracts[name]
            if "from_note" in spec:  # the row was taken for its own figure already
                hit = extract.raw[
                    (extract.raw["measure"] == measure) & (extract.raw["value"] == value)
                ]
                check(len(hit) == 1, f"{name}: no single row {measure!r} = {value}")
                found.append(hit.iloc[0])
            else:
                found.append(extract.take(measure, value))
        urls = {_split_url(r["source_url"])[0] for r in found}
        check(len(urls) == 1, f"{spec['figure_id']}: merged rows come from different pages {urls}")
        url = urls.pop()
        first = found[0]
        value, low, high = first["value"], "", ""
        if "from_note" in spec:
            text, value = spec["from_note"]
            check(text in first["note"], f"{spec['figure_id']}: note lacks {text!r}")
        if "ci" in spec:  # a published reduction with its interval, turned into a signed fall
            lo, hi = spec["ci"]
            check(
                f"{value.lstrip('-')}% (95% CI {lo}-{hi}%)" == first["value_as_published"],
                f"{spec['figure_id']}: interval does not match {first['value_as_published']!r}",
            )
            low, high = f"-{hi}", f"-{lo}"
        if "range" in spec:
            low, high = spec["range"]
            check(
                low in first["value_as_published"] and high in first["value_as_published"],
                f"{spec['figure_id']}: range not in {first['value_as_published']!r}",
            )
        qualifier = _qualifier(first.get("value_qualifier", ""))[0]
        published = spec.get("value_as_published") or first.get("value_as_published", "")
        secondary = url in _GP_SECONDARY
        coverage = spec.get("coverage", "national")
        out.append(
            {
                "figure_id": spec["figure_id"],
                "period": spec["period"],
                "group": spec["group"],
                "care_coverage": coverage,
                "measure": spec["measure"],
                "value": value,
                "value_low": low,
                "value_high": high,
                "value_qualifier": qualifier,
                "value_as_published": published,
                "compared_with": spec.get("compared_with", ""),
                "source_type": "secondary" if secondary else "primary",
                "caveats": join_caveats(
                    "secondary_source" if secondary else "",
                    "regional" if coverage != "national" else "",
                    "preprint" if "sciety.org" in url else "",
                    "not_specific_to_back",
                    "verbal_quantity" if qualifier else "",
                ),
                "source_url": url,
                "note": spec["note"],
            }
        )
    context.drop(
        context.raw["measure"] == "qualitative: GP care broadly back at pre-pandemic level",
        "no figure; the description says GP care was broadly back to normal in 2021",
    )
    nivel.drop(
        nivel.raw["measure"] == "participating GP practices",
        "size of Nivel's 2023 sample (424 practices), not a measure of GP activity",
    )
    context.done()
    nivel.done()
    return _frame(_with_dates(out), resource("gp_contacts_covid").fields)


# --------------------------------------------------------------------------- physiotherapy

# Rows of physio_use.csv other than the CBS StatLine rows, keyed by (period, measure, value).
PHYSIO_FIGURES: dict[tuple[str, str, str], dict] = {
    ("2020 wk 11 (9-15 Mar) onward", "change in consultations", "-78"): {
        "figure_id": "2020_wk11_physio_exercise_practices_consultations_change_pct_nivel",
        "group": "physiotherapy and exercise-therapy practices (Nivel, 149-156 physiotherapy and "
        "50-60 exercise-therapy practices)",
        "measure": "consultations_change_pct",
        "compared_with": "start of 2020",
        "note": "Fall in consultations from the week of 9-15 March 2020 onward.",
    },
    ("2020 ~4 weeks after 1 Jun", "consultations as share of pre-outbreak level", "75"): {
        "figure_id": "2020_jun_physio_practices_consultations_share_of_baseline_pct_nivel",
        "group": "physiotherapy practices (Nivel)",
        "measure": "consultations_share_of_baseline_pct",
        "compared_with": "level before the outbreak",
        "note": "Consultations about four weeks after care reopened on 1 June 2020.",
    },
    ("2020 ~4 weeks after 1 Jun", "consultations as share of pre-outbreak level", "50"): {
        "figure_id": "2020_jun_exercise_practices_consultations_share_of_baseline_pct_nivel",
        "group": "exercise-therapy practices (Nivel)",
        "measure": "consultations_share_of_baseline_pct",
        "compared_with": "level before the outbreak",
        "note": "Consultations about four weeks after care reopened on 1 June 2020: half the "
        "earlier level, published in words only.",
    },
    ("2020 lockdown (mid-Mar to early May)", "change in consultations", "-90"): {
        "figure_id": "2020_lockdown_low_back_neck_consultations_change_pct_nivel",
        "group": "physiotherapy consultations for low back and neck complaints (Nivel, 168-214 "
        "practices)",
        "measure": "low_back_neck_consultations_change_pct",
        "value_as_published": "90%",
        "note": "Fall in consultations during the covid-19 measures, the largest of the five "
        "conditions Nivel studied; the page does not name the baseline period.",
    },
    ("2020 after scale-up (from wk 18)", "consultations as share of pre-covid level", "75"): {
        "figure_id": "2020_from_wk18_low_back_neck_consultations_share_of_baseline_pct_nivel",
        "group": "physiotherapy consultations for low back and neck complaints (Nivel, 168-214 "
        "practices)",
        "measure": "low_back_neck_consultations_share_of_baseline_pct",
        "compared_with": "level before the covid-19 pandemic",
        "note": "After care was scaled up again from week 18 of 2020.",
    },
    ("2020 wk 22-26", "consultations as share of pre-outbreak level", "75"): {
        "figure_id": "2020_wk22_26_physio_practices_consultations_share_of_baseline_pct_nivel",
        "group": "physiotherapy consultations per practice (Nivel, 168-214 practices)",
        "measure": "consultations_share_of_baseline_pct",
        "compared_with": "level before the outbreak",
        "value_as_published": "ongeveer 75%",
        "note": "Consultations per practice rose to about 75% of the earlier level, mostly "
        "before week 22, and stayed about level until week 26.",
    },
    (
        "2020 (months after lockdown; published Dec 2020)",
        "remaining shortfall vs pre-pandemic",
        "25",
    ): {
        "figure_id": "2020_after_lockdown_physio_consultations_change_pct_blikopnieuws",
        "group": "physiotherapy consultations per practice (Nivel, 255-289 practices)",
        "measure": "consultations_change_pct",
        "compared_with": "level before the pandemic",
        "value_as_published": "een kwart lager",
        "note": "Headline: consultations stay a quarter lower months after the lockdown. The "
        "research extract stored this as a shortfall of 25; as a change it is a fall.",
    },
    ("2021", "contact with physio or exercise therapist (self-reported)", "25.4"): {
        "figure_id": "2021_total_physio_contact_share_pct_vzinfo",
        "group": "total population",
        "sex": "total",
        "measure": "physio_contact_share_pct",
        "note": "CBS Gezondheidsenquête via VZinfo; the survey's 2021 data collection was "
        "disturbed by covid-19.",
    },
    ("2021", "average number of treatments", "12"): {
        "figure_id": "2021_physio_treatments_per_patient_vzinfo",
        "group": "patients treated by a physiotherapist",
        "sex": "total",
        "measure": "treatments_per_patient",
        "note": "Average number of treatments per patient; VZinfo names lumbar and "
        "cervicothoracic muscle and tendon disorders as the most common reasons (Nivel).",
    },
    (
        "2018",
        "share treated for muscle/tendon/fascia disorders of cervicothoracic spine (top diagnosis)",
        "6",
    ): {
        "figure_id": "2018_cervicothoracic_disorder_patients_share_pct_nivel",
        "group": "physiotherapy patients (Nivel)",
        "sex": "total",
        "measure": "cervicothoracic_disorder_patients_share_pct",
        "note": "Share of physiotherapy patients treated for muscle, tendon or fascia disorders "
        "of the cervicothoracic spine, the top diagnosis (DCSPH coding).",
    },
    ("2015", "share treated for muscle/tendon/fascia disorders of cervicothoracic spine", "7"): {
        "figure_id": "2015_cervicothoracic_disorder_patients_share_pct_gzcooginal",
        "group": "physiotherapy patients (Nivel)",
        "sex": "total",
        "measure": "cervicothoracic_disorder_patients_share_pct",
        "note": "Nivel's 2015 annual figures as summarised by a physiotherapy practice website.",
    },
}

_CBS_PHYSIO_MEASURES = {
    "contact with physio/exercise therapist: persons with >=1 contact": "physio_contact_share_pct",
    "contact with physio/exercise therapist: contacts per person": "physio_contacts_per_person",
    "contact with physio/exercise therapist: contacts per person with >=1 contact": (
        "physio_contacts_per_user"
    ),
}


def _cbs_group(group: str) -> tuple[str, str]:
    """(sex, slug) for a CBS health-survey breakdown as the extracts print it."""
    fixed = {
        "Totaal personen": ("total", "total"),
        "Mannen": ("men", "men"),
        "Vrouwen": ("women", "women"),
        "75 jaar of ouder": ("total", "age_75_plus"),
        "Laag onderwijsniveau": ("total", "education_low"),
        "Middelbaar onderwijsniveau": ("total", "education_middle"),
        "Hoog onderwijsniveau": ("total", "education_high"),
    }
    if group in fixed:
        return fixed[group]
    m = re.fullmatch(r"(\d+)-(\d+) jaar", group)
    check(m is not None, f"unmapped CBS group {group!r}")
    return "total", f"age_{m[1]}_{m[2]}"


def physio(research: Path) -> pd.DataFrame:
    ext = _Extract(research, PHYSIO, ("period", "measure", "value"))
    out = []
    cbs = ext.rows(ext.raw["source_url"].str.contains("83005NED"))
    for r in cbs.itertuples():
        measure = _CBS_PHYSIO_MEASURES.get(r.measure)
        check(measure is not None, f"unmapped CBS physiotherapy measure {r.measure!r}")
        check(r.value_qualifier == "", f"unexpected qualifier on a StatLine row: {r}")
        sex, slug = _cbs_group(r.group)
        out.append(
            {
                "figure_id": f"{r.period}_{slug}_{measure}_cbs_83005ned",
                "period": r.period,
                "group": r.group,
                "sex": sex,
                "measure": measure,
                "value": r.value,
                "value_as_published": "",
                "source_type": "primary",
                "cbs_table_id": "83005NED",
                "caveats": join_caveats("self_reported", "not_specific_to_back"),
                "source_url": r.source_url,
                "note": "CBS Gezondheidsenquête: self-reported contact with a physiotherapist or "
                "exercise therapist. Cells printed '.' in StatLine (not published) are absent.",
            }
        )
    for key, spec in PHYSIO_FIGURES.items():
        r = ext.take(*key)
        qualifier, words = _qualifier(r["value_qualifier"])
        url = r["source_url"]
        secondary = "nivel.nl" not in url and "vzinfo.nl" not in url
        specific = spec["measure"].startswith(("low_back_neck", "cervicothoracic"))
        out.append(
            {
                "figure_id": spec["figure_id"],
                "period": r["period"],
                "group": spec["group"],
                "sex": spec.get("sex", ""),
                "measure": spec["measure"],
                "value": "" if words else r["value"],
                "value_qualifier": qualifier,
                "value_as_published": spec.get("value_as_published") or words,
                "compared_with": spec.get("compared_with", ""),
                "source_type": "secondary" if secondary else "primary",
                "caveats": join_caveats(
                    "secondary_source" if secondary else "",
                    "self_reported" if spec["measure"] == "physio_contact_share_pct" else "",
                    "" if specific else "not_specific_to_back",
                    "verbal_quantity" if qualifier or words else "",
                ),
                "source_url": url,
                "note": spec["note"],
            }
        )
    ext.done()
    out.extend(_other_care_physio(research))
    return _frame(_with_dates(out), resource("physio_use").fields)


def _other_care_physio(research: Path) -> list[dict]:
    """The two undated headline counts of people who see a physiotherapist for neck or back."""
    ext = _Extract(research, OTHER_CARE, ("measure", "value"))
    ed = ext.take("people who see a physiotherapist for neck/back complaints (minimum)", "1.3")
    nos = ext.take("people visiting a physiotherapist each year for neck or back pain", "1.5")
    ext.drop(
        ext.raw["unit"] == "days",
        "hospital-stay headlines (4.4 and 5 days): not physiotherapy, no year or definition",
    )
    ext.done()
    check(ed["value_as_published"] == "minimaal 1,3 miljoen", "ED wording changed")
    check(nos["value_as_published"] == "rond de anderhalf miljoen", "NOS wording changed")
    nos_url, via = _split_url(nos["source_url"])
    base = {
        "period": "not stated",
        "group": "people with neck or back complaints",
        "sex": "total",
        "measure": "neck_back_physio_persons_million",
        "source_type": "secondary",
    }
    return [
        base
        | {
            "figure_id": "undated_neck_back_physio_persons_million_ed",
            "value": ed["value"],
            "value_qualifier": "at least",
            "value_as_published": ed["value_as_published"],
            "caveats": join_caveats(
                "secondary_source", "year_uncertain", "verbal_quantity", "sources_disagree"
            ),
            "source_url": _split_url(ed["source_url"])[0],
            "note": "ED (November 2018) quoting RIVM, next to the 2017 GP figures; the year of "
            "the physiotherapy figure is not stated. RIVM's point: GP figures undercount "
            "because people can go to a physiotherapist directly. NOS (2019) says 'around one "
            "and a half million' (row undated_neck_back_physio_persons_million_nos).",
        },
        base
        | {
            "figure_id": "undated_neck_back_physio_persons_million_nos",
            "value": "",
            "value_qualifier": "about",
            "value_as_published": nos["value_as_published"],
            "caveats": join_caveats(
                "secondary_source",
                "mirror_source",
                "year_uncertain",
                "verbal_quantity",
                "sources_disagree",
            ),
            "source_url": nos_url,
            "note": f"NOS, 18 August 2019: people visiting a physiotherapist each year for neck "
            f"or back pain; data year not stated; published in words only. {via} It disagrees "
            "with ED's 'at least 1.3 million' (row undated_neck_back_physio_persons_million_ed).",
        },
    ]


# --------------------------------------------------------------------------- workers' MSK

_MSK_MEASURES = {
    "employees with musculoskeletal complaints in past 12 months": "msk_complaints_share_pct",
    "employees with musculoskeletal complaints": "msk_complaints_share_pct",
    "share whose complaints were musculoskeletal": "msk_share_of_employees_with_complaints_pct",
    "back complaints in past 12 months": "back_complaints_share_pct",
    "upper-extremity (arm/neck/shoulder) complaints in past 12 months": (
        "arm_neck_shoulder_complaints_share_pct"
    ),
    "arm/neck/shoulder complaints": "arm_neck_shoulder_complaints_share_pct",
    "arm/neck/shoulder complaints (KANS) in past 12 months": (
        "arm_neck_shoulder_complaints_share_pct"
    ),
    "lower-extremity complaints in past 12 months": "lower_limb_complaints_share_pct",
    "complaints (as published)": "complaints_share_pct",
    "does physically demanding work": "physically_demanding_work_share_pct",
    "regularly repetitive movements": "repetitive_movements_share_pct",
    "repetitive movements": "repetitive_movements_share_pct",
    "repetitive movements during work (%)": "repetitive_movements_share_pct",
    "regularly exerts much force": "force_exertion_share_pct",
    "regularly exerts force": "force_exertion_share_pct",
    "regularly exerts much force (%)": "force_exertion_share_pct",
    "awkward postures": "awkward_posture_share_pct",
    "unfavourable postures": "awkward_posture_share_pct",
    "regularly awkward working posture": "awkward_posture_share_pct",
    "works in awkward posture (%)": "awkward_posture_share_pct",
    "vibrations": "vibration_exposure_share_pct",
    "regularly exposed to vibrations": "vibration_exposure_share_pct",
    "regularly exposed to vibrations (%)": "vibration_exposure_share_pct",
    "at least 6 h screen work per working day": "screen_work_6h_plus_share_pct",
    "6 h or more screen work per day": "screen_work_6h_plus_share_pct",
    "more than 6 h screen work per day": "screen_work_6h_plus_share_pct",
    "average hours per working day at a screen": "screen_work_hours_per_day",
    "hours per day at a screen for work (hours)": "screen_work_hours_per_day",
    "sit 6 hours or more per working day": "sitting_6h_plus_share_pct",
    "take a (short) break regularly": "regular_breaks_share_pct",
    "report a good working height at home": "home_desk_good_height_share_pct",
    "report an adjustable office chair at home": "home_adjustable_chair_share_pct",
    "share due to musculoskeletal complaints": "msk_absence_days_share_pct",
    "share attributable to physically demanding work": "physical_load_absence_days_share_pct",
    "share due to KANS": "arm_neck_shoulder_absence_days_share_pct",
    "share with a musculoskeletal occupational disease": "msk_occupational_disease_share_pct",
    "share musculoskeletal": "msk_occupational_disease_share_pct",
    "estimated number with a new occupational disease of arm/neck/shoulder": (
        "new_arm_neck_shoulder_occupational_disease_persons"
    ),
    "annual wage costs during absence with musculoskeletal complaints": (
        "msk_absence_wage_costs_eur_billion"
    ),
    "serious/persistent neck or shoulder condition in last 12 months": (
        "neck_shoulder_condition_share_pct"
    ),
    "neck or shoulder problems (chronic condition, self-reported)": (
        "neck_shoulder_condition_share_pct"
    ),
    "back problems (chronic condition, self-reported)": "back_condition_share_pct",
    "pain (any) in last 4 weeks": "pain_past_4_weeks_share_pct",
    "pain: (very) much": "much_or_very_much_pain_share_pct",
    "hindered by pain in normal work": "pain_hindering_work_share_pct",
}

# Measures about complaints that are not neck or back complaints alone.
_MSK_BROAD = {
    "msk_complaints_share_pct",
    "msk_share_of_employees_with_complaints_pct",
    "arm_neck_shoulder_complaints_share_pct",
    "lower_limb_complaints_share_pct",
    "complaints_share_pct",
    "msk_absence_days_share_pct",
    "arm_neck_shoulder_absence_days_share_pct",
    "msk_occupational_disease_share_pct",
    "new_arm_neck_shoulder_occupational_disease_persons",
    "msk_absence_wage_costs_eur_billion",
    "neck_shoulder_condition_share_pct",
    "pain_past_4_weeks_share_pct",
    "much_or_very_much_pain_share_pct",
    "pain_hindering_work_share_pct",
}
_NOT_SURVEY_ANSWERS = {
    "msk_absence_wage_costs_eur_billion",
    "new_arm_neck_shoulder_occupational_disease_persons",
}

# Group as printed in the extracts -> (group as shipped, slug for the id, sex; '' if not persons).
_MSK_GROUPS = {
    "all employees": ("all employees", "employees", "total"),
    "employees": ("employees", "employees", "total"),
    "work-related absence days": ("work-related absence days", "absence_days", ""),
    "employees with a new occupational disease": (
        "employees with a new occupational disease",
        "new_occupational_disease",
        "total",
    ),
    "employers": ("employers", "employers", ""),
    "employees WITH complaints in past 12 months": (
        "employees with complaints in the past 12 months",
        "employees_with_complaints",
        "total",
    ),
    "employees with >=1 doctor-diagnosed occupational disease": (
        "employees with one or more doctor-diagnosed occupational diseases in the past year",
        "diagnosed_occupational_disease",
        "total",
    ),
    "employees with >6 h/day screen work": (
        "employees with more than 6 hours of screen work a day",
        "screen_over_6h",
        "total",
    ),
    "screen workers": ("screen workers", "screen_workers", "total"),
    "home workers": ("home workers", "home_workers", "total"),
    "home workers during COVID-19": ("home workers during covid-19", "covid_home_workers", "total"),
    "doctor-diagnosed occupational diseases": (
        "doctor-diagnosed occupational diseases",
        "diagnosed_occupational_diseases",
        "",
    ),
    "Totaal": ("Totaal", "total", "total"),
    "Dutch background, all ages": ("Dutch migration background, all ages", "dutch_all", "total"),
    "Dutch background, <25": ("Dutch migration background, under 25", "dutch_under_25", "total"),
    "Dutch background, 25-45": ("Dutch migration background, 25-45", "dutch_25_45", "total"),
    "Dutch background, 45-65": ("Dutch migration background, 45-65", "dutch_45_65", "total"),
    "total population": ("total population", "population", "total"),
}

# Period as printed -> (period as shipped, is the survey year uncertain?).
_MSK_PERIODS = {
    "factsheet 2021 (NEA ~2020)": ("factsheet 2021", True),
    "factsheet 2021": ("factsheet 2021", True),
    "factsheet 2022 (NEA ~2021)": ("factsheet 2022", True),
    "factsheet 2022": ("factsheet 2022", True),
    "factsheet beeldschermwerk 2021": ("screen-work factsheet 2021", True),
    "undated ('last year' in article)": ("not stated", True),
}

# Per page: (site slug, secondary?, StatLine table, note).
_MSK_PAGES = {
    "https://www.ergonomiesite.be/factsheet-fysieke-belasting-2021/": (
        "ergonomiesite",
        True,
        "",
        "TNO factsheet fysieke arbeidsbelasting 2021 as summarised by the Belgian site "
        "ergonomiesite.be. The NEA survey year is not printed; presumably 2020, as the "
        "factsheet dates its occupational-disease figure 'in 2020'.",
    ),
    "https://fysiekebelasting.tno.nl/nl/actualities/factsheet-fysieke-arbeidsbelasting-2021/": (
        "tno",
        False,
        "",
        "TNO factsheet fysieke arbeidsbelasting 2021 (NEA).",
    ),
    "https://fysiekebelasting.tno.nl/nl/actualities/facts-fysieke-arbeidsbelasting-en-"
    "beeldschermwerk-2022/": (
        "tno",
        False,
        "",
        "TNO facts fysieke arbeidsbelasting en beeldschermwerk 2022 (NEA); the survey year is "
        "not printed, presumably 2021.",
    ),
    "https://www.rendement.nl/fysieke-belasting/nieuws/meer-werknemers-last-van-fysieke-"
    "klachten.html": (
        "rendement",
        True,
        "",
        "TNO factsheet fysieke arbeidsbelasting 2023 as reported by Rendement (April 2024), "
        "which places the figures in 2022 (NEA 2022).",
    ),
    "https://www.arboportaal.nl/actueel/nieuws/2021/06/14/43-beeldschermwerkers-hebben-klachten-"
    "aan-armen-nek-en-schouders-gehad": (
        "arboportaal",
        True,
        "",
        "TNO screen-work factsheet 2021 as reported by Arboportaal; the survey year is not "
        "printed.",
    ),
    "https://www.vzinfo.nl/arbeidsomstandigheden/fysieke-belasting": (
        "vzinfo",
        False,
        "",
        "NEA 2020 via VZinfo (RIVM).",
    ),
    "https://www.nd.nl/nieuws/economie/966485/beeldschermtijd-werknemers-stijgt": (
        "nd",
        True,
        "",
        "CBS and TNO (NEA) via Nederlands Dagblad, April 2020.",
    ),
    "https://www.cbs.nl/nl-nl/cijfers/detail/84435NED?q=leraren": (
        "cbs_84435ned",
        False,
        "84435NED",
        "StatLine 84435NED 'Fysieke arbeidsbelasting werknemers; beroep' (NEA): shares in "
        "percent of employees, screen work in hours per day; occupational levels by ISCO 2008.",
    ),
    "https://cbs.nl/nl-nl/cijfers/detail/85571NED": (
        "cbs_85571ned",
        False,
        "85571NED",
        "StatLine 85571NED 'Fysieke arbeidsbelasting werknemers; herkomst, "
        "arbeidsbelemmeringen' (NEA), Totaal row: shares in percent of employees, screen work "
        "in hours per day.",
    ),
    "https://www.cbs.nl/nl-nl/cijfers/detail/83384NED?q=land%20van%20herkomst": (
        "cbs_83384ned",
        False,
        "83384NED",
        "CBS Gezondheidsenquête, StatLine 83384NED (two survey years pooled): serious or "
        "persistent neck or shoulder condition in the past 12 months. Only the rows for "
        "people with a Dutch migration background were in the stored view; interval is the 95% "
        "confidence interval.",
    ),
    "https://www.cbs.nl/nl-nl/cijfers/detail/83005NED?dl=6BB6B": (
        "cbs_83005ned",
        False,
        "83005NED",
        "CBS Gezondheidsenquête, StatLine 83005NED: pain at any site, not back-specific, "
        "persons aged 12 and over.",
    ),
    "https://dutchdailynews.com/most-dutch-people-feel-healthy/": (
        "dutchdailynews",
        True,
        "",
        "English-language news site citing CBS; a chronic condition, self-reported. The "
        "article says 'last year' and its date is not in the stored text.",
    ),
}

# Extra words for single rows, keyed by (measure as printed, value).
_MSK_ROW_NOTES = {
    ("share whose complaints were musculoskeletal", "56"): (
        "Denominator: employees who had any complaint in the past 12 months, unlike the 57% "
        "(factsheet 2021) and 60% (NEA 2022) of all employees."
    ),
    ("complaints (as published)", "42.5"): (
        "The factsheet says employees with more than 6 hours of screen work a day have a higher "
        "chance of complaints (42,5%) than those with 1 hour or less; the kind of complaint is "
        "not named."
    ),
    ("annual wage costs during absence with musculoskeletal complaints", "1.8"): (
        "Wage costs paid by employers during absence with musculoskeletal complaints, per year; "
        "the factsheet gives 1.5 billion for the previous measurement."
    ),
    ("annual wage costs during absence with musculoskeletal complaints", "1.5"): (
        "Wage costs paid by employers during absence with musculoskeletal complaints, per year; "
        "the factsheet says this is less than in earlier years."
    ),
    ("employees with musculoskeletal complaints", "60"): "Reported as an increase.",
    ("report a good working height at home", "83"): "Higher than the year before.",
    ("report an adjustable office chair at home", "74"): "Higher than the year before.",
    ("share with a musculoskeletal occupational disease", "42"): (
        "Share of employees with a new occupational disease in 2020 whose disease was "
        "musculoskeletal."
    ),
    ("share musculoskeletal", "38"): (
        "Share of doctor-diagnosed occupational diseases that were musculoskeletal (a share of "
        "diseases, not of employees)."
    ),
    ("at least 6 h screen work per working day", "45"): "Worded 'at least 6 hours'.",
    ("6 h or more screen work per day", "45"): "Worded '6 hours or more'.",
    ("more than 6 h screen work per day", "89"): "Worded 'more than 6 hours'.",
    ("more than 6 h screen work per day", "31"): "Worded 'more than 6 hours'.",
    ("more than 6 h screen work per day", "39"): "Worded 'more than 6 hours'.",
    ("average hours per working day at a screen", "4"): "Half an hour more than in 2005.",
    ("estimated number with a new occupational disease of arm/neck/shoulder", "38100"): (
        "Estimated number of employees with a new occupational disease of arm, neck or shoulder."
    ),
}

# Wording read on the TNO facts 2022 page, keyed by (measure as printed, value).
_TNO_2022_WORDING = {
    ("share whose complaints were musculoskeletal", "56"): "56%",
    ("does physically demanding work", "40"): "Bijna 40%",
    ("share musculoskeletal", "42"): "42%",
    ("share attributable to physically demanding work", "20"): "20%",
    ("annual wage costs during absence with musculoskeletal complaints", "1.5"): "1,5 miljard",
    ("complaints (as published)", "42.5"): "42,5%",
}

_NOT_PHYSICAL_LOAD = {
    "regularly has to talk loudly (%)",
    "dangerous work (from 2018) (%)",
    "aqueous solutions (%)",
    "substances on skin (%)",
    "inhales substances (%)",
    "infected persons (%)",
    "works with/near unhealthy substances (%)",
}


def msk_workers(research: Path) -> pd.DataFrame:
    tno = _Extract(research, NEA_TNO, ("measure", "value"))
    statline = _Extract(research, NEA_STATLINE, ("measure", "value"))
    survey = _Extract(research, SELF_REPORT, ("measure", "value"))
    statline.drop(
        statline.raw["measure"].isin(_NOT_PHYSICAL_LOAD),
        "noise, hazardous work, substances and infections are not musculoskeletal load",
    )
    survey.drop(
        survey.raw["value_qualifier"] == "lower bound only",
        "83005ENG GP-contact rows: lower bounds of 95% intervals, not estimates",
    )
    raw = pd.concat(
        [
            tno.rest(),
            statline.rest(),
            survey.rest(),
        ],
        ignore_index=True,
    )
    for extract in (tno, statline, survey):
        extract.done()
    out = []
    for r in raw.itertuples():
        measure = _MSK_MEASURES.get(r.measure)
        check(measure is not None, f"unmapped measure {r.measure!r}")
        check(r.source_url in _MSK_PAGES, f"unknown page {r.source_url!r}")
        site, secondary, table, page_note = _MSK_PAGES[r.source_url]
        if r.group in _MSK_GROUPS:
            group, group_slug, sex = _MSK_GROUPS[r.group]
        elif m := re.fullmatch(r"Beroepsniveau (\d) \(ISCO 2008\)", r.group):
            group, group_slug, sex = r.group, f"occupation_level_{m[1]}", "total"
        else:
            sex, group_slug = _cbs_group(r.group)
            group = r.group
        period, uncertain = _MSK_PERIODS.get(r.period, (r.period, False))
        check(
            bool(re.fullmatch(r"\d{4}(/\d{4})?", period)) or uncertain, f"odd period {r.period!r}"
        )
        low = high = ""
        if r.value_qualifier.startswith("95% CI"):
            low, high = _ci(r.value_qualifier)
            qualifier = ""
        else:
            qualifier, words = _qualifier(r.value_qualifier)
            check(not words, f"words-only value in {r}")
        key = (r.measure, r.value)
        if table:
            published = ""
        elif site == "tno" and "2022" in r.source_url:
            published = _TNO_2022_WORDING.get(key, "")
        else:
            published = ""
        if measure == "new_arm_neck_shoulder_occupational_disease_persons":
            qualifier = "estimate"
        nea_from_2022 = period in ("2022", "2023")
        out.append(
            {
                "figure_id": f"{_slug(period if period != 'not stated' else 'undated')}_"
                f"{group_slug}_{measure}_{site}",
                "period": period,
                "group": group,
                "sex": sex,
                "measure": measure,
                "value": r.value,
                "value_low": low,
                "value_high": high,
                "value_qualifier": qualifier,
                "value_as_published": published,
                "source_type": "secondary" if secondary else "primary",
                "cbs_table_id": table,
                "caveats": join_caveats(
                    "secondary_source" if secondary else "",
                    "" if measure in _NOT_SURVEY_ANSWERS else "self_reported",
                    "not_specific_to_back" if measure in _MSK_BROAD else "",
                    "year_uncertain" if uncertain else "",
                    "series_break" if nea_from_2022 else "",
                    "different_population"
                    if measure == "msk_share_of_employees_with_complaints_pct"
                    or site in ("cbs_83384ned", "cbs_83005ned", "dutchdailynews")
                    else "",
                    "verbal_quantity" if qualifier in ("almost", "just over") else "",
                ),
                "source_url": r.source_url,
                "note": " ".join(x for x in (page_note, _MSK_ROW_NOTES.get(key, "")) if x),
            }
        )
    return _frame(_with_dates(out), resource("msk_workers").fields)


# --------------------------------------------------------------------------- home-working studies

_BOSMA = "Bosma et al. 2023 (RIVM), Lifelines COVID-19 cohort"
_BOSMA_POP = "40,702 Dutch workers, 16 questionnaire rounds, March 2020 - February 2021"
_BOSMA_NOTE = (
    "Bosma, Loef, van Oostrom, Proper, Int Arch Occup Environ Health 2023;96:521-535, "
    "doi 10.1007/s00420-022-01946-5. Logistic generalised estimating equations; reference: "
    "location workers. Interval: 95% confidence interval."
)
_CNV = "CNV union poll"
_CNV_POP = "more than 2,600 home workers (Linda); NRC describes about 2,500 CNV members"
_KIM = "KiM (Netherlands Institute for Transport Policy Analysis) mobility panel"

# Rows of msk_wfh_studies.csv, keyed by (measure as printed, value as printed).
STUDY_FIGURES: dict[tuple[str, str], dict] = {
    ("odds ratio: lower back pain", "1.05"): {
        "figure_id": "bosma_2023_home_vs_location_lower_back_pain_odds_ratio",
        "study": _BOSMA,
        "population": _BOSMA_POP,
        "exposure": "working from home",
        "reference": "location workers",
        "outcome": "lower back pain",
        "measure": "odds_ratio",
        "note": _BOSMA_NOTE,
    },
    ("odds ratio: upper back pain", "1.24"): {
        "figure_id": "bosma_2023_home_vs_location_upper_back_pain_odds_ratio",
        "study": _BOSMA,
        "population": _BOSMA_POP,
        "exposure": "working from home",
        "reference": "location workers",
        "outcome": "upper back pain",
        "measure": "odds_ratio",
        "note": _BOSMA_NOTE,
    },
    ("odds ratio: neck, shoulder and/or arm pain", "1.18"): {
        "figure_id": "bosma_2023_home_vs_location_neck_shoulder_arm_pain_odds_ratio",
        "study": _BOSMA,
        "population": _BOSMA_POP,
        "exposure": "working from home",
        "reference": "location workers",
        "outcome": "neck, shoulder and/or arm pain",
        "measure": "odds_ratio",
        "note": _BOSMA_NOTE,
    },
    ("odds ratio: upper back pain", "1.09"): {
        "figure_id": "bosma_2023_hybrid_vs_location_upper_back_pain_odds_ratio",
        "study": _BOSMA,
        "population": _BOSMA_POP,
        "exposure": "hybrid working",
        "reference": "location workers",
        "outcome": "upper back pain",
        "measure": "odds_ratio",
        "note": _BOSMA_NOTE,
    },
    ("odds ratio: neck, shoulder and/or arm pain", "1.14"): {
        "figure_id": "bosma_2023_hybrid_vs_location_neck_shoulder_arm_pain_odds_ratio",
        "study": _BOSMA,
        "population": _BOSMA_POP,
        "exposure": "hybrid working",
        "reference": "location workers",
        "outcome": "neck, shoulder and/or arm pain",
        "measure": "odds_ratio",
        "note": f"{_BOSMA_NOTE} The abstract gives no hybrid-worker ratio for lower back pain.",
    },
    ("relative chance of upper-back or arm/neck/shoulder pain", "1.2"): {
        "figure_id": "anp_2023_home_vs_location_upper_back_neck_pain_relative_chance",
        "study": "RIVM research (Bosma et al.) as summarised by ANP",
        "population": "Dutch workers in the Lifelines COVID-19 cohort",
        "exposure": "working only from home",
        "reference": "location workers",
        "outcome": "upper back or arm, neck or shoulder pain",
        "measure": "relative_chance_times",
        "note": "ANP's rounded summary of the odds ratios of Bosma et al. (1.24 and 1.18).",
    },
    ("more often physical complaints (shoulder, neck, back, arm) than before", "41"): {
        "figure_id": "cnv_2020_home_workers_more_physical_complaints_share_pct",
        "period": "2020 (during lockdown)",
        "study": _CNV,
        "population": _CNV_POP,
        "exposure": "working at home during the covid-19 lockdown",
        "reference": "their own situation before working at home",
        "outcome": "physical complaints (shoulder, neck, back, arm) more often than before",
        "measure": "share_pct",
        "note": "NRC (April 2021) describes the same poll as 'two in five' of about 2,500 "
        "members; Linda says more than 2,600 home workers.",
        "disagree": True,
    },
    ("no ergonomically sound (Arbo) workplace", "44"): {
        "figure_id": "cnv_2020_home_workers_no_ergonomic_workplace_share_pct",
        "period": "2020 (during lockdown)",
        "study": _CNV,
        "population": _CNV_POP,
        "exposure": "working at home during the covid-19 lockdown",
        "reference": "",
        "outcome": "no ergonomically sound (Arbo) workplace at home",
        "measure": "share_pct",
        "note": "A working condition, not a complaint.",
    },
    ("visits the physiotherapist more often since working at home", ""): {
        "figure_id": "cnv_2020_home_workers_more_physio_visits_share_pct",
        "period": "2020 (during lockdown)",
        "study": _CNV,
        "population": _CNV_POP,
        "exposure": "working at home during the covid-19 lockdown",
        "reference": "their own situation before working at home",
        "outcome": "visits the physiotherapist more often since working at home",
        "measure": "share_pct",
        "note": "Published only as 'bijna 1 op de 10'; no percentage.",
    },
    ("have physical complaints (from home working)", "17"): {
        "figure_id": "kim_2020_home_workers_physical_complaints_share_pct",
        "period": "2020-05 to 2020-06",
        "study": _KIM,
        "population": "home workers (KiM survey)",
        "exposure": "working at home",
        "reference": "",
        "outcome": "physical complaints from working at home",
        "measure": "share_pct",
        "note": "KiM survey of May-June 2020, published July 2020.",
    },
    ("experience physical complaints from home working such as back or neck pain", "24"): {
        "figure_id": "kim_2021_home_workers_physical_complaints_share_pct",
        "period": "2021-01",
        "study": _KIM,
        "population": "home workers in the KiM mobility panel",
        "exposure": "working at home",
        "reference": "",
        "outcome": "physical complaints from working at home, such as back or neck pain",
        "measure": "share_pct",
        "note": "KiM mobility panel, January 2021 wave.",
    },
    ("experience complaints (physical or mental) from compulsory home working", "28"): {
        "figure_id": "tu_delft_eindhoven_home_workers_complaints_share_pct",
        "period": "not stated",
        "study": "TU Delft / TU Eindhoven survey",
        "population": "home workers",
        "exposure": "compulsory home working",
        "reference": "",
        "outcome": "physical or mental complaints from compulsory home working",
        "measure": "share_pct",
        "note": "The article's date is not in the stored text; the research notes place it in "
        "2020 (compulsory home working during the pandemic).",
    },
    ("increase in home-working related complaints seen", "25"): {
        "figure_id": "fysioholland_2020_first_wave_home_working_complaints_change_pct",
        "study": "FysioHolland physiotherapy practice chain",
        "population": "more than 135 FysioHolland practices",
        "exposure": "home working during the first covid-19 wave",
        "reference": "",
        "outcome": "complaints related to home working seen by physiotherapists",
        "measure": "change_pct",
        "note": "A practice chain's statement, not a registry figure; the article adds that "
        "such complaints rose again in the autumn of 2020. The baseline is not stated.",
    },
}

_STUDY_SPECIFIC_OUTCOMES = {"lower back pain", "upper back pain"}
_STUDY_NOT_COMPLAINTS = {
    "no ergonomically sound (Arbo) workplace at home",
    "visits the physiotherapist more often since working at home",
}


def msk_studies(research: Path) -> pd.DataFrame:
    ext = _Extract(research, STUDIES, ("measure", "value"))
    out = []
    for key, spec in STUDY_FIGURES.items():
        r = ext.take(*key)
        url = r["source_url"]
        if r["value_qualifier"].startswith("95% CI"):
            low, high = _ci(r["value_qualifier"])
            qualifier, words = "", ""
        else:
            low = high = ""
            qualifier, words = _qualifier(r["value_qualifier"])
        primary = "lifelines-biobank.com" in url
        period = spec.get("period", r["period"])
        out.append(
            {
                "figure_id": spec["figure_id"],
                "period": period,
                "msk_study": spec["study"],
                "msk_study_population": spec["population"],
                "msk_study_exposure": spec["exposure"],
                "msk_study_reference": spec["reference"],
                "msk_study_outcome": spec["outcome"],
                "msk_study_adjustment": "not stated",
                "measure": spec["measure"],
                "value": r["value"],
                "value_low": low,
                "value_high": high,
                "value_qualifier": qualifier,
                "value_as_published": (words),
                "source_type": "primary" if primary else "secondary",
                "caveats": join_caveats(
                    "" if primary else "secondary_source",
                    "" if "fysioholland" in spec["figure_id"] else "self_reported",
                    ""
                    if spec["outcome"] in _STUDY_SPECIFIC_OUTCOMES | _STUDY_NOT_COMPLAINTS
                    else "not_specific_to_back",
                    "year_uncertain" if period == "not stated" else "",
                    "verbal_quantity" if qualifier or words else "",
                    "sources_disagree" if spec.get("disagree") else "",
                ),
                "source_url": url,
                "note": spec["note"],
            }
        )
    ext.drop(
        ext.raw["measure"].isin(
            ["problems with work-life balance", "psychological complaints from home working"]
        ),
        "KiM's work-life balance and psychological complaints are not musculoskeletal",
    )
    ext.done()
    return _frame(_with_dates(out), resource("msk_homeworking_studies").fields)


# --------------------------------------------------------------------------- care costs

_UNDATED_2011 = (
    "The page prints no year; the breakdown goes with the EUR 1.3 billion total that the same "
    "page gives and that VZinfo dates to 2011. Its hospital share (38%) differs markedly from "
    "2017 (62%), probably a different cost model."
)

# Rows of zorguitgaven_costs.csv, keyed by (year, breakdown, value_as_published).
COST_FIGURES: dict[tuple[str, str, str], dict] = {
    ("2017", "total", "937 miljoen"): {
        "figure_id": "2017_total_eur_million_vzinfo",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "total",
        "measure": "eur_million",
        "note": "Care expenditure for neck and back complaints, a headline of the VZinfo 'Kosten' "
        "tab. The same figure is in the KNGF low back pain guideline.",
    },
    ("2017", "share of musculoskeletal care costs", "14%"): {
        "figure_id": "2017_total_share_of_msk_costs_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "total",
        "share_base": "care costs of diseases of the musculoskeletal system and connective tissue",
        "measure": "share_pct",
        "note": "KNGF guideline citing VZinfo / RIVM Kosten van Ziekten.",
    },
    ("2017", "share of total health care costs", "1,07%"): {
        "figure_id": "2017_total_share_of_health_care_costs_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "total",
        "share_base": "total Dutch health care costs",
        "measure": "share_pct",
        "note": "KNGF guideline citing VZinfo / RIVM Kosten van Ziekten.",
    },
    ("2017", "hospital care", "62%"): {
        "figure_id": "2017_hospital_care_share_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "hospital care",
        "share_base": "care costs of neck and back complaints, 2017",
        "measure": "share_pct",
        "note": "KNGF guideline.",
    },
    ("2017", "primary care", "12%"): {
        "figure_id": "2017_primary_care_share_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "primary care",
        "share_base": "care costs of neck and back complaints, 2017",
        "measure": "share_pct",
        "note": "KNGF guideline.",
    },
    ("2017", "other providers", "11%"): {
        "figure_id": "2017_other_providers_share_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "other providers",
        "share_base": "care costs of neck and back complaints, 2017",
        "measure": "share_pct",
        "note": "KNGF guideline; the rest of the costs is not itemised in the stored text.",
    },
    ("2017", "medical vs non-medical", "12%"): {
        "figure_id": "2017_medical_costs_share_of_all_costs_pct_kngf",
        "definition": "vzinfo_neck_back_costs_2017",
        "breakdown": "medical (care) costs",
        "share_base": "medical plus non-medical costs (sick leave, lost productivity)",
        "measure": "share_pct",
        "note": "An estimate in the KNGF guideline: non-medical costs are put at 88%; no euro "
        "amount for them is given.",
    },
    ("2019", "total", "905 miljoen euro"): {
        "figure_id": "2019_total_eur_million_headliner",
        "definition": "news_back_neck_medical_costs_2019",
        "breakdown": "total",
        "measure": "eur_million",
        "note": "Medical costs of back and neck pain in a news aggregator's summary of Het "
        "Parool (16 October 2025); the underlying RIVM source is not named.",
    },
    ("2019", "hospitals", "twee derde"): {
        "figure_id": "2019_hospitals_share_pct_headliner",
        "definition": "news_back_neck_medical_costs_2019",
        "breakdown": "hospitals",
        "share_base": "medical costs of back and neck pain, 2019",
        "measure": "share_pct",
        "note": "Published in words only ('twee derde'); the research notes paraphrase it as "
        "about two thirds.",
    },
    ("2019", "GPs + physiotherapists", "12%"): {
        "figure_id": "2019_gps_and_physiotherapists_share_pct_headliner",
        "definition": "news_back_neck_medical_costs_2019",
        "breakdown": "GPs and physiotherapists together",
        "share_base": "medical costs of back and neck pain, 2019",
        "measure": "share_pct",
        "note": "Second-hand, from the same news summary.",
    },
    ("2011", "total", "1,3 miljard euro"): {
        "figure_id": "2011_total_eur_billion_vzinfo",
        "definition": "vzinfo_neck_back_costs_2011",
        "breakdown": "total",
        "measure": "eur_billion",
        "note": "Headline of an older VZinfo page. Also cited by "
        "https://zorgnu.avrotros.nl/nieuws/item/meer-dan-2-miljoen-nederlanders-met-rug-en-"
        "nekklachten/ and by https://chiropractie-job.nl/contact-en-info/centrum-job/ (no year "
        "there).",
    },
    ("2011", "hospital care", "38%"): {
        "figure_id": "undated_1_3_billion_hospital_care_share_pct_chiropractiejob",
        "definition": "vzinfo_neck_back_costs_2011",
        "breakdown": "hospital care",
        "share_base": "the EUR 1.3 billion care costs of neck and back complaints",
        "measure": "share_pct",
        "note": _UNDATED_2011,
    },
    ("2011", "primary care", "29%"): {
        "figure_id": "undated_1_3_billion_primary_care_share_pct_chiropractiejob",
        "definition": "vzinfo_neck_back_costs_2011",
        "breakdown": "primary care",
        "share_base": "the EUR 1.3 billion care costs of neck and back complaints",
        "measure": "share_pct",
        "note": _UNDATED_2011,
    },
    ("2011", "elderly care", "17%"): {
        "figure_id": "undated_1_3_billion_elderly_care_share_pct_chiropractiejob",
        "definition": "vzinfo_neck_back_costs_2011",
        "breakdown": "elderly care",
        "share_base": "the EUR 1.3 billion care costs of neck and back complaints",
        "measure": "share_pct",
        "note": _UNDATED_2011,
    },
    ("2011", "medicines and aids", "8%"): {
        "figure_id": "undated_1_3_billion_medicines_and_aids_share_pct_chiropractiejob",
        "definition": "vzinfo_neck_back_costs_2011",
        "breakdown": "medicines and aids",
        "share_base": "the EUR 1.3 billion care costs of neck and back complaints",
        "measure": "share_pct",
        "note": _UNDATED_2011,
    },
    ("2007", "men", "401 miljoen euro"): {
        "figure_id": "2007_men_eur_million_bracewebwinkel",
        "definition": "low_back_and_neck_pain_2007",
        "breakdown": "men",
        "measure": "eur_million",
        "note": "Costs of low back pain and neck pain together, not all neck and back "
        "complaints. Text on a brace retailer's site that appears to come from the KNGF neck "
        "pain guideline.",
    },
    ("2007", "women", "554 miljoen euro"): {
        "figure_id": "2007_women_eur_million_bracewebwinkel",
        "definition": "low_back_and_neck_pain_2007",
        "breakdown": "women",
        "measure": "eur_million",
        "note": "Costs of low back pain and neck pain together; same source as the men's row.",
    },
    ("2007", "share of total health care costs", "1,28 procent"): {
        "figure_id": "2007_total_share_of_health_care_costs_pct_bracewebwinkel",
        "definition": "low_back_and_neck_pain_2007",
        "breakdown": "total (men and women)",
        "share_base": "total Dutch health care costs",
        "measure": "share_pct",
        "note": "Low back pain and neck pain together; same source as the men's row.",
    },
}

_COST_UNITS = {"eur_million": "million EUR", "eur_billion": "billion EUR", "share_pct": "percent"}


def care_costs(research: Path) -> pd.DataFrame:
    ext = _Extract(research, COSTS, ("year", "breakdown", "value_as_published"))
    out = []
    for key, spec in COST_FIGURES.items():
        r = ext.take(*key)
        measure = spec["measure"]
        words_only = r["value"] == ""
        check(
            r["unit"] == _COST_UNITS[measure] or (words_only and measure == "share_pct"),
            f"{spec['figure_id']}: unit {r['unit']!r} does not fit {measure}",
        )
        undated = spec["figure_id"].startswith("undated")
        secondary = r["source_type"].startswith("secondary")
        out.append(
            {
                "figure_id": spec["figure_id"],
                "year": "" if undated else r["year"],
                "definition": spec["definition"],
                "cost_breakdown": spec["breakdown"],
                "cost_share_base": spec.get("share_base", ""),
                "measure": measure,
                "value": r["value"],
                "value_qualifier": "",
                "value_as_published": r["value_as_published"],
                "source_type": "secondary" if secondary else "primary",
                "caveats": join_caveats(
                    "secondary_source" if secondary else "",
                    "year_uncertain" if undated else "",
                    "different_definition"
                    if spec["definition"] == "low_back_and_neck_pain_2007"
                    else "",
                    "verbal_quantity" if words_only else "",
                ),
                "source_url": r["source_url"],
                "note": spec["note"],
            }
        )
    ext.done()
    return _frame(out, resource("care_costs").fields)


def build(research: Path) -> dict[str, pd.DataFrame]:
    return {
        "gp_contacts_covid": gp_contacts(research),
        "physio_use": physio(research),
        "msk_workers": msk_workers(research),
        "msk_homeworking_studies": msk_studies(research),
        "care_costs": care_costs(research),
    }
