"""Columns shared by several tables, each defined once.

Units and denominators sit at the end of a name (`rate_per_1000`, `share_pct`, `persons`).
A column used by one topic only is defined in that topic's module under `resources/`; a test
checks that no name is defined twice.
"""

import re

from analysis.metadata.caveats import CAVEATS_PATTERN
from analysis.metadata.model import Field
from analysis.vocabulary import QUALIFIERS, SEXES_AND_BOTH

# The sex codes and the 18 VZinfo age groups are declared once, in analysis.vocabulary.
SEXES = SEXES_AND_BOTH


def age_bounds(group: str) -> tuple[int, int]:
    """Sort key for an age label: '5-9' -> (5, 9), '85+' -> (85, 200), 'total' last."""
    if group == "total":
        return (1000, 1000)
    if group.endswith("+"):
        return (int(group[:-1]), 200)
    low, high = re.fullmatch(r"(\d+)(?:-(\d+))?", group).groups()
    return (int(low), int(high or low))


VALUE_QUALIFIERS = QUALIFIERS

SOURCE_TYPES = ("primary", "secondary")

COMMON_FIELDS: dict[str, Field] = {
    "figure_id": Field(
        "string",
        "Stable identifier of one published figure, made of the year, group and measure. "
        "Used as the key of tables that gather single figures from several publications.",
        required=True,
        pattern=r"^[a-z0-9_]+$",
    ),
    "year": Field(
        "integer",
        "Calendar year the figure describes. Empty when the source does not say "
        "(see the note and the year_uncertain caveat).",
        minimum=1950,
        maximum=2070,
    ),
    "reference_date": Field(
        "date",
        "Date the count refers to, such as 1 January for CBS population figures.",
    ),
    "period": Field(
        "string",
        "The period as the source names it ('2020', '2020 Q2', '2020-03 to 2020-06').",
        required=True,
    ),
    "period_start": Field(
        "date",
        "First day of the period, so figures can be placed on a time axis. Derived only from "
        "the period's own label (a year starts on 1 January, a quarter on its first day).",
    ),
    "period_end": Field(
        "date",
        "Last day of the period, derived from its label in the same way as period_start.",
    ),
    "group": Field(
        "string",
        "The population group the figure describes, as published (for example 'all employed', "
        "'employees', an occupation class).",
    ),
    "sex": Field(
        "string",
        "Sex as published: men, women, or total for both together.",
        enum=SEXES,
    ),
    "age_group": Field(
        "string",
        "Age group in completed years as published ('0-4' means 0 to 4 years, '85+' means 85 "
        "or older). The schema lists the groups in age order.",
    ),
    "age_scheme": Field(
        "string",
        "Which age breakdown a row belongs to, so overlapping groupings are never added "
        "together (for example '5-year' groups and the open '85+' group).",
    ),
    "persons": Field(
        "integer",
        "Number of persons (a count of people, not of contacts or episodes).",
        unit="persons",
        minimum=0,
    ),
    "rate_per_1000": Field(
        "number",
        "Number of persons with the condition per 1,000 persons of the same sex and age.",
        unit="per 1,000 persons",
        minimum=0,
        maximum=1000,
    ),
    "share_pct": Field(
        "number",
        "Share of the group, in percent.",
        unit="percent",
        minimum=0,
        maximum=100,
    ),
    "measure": Field(
        "string",
        "What the value measures; the unit is the last part of the name "
        "(for example persons, rate_per_1000, share_pct).",
        required=True,
    ),
    "value": Field(
        "number",
        "The figure as a number, in the unit named by `measure`, at the precision published. "
        "Empty when the source gave only words or the cell could not be read.",
    ),
    "value_low": Field(
        "number",
        "Lower bound of the 95% confidence interval, or of the published range (the note says "
        "which), in the same unit as `value`.",
    ),
    "value_high": Field(
        "number",
        "Upper bound of the 95% confidence interval, or of the published range (the note says "
        "which), in the same unit as `value`.",
    ),
    "value_as_published": Field(
        "string",
        "The figure exactly as printed in the source, in its own language and notation "
        "(decimal comma, thousands dot, words).",
    ),
    "value_qualifier": Field(
        "string",
        "A verbal qualifier that the source put on the number ('about', 'just over'); kept "
        "here so the number itself stays exact.",
        enum=VALUE_QUALIFIERS,
    ),
    "definition": Field(
        "string",
        "Which definition a series uses. Rows with different definitions are separate "
        "series and are never joined into one line.",
        required=True,
    ),
    "cbs_table_id": Field(
        "string",
        "CBS StatLine table identifier the figure comes from (for example 37296ned).",
    ),
    "source_type": Field(
        "string",
        "primary: the producer's own publication; secondary: a news item, press release, "
        "guideline or website quoting the producer.",
        enum=SOURCE_TYPES,
        required=True,
    ),
    "source_url": Field(
        "string",
        "Web address of the page the figure was copied from.",
        format="uri",
        required=True,
        pattern=r"^https?://\S+$",
    ),
    "caveats": Field(
        "string",
        "Caveat keys that apply to this row, separated by ';'. Their text is in the package's "
        "caveat list (analysis/metadata/caveats.py).",
        pattern=CAVEATS_PATTERN,
    ),
    "note": Field(
        "string",
        "Free-text note from the curator: derivations, doubts and where else the figure appears.",
    ),
}
