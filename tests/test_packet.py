"""The benchmark packet: aggregate-only, suppressed as the public pages are, readable and
poolable with DuckDB (the README's query over three packets), and written by the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis import clinic, clinic_view, demo
from analysis.clinic import packet as pk
from analysis.metadata import DATA_VERSION
from analysis.outcomes import wilson_interval
from analysis.vocabulary import CLAIM_SESSIONS, EPISODE_GAP_DAYS, RESPONSE_PCT, RESPONSE_POINTS

ROOT = Path(__file__).resolve().parents[1]
WHEN = dt.datetime(2000, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
THRESHOLD = 10
GROUP_KEYS = ["complaint_duration", "start_year", "session", "denominator"]


@pytest.fixture(scope="module")
def raw_demo() -> pd.DataFrame:
    """The demo export as read (with the clinic's own patient numbers, never analysed)."""
    result = clinic.read_export(demo.DEMO_PATH.read_bytes(), demo.DEMO_PATH.name)
    assert result.ok
    return result.visits


@pytest.fixture(scope="module")
def demo_visits(raw_demo) -> pd.DataFrame:
    """The demo clinic as `dashboard.views.demo_visits` reads it."""
    return clinic.pseudonymise(raw_demo, demo.DEMO_SECRET)


@pytest.fixture(scope="module")
def demo_packet(demo_visits) -> dict:
    return pk.packet(demo_visits, threshold=THRESHOLD, is_demo=True, generated_at=WHEN)


def _cells(content: dict):
    for name in pk.TABLES:
        for row in content[name]:
            yield name, row


# ------------------------------------------------------------------------------------------
# What the packet holds


def test_the_packet_bytes_hold_no_patient_level_data(demo_visits, raw_demo, demo_packet):
    data = pk.to_bytes(demo_packet)
    text = data.decode("utf-8")
    assert json.loads(data) == demo_packet
    for name in ("patient_key", "patient_id", "visit_date", "birth_year", "practitioner"):
        assert name not in text
    secrets = {
        *demo_visits["patient_key"].astype(str),
        *raw_demo["patient_id"].astype(str),
        *raw_demo["episode_id"].dropna().astype(str),
    }
    found = [s for s in secrets if s in text]
    assert not found, found[:5]
    for day in pd.to_datetime(demo_visits["visit_date"]).dt.date.unique():
        for form in ("%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%d/%m/%Y"):
            assert day.strftime(form) not in text
    # No date finer than a year anywhere but the generation time.
    without_stamp = text.replace(demo_packet["generated_at"], "")
    assert not re.search(r"\d{4}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}|\d{4}/\d", without_stamp)
    assert demo_packet["generated_at"] == "2000-01-02T03:04:05Z"


def test_the_packet_holds_only_aggregate_cells(demo_visits, demo_packet):
    assert set(demo_packet) == {
        "schema", "schema_version", "generated_at", "data_version", "is_demo", "threshold",
        "definitions", *pk.TABLES,
    }  # fmt: skip
    years = {int(p) for p in clinic_view.periods(pk.outcomes.episodes(demo_visits))}
    for name, row in _cells(demo_packet):
        assert tuple(row) == pk.COLUMNS[name], name
        assert row["complaint_duration"] in CLAIM_SESSIONS
        assert row["start_year"] in years
        assert isinstance(row["suppressed"], bool)
        values = {k: v for k, v in row.items() if k not in {*pk.KEYS, *pk.TAIL, "session"}}
        values.pop("denominator", None)
        if row["suppressed"]:
            assert all(v is None for v in values.values()), row
            assert row["suppression_reason"]
        else:
            assert row["suppression_reason"] is None
            assert all(row[c] is not None for c in pk.CELL_SIZE_COLUMNS & set(row)), row
    assert len(demo_packet["episodes"]) == len(pk.DURATIONS) * len(years)
    assert len(demo_packet["responders"]) == 2 * len(demo_packet["episodes"])


def test_every_count_cell_is_at_least_the_threshold_or_null(demo_packet):
    shown = hidden = 0
    for _name, row in _cells(demo_packet):
        for col in pk.CELL_SIZE_COLUMNS & set(row):
            value = row[col]
            assert value is None or (isinstance(value, int) and value >= THRESHOLD), (col, row)
            shown += value is not None
            hidden += value is None
        if row.get("n_responders") is not None:
            assert 0 <= row["n_responders"] <= row["n_episodes"]
        # No per-session responses or censored: with two counts at risk they give a hidden one.
        assert "n_events" not in row and "n_censored" not in row
    assert shown and hidden  # the demo clinic has both


def test_the_packet_says_what_its_figures_mean(demo_packet):
    assert demo_packet["schema"] == pk.SCHEMA and demo_packet["schema_version"] == 1
    assert demo_packet["data_version"] == DATA_VERSION
    assert demo_packet["is_demo"] is True and demo_packet["threshold"] == THRESHOLD
    defs = demo_packet["definitions"]
    assert (defs["response_pct"], defs["response_points"]) == (RESPONSE_PCT, RESPONSE_POINTS)
    assert defs["episode_gap_days"] == EPISODE_GAP_DAYS
    assert defs["claim_sessions"] == CLAIM_SESSIONS
    assert "30%" in defs["response"] and "2 points" in defs["response"]


def test_the_figures_are_the_public_ones(demo_visits, demo_packet):
    """Each cell is what `public_outcomes` shows for that complaint duration and start year."""
    for duration, session in CLAIM_SESSIONS.items():
        for year in {r["start_year"] for r in demo_packet["episodes"]}:
            public = clinic_view.public_outcomes(
                demo_visits, group=duration, period=str(year), threshold=THRESHOLD
            )
            claims = public.claims
            cc = claims[(claims["method"] == "complete_case") & (claims["session"] == session)]
            (reached,) = [
                r for r in demo_packet["responders"]
                if (r["complaint_duration"], r["start_year"], r["denominator"])
                == (duration, year, "reached")
            ]  # fmt: skip
            assert reached["suppressed"] == bool(cc["suppressed"].iloc[0])
            if not reached["suppressed"]:
                assert reached["n_episodes"] == int(cc["n_episodes"].iloc[0])
                assert reached["n_responders"] == int(cc["n_responders"].iloc[0])
                assert reached["share"] == pytest.approx(float(cc["estimate"].iloc[0]), abs=1e-6)
            km = [
                r for r in demo_packet["kaplan_meier"]
                if (r["complaint_duration"], r["start_year"]) == (duration, year)
            ]  # fmt: skip
            public_km = public.km[public.km["outcome"] == "response"]
            assert [r["session"] for r in km] == public_km["session"].tolist()
            assert [r["suppressed"] for r in km] == public_km["suppressed"].tolist()
            started = [
                r for r in demo_packet["responders"]
                if (r["complaint_duration"], r["start_year"], r["denominator"])
                == (duration, year, "started")
            ][0]  # fmt: skip
            if not started["suppressed"]:
                # The conservative share: those who stopped earlier count as not responded.
                assert started["n_responders"] == reached["n_responders"]
                assert started["n_episodes"] >= reached["n_episodes"]
                assert started["share"] <= reached["share"]


def test_duckdb_reads_a_packet(tmp_path, demo_packet):
    path = tmp_path / "one.json"
    path.write_bytes(pk.to_bytes(demo_packet))
    con = duckdb.connect()
    head = con.execute("SELECT schema, schema_version, data_version FROM read_json(?)", [str(path)])
    assert head.fetchall() == [(pk.SCHEMA, 1, DATA_VERSION)]
    for name in pk.TABLES:
        query = f"SELECT unnest({name}, recursive := true) FROM read_json(?)"  # noqa: S608
        rows = con.execute(query, [str(path)])
        assert tuple(c[0] for c in rows.description) == pk.COLUMNS[name]
        assert len(rows.fetchall()) == len(demo_packet[name])


# ------------------------------------------------------------------------------------------
# Pooling: the README's query over three clinics


def _split(visits: pd.DataFrame, shares=(0.6, 0.3, 0.1)) -> list[pd.DataFrame]:
    """The demo clinic's patients dealt to three clinics of unequal size."""
    keys = np.sort(visits["patient_key"].unique())
    rng = np.random.default_rng(12)
    which = rng.choice(len(shares), size=len(keys), p=shares)
    clinic_of = dict(zip(keys, which, strict=True))
    part = visits["patient_key"].map(clinic_of)
    return [visits[part == i].reset_index(drop=True) for i in range(len(shares))]


def _expected(packets: list[dict]) -> pd.DataFrame:
    rows = pd.DataFrame([r for p in packets for r in p["responders"]])
    shown = rows[~rows["suppressed"]]
    sums = shown.groupby(GROUP_KEYS)[["n_episodes", "n_responders"]].sum()
    out = rows.groupby(GROUP_KEYS).size().rename("cells").to_frame()
    out["clinics"] = shown.groupby(GROUP_KEYS).size()
    out = out.join(sums).fillna({"clinics": 0})
    out["cells_left_out"] = out["cells"] - out["clinics"]
    return out.drop(columns="cells")


def test_three_packets_pool_with_the_documented_query(tmp_path, demo_visits, demo_packet):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert pk.POOL_SQL.strip() in readme
    folder = tmp_path / "packets"
    folder.mkdir()
    packets = []
    for i, visits in enumerate(_split(demo_visits)):
        content = pk.packet(visits, threshold=THRESHOLD, generated_at=WHEN)
        (folder / f"clinic{i}.json").write_bytes(pk.to_bytes(content))
        packets.append(content)
    # A demo packet in the folder is left out by the query.
    (folder / "demo.json").write_bytes(pk.to_bytes(demo_packet))

    sql = pk.POOL_SQL.replace("packets/*.json", f"{folder}/*.json")
    pooled = duckdb.connect().sql(sql).df().set_index(GROUP_KEYS)
    expected = _expected(packets)
    assert sorted(pooled.index) == sorted(expected.index)
    pooled = pooled.loc[expected.index]
    assert pooled["clinics"].tolist() == expected["clinics"].astype(int).tolist()
    assert pooled["cells_left_out"].tolist() == expected["cells_left_out"].astype(int).tolist()
    for col, want in (("episodes", "n_episodes"), ("responders", "n_responders")):
        got = pooled[col].astype("Float64").fillna(-1).tolist()
        assert got == expected[want].astype("Float64").fillna(-1).tolist()
    # The pool has cells from several clinics and cells some clinic hid.
    assert (pooled["clinics"] >= 2).any() and (pooled["cells_left_out"] > 0).any()
    # Shares and Wilson intervals from the sums, not averages of the clinics' shares.
    has = pooled["episodes"].notna()
    k = pooled.loc[has, "responders"].to_numpy(float)
    n = pooled.loc[has, "episodes"].to_numpy(float)
    low, high = wilson_interval(k, n)
    np.testing.assert_allclose(pooled.loc[has, "share"], k / n, rtol=1e-12)
    np.testing.assert_allclose(pooled.loc[has, "wilson_low"], low, atol=1e-6)
    np.testing.assert_allclose(pooled.loc[has, "wilson_high"], high, atol=1e-6)
    assert pooled.loc[~has, "share"].isna().all()

    # At association scale: the same SQL over a table the packets were loaded into.
    con = duckdb.connect(str(tmp_path / "association.duckdb"))
    load = "CREATE TABLE received AS SELECT * FROM read_json(?, filename = true)"
    con.execute(load, [f"{folder}/*.json"])
    table_sql = pk.POOL_SQL.replace("read_json('packets/*.json', filename = true)", "received")
    from_table = con.sql(table_sql).df().set_index(GROUP_KEYS).loc[expected.index]
    pd.testing.assert_frame_equal(from_table, pooled, check_dtype=False)


def test_a_clinic_with_every_cell_hidden_pools_as_left_out(tmp_path, demo_visits):
    """A tiny clinic's packet (all counts null, so DuckDB sees untyped columns) still pools."""
    tiny = _split(demo_visits, (0.97, 0.03))[1]
    content = pk.packet(tiny, threshold=THRESHOLD, generated_at=WHEN)
    assert all(r["suppressed"] for r in content["responders"])
    folder = tmp_path / "packets"
    folder.mkdir()
    (folder / "tiny.json").write_bytes(pk.to_bytes(content))
    sql = pk.POOL_SQL.replace("packets/*.json", f"{folder}/*.json")
    pooled = duckdb.connect().sql(sql).df()
    assert (pooled["clinics"] == 0).all() and (pooled["cells_left_out"] == 1).all()
    assert pooled["episodes"].isna().all() and pooled["share"].isna().all()


# ------------------------------------------------------------------------------------------
# Command line


def run_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis.clinic", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip


def test_command_line_writes_the_packet_of_the_imported_clinic(tmp_path):
    db = tmp_path / "clinic.duckdb"
    env = {
        **os.environ,
        "RUGZICHT_DB": str(tmp_path / "elsewhere.duckdb"),
        "RUGZICHT_SECRET_FILE": str(tmp_path / "secret"),
        "RUGZICHT_MIN_CELL": str(THRESHOLD),
    }
    out = tmp_path / "out" / "packet.json"
    empty = run_cli("packet", str(out), "--db", str(db), env=env)
    assert empty.returncode == 1 and "holds no visits" in empty.stderr
    assert not out.exists()

    assert run_cli("import", str(demo.DEMO_PATH), "--db", str(db), env=env).returncode == 0
    no_folder = run_cli("packet", str(out), "--db", str(db), env=env)
    assert no_folder.returncode == 2 and "cannot write" in no_folder.stderr
    assert "Traceback" not in no_folder.stderr
    out.parent.mkdir()
    done = run_cli("packet", str(out), "--db", str(db), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {out}: ") and "threshold 10" in done.stdout
    assert [p.name for p in out.parent.iterdir()] == ["packet.json"]

    written = json.loads(out.read_bytes())
    visits = clinic.ClinicStore(db).visits()
    expected = pk.packet(visits, threshold=THRESHOLD, generated_at=WHEN)
    assert written["is_demo"] is False
    assert dt.datetime.fromisoformat(written.pop("generated_at")).tzinfo is not None
    expected.pop("generated_at")
    assert written == json.loads(json.dumps(expected))
    text = out.read_text(encoding="utf-8")
    assert not [key for key in visits["patient_key"].unique() if key in text]
