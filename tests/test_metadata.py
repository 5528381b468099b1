"""The metadata itself: complete, consistent and current (PUDL/OWID: test the metadata)."""

import json
import re

import pandas as pd
import pytest

from analysis import metadata
from analysis.data import DATA_DIR
from analysis.metadata import caveats as caveat_module
from analysis.metadata import licences


def test_descriptor_file_is_current():
    stored = (DATA_DIR / "datapackage.json").read_text(encoding="utf-8")
    assert stored == metadata.descriptor_json(), "run `python -m analysis.metadata`"


def test_every_csv_is_in_the_descriptor_and_vice_versa():
    on_disk = {p.name for p in (DATA_DIR / "public").glob("*.csv")}
    described = {r.path.removeprefix("public/") for r in metadata.all_resources()}
    assert on_disk == described


def test_issue_resources_are_all_present():
    wanted = {
        "gp_prevalence_age_sex", "gp_prevalence_totals", "population", "population_projections",
        "standard_population", "icpc_categories", "homeworking", "covid_timeline",
        "gp_contacts_covid", "physio_use", "msk_workers", "msk_homeworking_studies",
        "care_costs", "outcome_benchmarks",
    }  # fmt: skip
    assert wanted <= {r.name for r in metadata.all_resources()}


def test_every_column_has_a_type_and_a_real_description():
    for name, field in metadata.all_fields().items():
        assert field.type in {"string", "integer", "number", "boolean", "date"}, name
        assert len(field.description) >= 20, f"{name}: describe the column in a sentence"
        assert not re.search(r"\bTODO\b|\?\?", field.description), name


def test_column_names_are_snake_case_with_units_at_the_end():
    for name in metadata.all_fields():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
    # Measures that carry a unit put it last, never in the middle.
    for name in ("rate_per_1000", "share_pct", "persons"):
        assert name in metadata.all_fields()


def test_a_column_defined_twice_is_refused(monkeypatch):
    from analysis.metadata.fields import COMMON_FIELDS
    from analysis.metadata.resources import gp_prevalence

    monkeypatch.setattr(
        gp_prevalence, "FIELDS", {**gp_prevalence.FIELDS, "sex": COMMON_FIELDS["sex"]}
    )
    metadata.all_fields.cache_clear()
    try:
        with pytest.raises(metadata.MetadataError, match="'sex' is defined twice"):
            metadata.all_fields()
    finally:
        metadata.all_fields.cache_clear()


def test_every_resource_is_described_sourced_and_licensed():
    descriptor = metadata.build_descriptor()
    for res in descriptor["resources"]:
        assert res["title"] and res["title_nl"], res["name"]
        assert len(res["description"]) >= 200, f"{res['name']}: description too thin"
        assert res["sources"], res["name"]
        assert res["licenses"], res["name"]
        assert res["schema"]["primaryKey"], res["name"]
        for source in res["sources"]:
            assert source["path"].startswith(("https://", "http://")), source
            assert source["licence"] in licences.LICENCES, source
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["accessed"]), source
        for field in res["schema"]["fields"]:
            assert field.get("type") and field.get("description"), (res["name"], field["name"])


def test_every_source_in_the_registry_is_cited_by_a_table():
    cited = {key for r in metadata.all_resources() for key in r.sources}
    assert set(metadata.all_sources()) == cited


def test_caveats_are_finished_prose_in_both_languages():
    for key, text in caveat_module.CAVEATS.items():
        assert re.fullmatch(r"[a-z_]+", key)
        for lang in ("en", "nl"):
            assert text[lang].endswith("."), (key, lang)
            assert "TODO" not in text[lang] and "?" not in text[lang], (key, lang)


def test_every_caveat_key_is_cited_somewhere():
    cited = {key for r in metadata.all_resources() for key in r.caveats}
    for res in metadata.all_resources():
        rows = (DATA_DIR / res.path).read_text(encoding="utf-8")
        cited |= {k for k in caveat_module.CAVEAT_KEYS if re.search(rf"[,;]{k}[;,\n]", rows)}
    assert cited == set(caveat_module.CAVEAT_KEYS), set(caveat_module.CAVEAT_KEYS) - cited


def test_licences_of_cbs_and_rivm_are_as_stated():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert [lic["name"] for lic in by_name["population"]["licenses"]] == ["CC-BY-4.0"]
    rivm = by_name["gp_prevalence_age_sex"]["licenses"][0]
    assert rivm["name"] == "RIVM-attribution" and "unverified" in rivm["attribution"]


def test_every_row_source_url_is_registered_for_its_table():
    """Provenance: each row's source_url is one of the sources its table lists in the registry
    (and so in datapackage.json), with producer, title and licence. No table is exempt."""
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    unregistered = {}
    for res in descriptor["resources"]:
        registered = {source["path"] for source in res["sources"]}
        rows = pd.read_csv(DATA_DIR / res["path"], dtype=str, keep_default_na=False)
        missing = sorted(set(rows["source_url"]) - registered)
        if missing:
            unregistered[res["name"]] = missing
    assert unregistered == {}


def test_every_registered_source_names_producer_title_and_licence():
    for key, source in metadata.all_sources().items():
        assert source.title and source.producer and source.url, key
        assert source.licence in licences.LICENCES, key
