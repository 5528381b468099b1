"""The catalogue shown on the Sources page, on a hand-made descriptor."""

import pandas as pd
from pandas.testing import assert_frame_equal

from analysis import catalogue

DESCRIPTOR = {
    "caveats": {"rounding": {"en": "Rounded.", "nl": "Afgerond."}},
    "resources": [
        {
            "name": "tiny",
            "title": "Tiny table",
            "title_nl": "Kleine tabel",
            "licenses": [{"name": "CC-BY-4.0"}],
            "sources": [
                {
                    "title": "A",
                    "path": "https://a.nl",
                    "producer": "CBS",
                    "tableId": "1",
                    "licence": "CC-BY-4.0",
                    "accessed": "2026-11-24",
                }
            ],
            "caveats": ["rounding"],
            "schema": {
                "fields": [
                    {
                        "name": "sex",
                        "type": "string",
                        "description": "Sex.",
                        "constraints": {"enum": ["men", "women"], "required": True},
                    },
                    {
                        "name": "persons",
                        "type": "integer",
                        "description": "Count.",
                        "unit": "persons",
                    },
                ]
            },
        }
    ],
}


def test_resources_table_in_both_languages():
    expected = pd.DataFrame(
        {
            "resource": ["tiny"],
            "title": ["Kleine tabel"],
            "rows": pd.array([3], dtype="Int64"),
            "licences": ["CC-BY-4.0"],
            "sources": [1],
            "caveats": ["rounding"],
        }
    )
    assert_frame_equal(catalogue.resources_table(DESCRIPTOR, {"tiny": 3}, "nl"), expected)
    assert catalogue.resources_table(DESCRIPTOR, {"tiny": 3}, "en")["title"].item() == "Tiny table"


def test_columns_table_lists_type_unit_and_allowed_values():
    cols = catalogue.columns_table(DESCRIPTOR["resources"][0])
    assert list(cols["column"]) == ["sex", "persons"]
    assert cols.loc[0, "allowed values"] == "men, women"
    assert bool(cols.loc[0, "required"]) and not bool(cols.loc[1, "required"])
    assert cols.loc[1, "unit"] == "persons"


def test_caveat_text_and_row_caveats():
    assert catalogue.caveat_text(DESCRIPTOR, "rounding", "nl") == "Afgerond."
    frame = pd.DataFrame({"caveats": ["a;b", None, "b;c"]})
    assert catalogue.row_caveats(frame) == ["a", "b", "c"]
    assert catalogue.row_caveats(pd.DataFrame({"x": [1]})) == []
