"""The owner area and the outcomes page under AppTest: who can see and do what."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import demo
from dashboard import auth
from dashboard.site import PAGES

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
README = Path(__file__).resolve().parents[1] / "README.md"
PASSWORD = "a long owner passphrase"  # noqa: S105 (test fixture)


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Every test gets its own empty clinic database and secret, and no password from outside."""
    monkeypatch.setenv("RUGZICHT_DB", str(tmp_path / "clinic.duckdb"))
    monkeypatch.setenv("RUGZICHT_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    # The sign-in attempt log goes beside that database, with the default waits.
    monkeypatch.delenv("RUGZICHT_SIGNIN_DB", raising=False)
    monkeypatch.delenv("RUGZICHT_SIGNIN_DELAY", raising=False)
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


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    password_fields(at)[0].input(password)
    next(b for b in at.button if b.label == "Sign in").click().run()
    return at


def owner_panels(at: AppTest) -> list:
    return [c for c in at.segmented_control if c.key == "_owner_panel"]


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_wrong_passwords_from_fresh_sessions_close_the_sign_in_for_the_right_one_too():
    """Each AppTest is a new browser session: the count lives beside the database, not in the
    session, so three wrong passwords from three sessions close the sign-in, and a fourth
    session with the right password is refused until the time it shows."""
    stored = auth.hash_password(PASSWORD)
    for guess in ("guess 1", "guess 2", "guess 3"):
        at = sign_in(open_page("streamlit_pages/clinic_data.py", stored), guess)
        assert not at.exception and "not right" in errors(at)
        assert not at.get("file_uploader")
    assert "closed until" in errors(at)
    fresh = open_page("streamlit_pages/clinic_data.py", stored)
    assert "closed until" in errors(fresh), "the lock shows before any attempt"
    sign_in(fresh)
    assert "closed until" in errors(fresh)
    assert not fresh.get("file_uploader") and not owner_panels(fresh)
    assert "_owner_session" not in fresh.session_state


def test_the_owner_unlock_command_opens_it_again():
    from dashboard import signin_guard

    stored = auth.hash_password(PASSWORD)
    for _ in range(3):
        sign_in(open_page("streamlit_pages/clinic_data.py", stored), "wrong")
    signin_guard.SigninGuard().unlock()
    at = sign_in(open_page("streamlit_pages/clinic_data.py", stored))
    assert at.get("file_uploader"), "the right password works once the lock is cleared"


def test_a_forged_expired_or_outdated_session_record_signs_nobody_in():
    import time

    stored = auth.hash_password(PASSWORD)
    forged = [
        True,
        {"token": "0" * 64, "at": time.time()},
        {"token": auth.session_token(stored), "at": time.time() - auth.SESSION_SECONDS - 1},
        {"token": auth.session_token(auth.hash_password("an old password")), "at": time.time()},
    ]
    for record in forged:
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets[auth.SECRET_KEY] = stored
        at.session_state["_owner_session"] = record
        at.switch_page("streamlit_pages/clinic_data.py").run()
        at.switch_page("streamlit_pages/clinic_data.py").run()
        assert not at.exception
        assert password_fields(at), record
        assert not at.get("file_uploader") and not owner_panels(at)


def open_panel(at: AppTest, panel: str) -> AppTest:
    at.segmented_control(key="_owner_panel").set_value(panel).run()
    assert not at.exception, at.exception
    return at


def test_the_owner_sees_private_full_outcomes_quality_and_sign_in_attempts():
    stored = auth.hash_password(PASSWORD)
    sign_in(open_page("streamlit_pages/clinic_data.py", stored), "a wrong one")
    at = sign_in(open_page("streamlit_pages/clinic_data.py", stored))
    at.get("file_uploader")[0].upload(demo.DEMO_PATH.name, demo.DEMO_PATH.read_bytes(), "text/csv")
    next(b for b in at.button if "Import" in b.label).click().run()

    open_panel(at, "private")
    assert at.warning[0].value.startswith("PRIVATE")
    # Shown as Streamlit tables, whose toolbar lets the owner download them: the banner (and
    # the README's Privacy section) say so rather than claim no copy can leave the page.
    assert "download it as CSV" in at.warning[0].value
    privacy = README.read_text(encoding="utf-8").split("### Privacy", 1)[1].split("\n### ", 1)[0]
    assert "The owner can download these\ntables" in privacy and "Download as CSV" in privacy
    groups = next(df.value for df in at.dataframe if "group_by" in df.value.columns)
    # Nothing hidden: every quarter is there, also those with fewer than 10 patients.
    quarters = groups[groups["group_by"] == "quarter"]
    assert len(quarters) >= 12 and (quarters["n_patients"] < 10).any()
    assert groups["n_patients"].notna().all()
    assert "DEMO-" not in all_text(at)
    # The private view is never the page view that the share panel exports.
    assert at.session_state["_view_this_run"] is None
    assert not [b for b in at.get("download_button") if "HTML" in str(b.proto.label)]

    open_panel(at, "quality")
    assert at.warning[0].value.startswith("PRIVATE")
    labels = [m.label for m in at.metric]
    assert "Episodes with one visit only" in labels
    assert "Episodes that stopped before session 5" in labels
    assert any("Visits per month" in s.value for s in at.subheader)

    open_panel(at, "signins")
    attempts = at.table[-1].value  # small and all words and whole numbers: a plain table
    assert attempts["address"].tolist() == ["local"]
    assert attempts["outcome"].tolist() == ["wrong password"]
    assert attempts["attempts"].tolist() == ["1"]


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
    downloads = [str(b.proto.label) for b in at.get("download_button")]
    assert "Download the benchmark packet (JSON)" in downloads, downloads
    undo = next(b for b in at.button if b.label.startswith("Undo import"))
    undo.click().run()
    assert not at.exception
    assert at.dataframe[-1].value["undone_at"].notna().all()


@pytest.fixture
def deferred():
    """The deferred downloads (``data=callable``) the app registers while AppTest runs it, by
    file name: the last registration of each."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        registered[file_name] = (self, file_id)
        return file_id

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MediaFileManager, "add_deferred", add_deferred)
        yield registered


def click_download(registered: dict, file_name: str) -> bytes:
    """The file a click on a deferred download gets, made the way Streamlit's server makes it:
    its backend handler runs the callable in a worker thread, without the session's script
    context (st.session_state there is not the reader's)."""
    import asyncio

    from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    manager, file_id = registered[file_name]
    request = BackendOperationRequest(request_id="click")
    request.deferred_file.file_id = file_id
    response = asyncio.run(DeferredFileHandler(lambda: manager).handle(request, "session"))
    assert not response.error_msg, response.error_msg
    return manager._storage.get_file(response.deferred_file.url.rsplit("/", 1)[-1]).content


PACKET = "rugzicht-benchmark-packet.json"


def test_the_benchmark_packet_made_on_click_is_the_real_packet(deferred):
    """The packet is made when the owner clicks, outside the session: the sign-in is checked
    while the page renders, so the file is the packet, not an empty download."""
    import json

    at = sign_in(open_page("streamlit_pages/clinic_data.py", auth.hash_password(PASSWORD)))
    at.get("file_uploader")[0].upload(demo.DEMO_PATH.name, demo.DEMO_PATH.read_bytes(), "text/csv")
    next(b for b in at.button if "Import" in b.label).click().run()
    assert not at.exception
    packet = json.loads(click_download(deferred, PACKET))
    assert packet["schema"] == "rugzicht.benchmark_packet" and packet["episodes"], sorted(packet)
    assert "DEMO-" not in json.dumps(packet)
    # Signed out, the page no longer offers it.
    next(b for b in at.button if b.key == "sign_out").click().run()
    assert not [b for b in at.get("download_button") if "packet" in str(b.proto.label)]


def test_an_owner_download_checks_the_sign_in_when_shown_and_when_clicked(monkeypatch):
    import time

    from dashboard import components

    stored = auth.hash_password(PASSWORD)
    monkeypatch.setenv(auth.ENV_VAR, stored)
    state: dict = {}
    monkeypatch.setattr(components.st, "session_state", state)
    made = []

    def make() -> bytes:
        made.append(1)
        return b"the owner's file"

    assert components.owner_download(make)() == b"" and not made  # not signed in
    now = time.time()
    state[components.OWNER_KEY] = {"token": auth.session_token(stored), "at": now}
    click = components.owner_download(make)
    state.clear()  # the callable runs without the session: what it needs, it took
    assert click() == b"the owner's file"
    monkeypatch.setattr(time, "time", lambda: now + auth.SESSION_SECONDS + 1)
    assert click() == b"", "a sign-in that has expired since makes nothing"
    assert len(made) == 1


@pytest.mark.parametrize("file", [p[0] for p in PAGES])
def test_a_viewer_never_sees_upload_undo_or_a_patient_id(file):
    at = open_page(file, group="acute")
    assert not at.exception
    assert not at.get("file_uploader")
    assert not [b for b in at.button if "Undo" in b.label or "ongedaan" in b.label]
    text = all_text(at)
    assert "DEMO-" not in text
    assert not re.search(r"\b[0-9a-f]{16}\b", text), "a pseudonymised patient key is shown"
    assert "PRIVATE" not in text and "PRIVÉ" not in text


PRIVATE_GUESSES = [
    {"panel": "private"},
    {"_owner_panel": "private"},
    {"_owner_session": "1", "owner": "1", "view": "private"},
    {"embed": "true", "_owner_panel": "quality"},
]


@pytest.mark.parametrize("params", PRIVATE_GUESSES)
def test_no_link_reaches_the_private_view(params):
    """With records imported and a password set, a viewer's link to the clinic data page with
    any parameters gets the sign-in form and nothing of the owner's panels."""
    from analysis import clinic

    clinic.ClinicStore(clinic.default_db_path()).import_file(
        demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name
    )
    at = open_page("streamlit_pages/clinic_data.py", auth.hash_password(PASSWORD), **params)
    assert not at.exception
    assert password_fields(at)
    assert not owner_panels(at) and not at.dataframe and not at.metric
    text = all_text(at) + " ".join(w.value for w in at.warning)
    assert "PRIVATE" not in text and "group_by" not in text
    assert at.session_state["_view_this_run"] is None


def test_outcomes_page_shows_demo_label_and_suppresses_small_groups():
    at = open_page(
        "streamlit_pages/outcomes.py", sex="men", age="60+", period="2022", open="curve,pain"
    )
    assert not at.exception
    assert any("Demo data" in w.value for w in at.warning)
    assert "Too few patients in this selection" in all_text(at)
    assert [c.key for c in at.get("plotly_chart")] == [
        "chart_outcomes_response_by_session",
        "chart_outcomes_pain_by_session",
    ]
    at = open_page("streamlit_pages/outcomes.py", lang="nl", group="chronic")
    assert at.session_state["group"] == "chronic"
    assert any("Demogegevens" in w.value for w in at.warning)


def test_outcomes_page_lists_the_other_benchmarks_with_sources():
    # Reference material, shown when opened: nothing of it is drawn until then.
    closed = open_page("streamlit_pages/outcomes.py")
    assert not any("definition_note" in df.value.columns for df in closed.dataframe)
    at = open_page("streamlit_pages/outcomes.py", open="benchmarks")
    table = next(df.value for df in at.dataframe if "definition_note" in df.value.columns)
    labels = " ".join(table["label"])
    for study in ("ART", "Cochrane", "Acuback", "Costa"):
        assert study in labels, study
    assert table["source_url"].str.startswith("http").all()
