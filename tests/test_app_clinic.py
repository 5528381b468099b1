"""The owner area and the outcomes page under AppTest: who can see and do what."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import demo
from dashboard import auth
from dashboard.site import PAGES

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PASSWORD = "a long owner passphrase"  # noqa: S105 (test fixture)


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Every test gets its own empty clinic database and secret, and no password from outside."""
    monkeypatch.setenv("RUGZICHT_DB", str(tmp_path / "clinic.duckdb"))
    monkeypatch.setenv("RUGZICHT_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    from dashboard import cached

    cached.public_outcomes.clear()
    cached.outcome_periods.clear()
    yield


def open_page(file: str, password_hash: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if password_hash:
        at.secrets[auth.SECRET_KEY] = password_hash
    at.switch_page(file)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if file.endswith("clinic_data.py"):
        # AppTest falls back to the default page when asked, before its first run, for a page in
        # the second navigation section; a real browser opens /clinic-data directly (see
        # test_browser.py). Switching again after the first run gets there.
        at.switch_page(file).run()
    return at


def password_fields(at: AppTest) -> list:
    """The owner's password field (the sidebar also has the share note's text field)."""
    return [field for field in at.text_input if field.label == "Owner password"]


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    return "\n".join(parts)


def test_owner_area_is_closed_without_a_configured_password():
    at = open_page("streamlit_pages/clinic_data.py")
    assert not at.exception
    assert "no owner password has been set up" in all_text(at)
    assert not at.get("file_uploader") and not password_fields(at)


def test_wrong_password_shows_nothing_of_the_owner_area():
    at = open_page("streamlit_pages/clinic_data.py", auth.hash_password(PASSWORD))
    password_fields(at)[0].input("guess")
    at.button[0].click().run()
    assert "not right" in " ".join(e.value for e in at.error)
    assert not at.get("file_uploader")


def test_owner_imports_the_demo_export_and_undoes_it():
    at = open_page("streamlit_pages/clinic_data.py", auth.hash_password(PASSWORD))
    password_fields(at)[0].input(PASSWORD)
    at.button[0].click().run()
    assert at.get("file_uploader"), "the signed-in owner sees the upload"
    at.get("file_uploader")[0].upload(demo.DEMO_PATH.name, demo.DEMO_PATH.read_bytes(), "text/csv")
    next(b for b in at.button if "Import" in b.label).click().run()
    assert not at.exception
    assert any("visits added" in s.value for s in at.success), [s.value for s in at.success]
    history = at.dataframe[-1].value
    assert len(history) == 1 and history["rows_added"].iloc[0] > 2000
    undo = next(b for b in at.button if b.label.startswith("Undo import"))
    undo.click().run()
    assert not at.exception
    assert at.dataframe[-1].value["undone_at"].notna().all()


@pytest.mark.parametrize("file", [p[0] for p in PAGES])
def test_a_viewer_never_sees_upload_undo_or_a_patient_id(file):
    at = open_page(file, group="acute")
    assert not at.exception
    assert not at.get("file_uploader")
    assert not [b for b in at.button if "Undo" in b.label or "ongedaan" in b.label]
    text = all_text(at)
    assert "DEMO-" not in text
    assert not re.search(r"\b[0-9a-f]{16}\b", text), "a pseudonymised patient key is shown"


def test_outcomes_page_shows_demo_label_and_suppresses_small_groups():
    at = open_page("streamlit_pages/outcomes.py", sex="men", age="60+", period="2022")
    assert not at.exception
    assert any("Demo data" in w.value for w in at.warning)
    assert "Too few patients in this selection" in all_text(at)
    for chart in at.get("plotly_chart"):
        assert chart is not None
    at = open_page("streamlit_pages/outcomes.py", lang="nl", group="chronic")
    assert at.session_state["group"] == "chronic"
    assert any("Demogegevens" in w.value for w in at.warning)


def test_outcomes_page_lists_the_other_benchmarks_with_sources():
    at = open_page("streamlit_pages/outcomes.py")
    table = next(df.value for df in at.dataframe if "definition_note" in df.value.columns)
    labels = " ".join(table["label"])
    for study in ("ART", "Cochrane", "Acuback", "Costa"):
        assert study in labels, study
    assert table["source_url"].str.startswith("http").all()
