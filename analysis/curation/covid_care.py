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
- Period labels are the extracts', except where the curation specs give another; `period_start` and
  `period_end` come only from the label (a year, a span of years, a month, a span of months, or
  ISO weeks, which match the dates Nivel prints: week 11 of 2020 is 9-15 March).
- Two 2021 Nivel figures that the homework GP extract kept in a note ('2,1% lower than 2019'
  and '-10%' for ages 5-17) are rows here; the code checks the note still says so.
- The rows of ``covid_msk_care_use_additions.csv`` join `physio_use`. The national physiotherapy
  database's (LDF) finding for April-December 2020 was published in words only ('geen
  significante toename', 'een verwaarloosbare toename'): `value` stays empty and both phrases go
  to `value_as_published`; 'preliminary' is the caveat key `preliminary`, not a qualifier. Its
  period label ('2020 Apr-Dec vs 2019 Apr-Dec') becomes '2020-04 to 2020-12' with the comparison
  in `compared_with`; 'ruim (over)' is 'just over', as 'ruim' is everywhere else.
- Every extract row is either curated or dropped on purpose (`_Extract.done()` fails
  otherwise).

Which extract rows make which figure, and each figure's id, labels and curator's note, are data:
the curation specs in ``data/sources/specs/`` (gp_contacts_covid, physio_use, msk_workers,
msk_homeworking_studies and care_costs ``.toml``), each documented at its top.

Left out, each with its reason in a `.drop(...)` call below: a qualitative statement with no
figure, the size of Nivel's 2023 sample, hospital-stay headlines with no year or definition,
StatLine exposures that are not physical load, KiM's non-musculoskeletal complaints, Nivel's
2021 'most common health problem' (a rank in words, kept in a note), and the 83005ENG GP-contact
rows, which are lower bounds of 95% intervals and not estimates.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.curation import check, join_caveats, read_extract, read_spec
from analysis.metadata import resource

GP_CONTEXT = "gp_data/covid_period_gp_context.csv"
GP_NIVEL = "homework/gp_contacts_covid_nivel.csv"
PHYSIO = "homework/physio_use.csv"
CARE_ADDITIONS = "homework/covid_msk_care_use_additions.csv"
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
    "ruim (over)": ("just over", ""),
    "gemiddeld (on average)": ("", ""),
    "bijna een derde (almost a third)": ("almost", "bijna een derde"),
}


def _qualifier(text: str) -> tuple[str, str]:
    check(text in QUALIFIERS, f"unmapped qualifier {text!r}")
    return QUALIFIERS[text]


def _ci(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"95% CI (\d+\.\d+)-(\d+\.\d+)", text)
    check(m is not None, f"expected '95% CI a-b', got {text!r}")
    return m[1], m[2]


# --------------------------------------------------------------------------- GP contacts

_SKIPR_WAVE = "https://www.skipr.nl/nieuws/mensen-met-urgente-klachten-meden-huisarts-tijdens-eerste-coronagolf/"

# Pages that report someone else's figures (news sites and a patient-information site).
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
    # One spec per published figure: the extract rows it comes from, keyed by (measure, value),
    # and how it is curated; `from_note` marks a figure an extract kept in the note of a row.
    for spec in read_spec("gp_contacts_covid")["figure"]:
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
    # Rows of physio_use.csv other than the CBS StatLine rows, keyed by (period, measure, value).
    for spec in read_spec("physio_use")["figure"]:
        r = ext.take(*spec["row"])
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
    out.extend(_care_use_additions(research))
    return _frame(_with_dates(out), resource("physio_use").fields)


# The LDF release's two verbal findings, as the extract's qualifier cell records them.
_LDF_WORDS = (
    "'geen significante toename' (no significant increase) / "
    "'een verwaarloosbare toename' (a negligible increase)"
)


def _care_use_additions(research: Path) -> list[dict]:
    """The rows of covid_msk_care_use_additions.csv: the national physiotherapy database (LDF)
    on neck and shoulder complaints in April-December 2020, and Nivel's physiotherapy (2021) and
    exercise-therapy (2018) headline figures, as the [[addition]] specs say."""
    ext = _Extract(research, CARE_ADDITIONS, ("period", "measure", "value"))
    out = []
    for spec in read_spec("physio_use")["addition"]:
        r = ext.take(*spec["row"])
        if r["value_qualifier"] == _LDF_WORDS:  # words only: both phrases go to as_published
            qualifier, words = "", "; ".join(re.findall(r"'([^']+)'", _LDF_WORDS))
        else:
            qualifier, words = _qualifier(r["value_qualifier"])
        published = spec.get("value_as_published", "")
        if words:
            check(r["value"] == "", f"{spec['figure_id']}: words-only row has a value")
            check(published in ("", words), f"{spec['figure_id']}: printed words are {words!r}")
            published = words
        elif published:  # the printed text, as the extract's note quotes it
            check(published in r["note"], f"{spec['figure_id']}: note lacks {published!r}")
        check(r["value"] != "" or published, f"{spec['figure_id']}: no value and no words")
        check(
            all(key in resource("physio_use").caveats for key in spec["caveats"]),
            f"{spec['figure_id']}: a caveat key is not listed for physio_use",
        )
        check(
            ("verbal_quantity" in spec["caveats"]) == bool(qualifier or words),
            f"{spec['figure_id']}: verbal_quantity must be cited exactly when words or a "
            "qualifier carry the value",
        )
        out.append(
            {
                "figure_id": spec["figure_id"],
                "period": spec.get("period", r["period"]),
                "group": spec["group"],
                "sex": spec.get("sex", ""),
                "measure": spec["measure"],
                "value": r["value"],
                "value_qualifier": qualifier,
                "value_as_published": published,
                "compared_with": spec.get("compared_with", ""),
                "source_type": spec["source_type"],
                "caveats": join_caveats(*spec["caveats"]),
                "source_url": r["source_url"],
                "note": spec["note"],
            }
        )
    ext.drop(
        ext.raw["measure"] == "most common health problem",
        "a rank in words with no figure; the statement is kept in the note of "
        "2021_recurrent_complaint_episodes_share_pct_nivel, from the same page",
    )
    ext.done()
    return out


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
    spec = read_spec("msk_workers")
    pages = {page["url"]: page for page in spec["page"]}
    # Extra words for single rows and the TNO 2022 wording, keyed by (measure as printed, value).
    row_notes = {tuple(entry["row"]): entry["note"] for entry in spec["row_note"]}
    tno_2022_wording = {
        tuple(entry["row"]): entry["value_as_published"] for entry in spec["tno_2022_wording"]
    }
    out = []
    for r in raw.itertuples():
        measure = _MSK_MEASURES.get(r.measure)
        check(measure is not None, f"unmapped measure {r.measure!r}")
        check(r.source_url in pages, f"unknown page {r.source_url!r}")
        page = pages[r.source_url]
        site, secondary, table = page["site"], page["secondary"], page["cbs_table_id"]
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
            published = tno_2022_wording.get(key, "")
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
                "note": " ".join(x for x in (page["note"], row_notes.get(key, "")) if x),
            }
        )
    return _frame(_with_dates(out), resource("msk_workers").fields)


# --------------------------------------------------------------------------- home-working studies


_STUDY_SPECIFIC_OUTCOMES = {"lower back pain", "upper back pain"}
_STUDY_NOT_COMPLAINTS = {
    "no ergonomically sound (Arbo) workplace at home",
    "visits the physiotherapist more often since working at home",
}


def msk_studies(research: Path) -> pd.DataFrame:
    ext = _Extract(research, STUDIES, ("measure", "value"))
    out = []
    # Rows of msk_wfh_studies.csv, keyed by (measure as printed, value as printed).
    for spec in read_spec("msk_homeworking_studies")["figure"]:
        r = ext.take(*spec["row"])
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


_COST_UNITS = {"eur_million": "million EUR", "eur_billion": "billion EUR", "share_pct": "percent"}


def care_costs(research: Path) -> pd.DataFrame:
    ext = _Extract(research, COSTS, ("year", "breakdown", "value_as_published"))
    out = []
    # Rows of zorguitgaven_costs.csv, keyed by (year, breakdown, value_as_published).
    for spec in read_spec("care_costs")["figure"]:
        r = ext.take(*spec["row"])
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
