"""A benchmark packet: the clinic's outcome figures as one aggregate-only JSON file that a
professional association can pool across clinics (README, "Pooling outcomes across clinics").

Every number comes from `analysis.clinic_view.public_outcomes(visits, group=..., period=...)`,
so it has passed the same disclosure control as the public pages: a suppressed cell stays in
the packet with its counts and values null and its reason given. No patient-level row, patient
key, pseudonym, episode id or date finer than the start year is written.

Layout (one JSON object; DuckDB reads it with ``read_json`` and ``unnest``):

- ``schema`` ("rugzicht.benchmark_packet"), ``schema_version`` (1), ``generated_at`` (UTC),
  ``data_version`` (`analysis.metadata.DATA_VERSION`), ``is_demo``, ``threshold`` (the
  suppression threshold in patients), ``definitions`` (response, episode gap, claim sessions,
  denominators, intervals, disclosure).
- Four tables, each a list of flat records with the same keys, one per complaint duration
  (acute, chronic) and start year (calendar year of the episode's first visit), and where
  named per session. Every record ends with ``suppressed`` and ``suppression_reason``.

  - ``episodes``: n_patients, n_episodes: the episodes that started, with a baseline pain above
    0 (the response denominators).
  - ``responders``: session (5 acute, 10 chronic), denominator ("started": all episodes that
    started, those that stopped earlier counted as not responded; "reached": the episodes that
    reached the session), n_patients, n_episodes (the denominator), n_responders, share,
    ci_low, ci_high (Wilson 95%). A "started" row is shown only when both its episodes cell and
    the "reached" cell are shown (its responders are the reached cell's).
  - ``kaplan_meier``: session, n_patients_at_risk, n_at_risk, cum_response, ci_low, ci_high
    (log(-log) 95%), sessions 1-12. No responses or censored per session: with the counts at
    risk of two sessions they would give a hidden count at risk (the public pages leave them
    out too).
  - ``pain``: session, n_patients, n_episodes, pain_median, pain_q1, pain_q3 (NRS 0-10),
    sessions 1-12.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis import clinic_view, disclosure, outcomes
from analysis.metadata import DATA_VERSION
from analysis.vocabulary import (
    CI_LEVEL_PCT,
    CLAIM_SESSIONS,
    EPISODE_GAP_DAYS,
    RESPONSE_PCT,
    RESPONSE_POINTS,
)

SCHEMA = "rugzicht.benchmark_packet"
SCHEMA_VERSION = 1
DURATIONS: tuple[str, ...] = tuple(CLAIM_SESSIONS)  # acute, chronic
TABLES = ("episodes", "responders", "kaplan_meier", "pain")
# Columns of each table; the first ones locate the cell, the last two say whether it is hidden.
KEYS = ("complaint_duration", "start_year")
TAIL = ("suppressed", "suppression_reason")
COLUMNS: dict[str, tuple[str, ...]] = {
    "episodes": (*KEYS, "n_patients", "n_episodes", *TAIL),
    "responders": (
        *KEYS, "session", "denominator", "n_patients", "n_episodes", "n_responders", "share",
        "ci_low", "ci_high", *TAIL,
    ),
    "kaplan_meier": (
        *KEYS, "session", "n_patients_at_risk", "n_at_risk", "cum_response", "ci_low", "ci_high",
        *TAIL,
    ),
    "pain": (
        *KEYS, "session", "n_patients", "n_episodes", "pain_median", "pain_q1", "pain_q3", *TAIL,
    ),
}  # fmt: skip
# The counts that say how many patients or episodes a cell is based on: each is either at least
# the threshold (patients) or null. n_responders are parts of such a cell.
CELL_SIZE_COLUMNS = frozenset({"n_patients", "n_episodes", "n_patients_at_risk", "n_at_risk"})
DENOMINATORS = ("started", "reached")
_DIGITS = 6

DEFINITIONS: dict[str, object] = {
    "response": outcomes.OUR_DEFINITION,
    "response_pct": RESPONSE_PCT,
    "response_points": RESPONSE_POINTS,
    "response_sources": "IMMPACT (Dworkin et al. 2008); Ostelo et al. 2008",
    "baseline": "pain (NRS 0-10) at the first visit of the episode; episodes with baseline 0 "
    "cannot respond and are left out of every response count",
    "episode": "the visits of one patient under one episode_id; without an episode_id a gap of "
    f"more than {EPISODE_GAP_DAYS} days between two visits starts a new episode",
    "episode_gap_days": EPISODE_GAP_DAYS,
    "complaint_duration": "at the first visit of the episode: acute < 6 weeks, chronic > 12 "
    "weeks (subacute episodes are not in the packet)",
    "start_year": "calendar year of the episode's first visit",
    "claim_sessions": dict(CLAIM_SESSIONS),
    "denominator_started": "all episodes that started (baseline above 0); those that stopped "
    "before the session count as not responded: the conservative share",
    "denominator_reached": "the episodes that reached the session (complete case)",
    "kaplan_meier": "cumulative probability of a first response by each session; episodes that "
    "end without a response are censored at their last session",
    "ci_level_pct": CI_LEVEL_PCT,
    "intervals": "shares: Wilson score interval; Kaplan-Meier: log(-log) pointwise interval",
    "disclosure": "the same control as the public pages (analysis.clinic_view.public_outcomes): "
    "a cell based on fewer than `threshold` patients, or one that would reveal such a cell, "
    "is hidden; its counts and values are null and suppression_reason says why",
}


def _value(value: object, count: bool = False) -> object:
    """A cell as JSON: None for a missing value, int for counts (`count`: a whole number held as
    a float, as some tables do), rounded float for the rest."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        if count and float(value).is_integer():
            return int(value)
        return round(float(value), _DIGITS)
    return str(value)


def _hidden_row(row: Mapping[str, object], reason: str) -> dict[str, object]:
    """`row` with every value null, marked as suppressed for `reason`."""
    keep = {*KEYS, "session", "denominator"}
    out = {k: (v if k in keep else None) for k, v in row.items()}
    return {**out, "suppressed": True, "suppression_reason": reason}


def _rows(table: pd.DataFrame, name: str, duration: str, year: int) -> list[dict[str, object]]:
    """The records of one public table for one cell of the packet, in the packet's columns."""
    wanted = [c for c in COLUMNS[name] if c not in KEYS]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise KeyError(f"the public {name} table lacks column(s) {missing}")
    values = {c: table[c].astype("object").tolist() for c in wanted}  # per column: ints stay
    out = []
    for i in range(len(table)):
        record = {c: values[c][i] for c in wanted}
        row = {"complaint_duration": duration, "start_year": year}
        row |= {k: _value(record[k], count=k.startswith("n_")) for k in wanted}
        row["suppressed"] = bool(row["suppressed"])
        if row["suppressed"]:
            row = _hidden_row(row, str(record["suppression_reason"]))
        else:
            row["suppression_reason"] = None
        out.append(row)
    return out


def _share(row: dict[str, object]) -> dict[str, object]:
    """`row` with share and its Wilson interval from its (shown) counts."""
    k, n = row["n_responders"], row["n_episodes"]
    if k is None or not n:
        return row | {"share": None, "ci_low": None, "ci_high": None}
    low, high = outcomes.wilson_interval([k], [n], confidence=CI_LEVEL_PCT / 100)
    return row | {
        "share": _value(k / n),
        "ci_low": _value(float(low[0])),
        "ci_high": _value(float(high[0])),
    }


def _cell(result: clinic_view.PublicOutcomes, duration: str, year: int, threshold: int) -> dict:
    """The four tables' records of one complaint duration and start year."""
    session = CLAIM_SESSIONS[duration]
    km = result.km
    km = km[(km["outcome"] == "response")] if "outcome" in km.columns else km
    km_rows = _rows(km, "kaplan_meier", duration, year)
    pain_rows = _rows(result.pain, "pain", duration, year)

    # Episodes that started: those at risk at session 1 of the Kaplan-Meier curve.
    first = [r for r in km_rows if r["session"] == 1]
    base = {"complaint_duration": duration, "start_year": year}
    if first:
        started = base | {
            "n_patients": first[0]["n_patients_at_risk"],
            "n_episodes": first[0]["n_at_risk"],
            "suppressed": first[0]["suppressed"],
            "suppression_reason": first[0]["suppression_reason"],
        }
    else:  # nobody: an empty cell looks like a hidden one
        reason = f"fewer than {threshold} patient{'' if threshold == 1 else 's'}"
        started = _hidden_row(base | {"n_patients": None, "n_episodes": None}, reason)

    claims = result.claims
    claims = claims[
        (claims["complaint_duration"] == duration)
        & (claims["method"] == "complete_case")
        & (claims["session"] == session)
    ]
    if "outcome" in claims.columns:
        claims = claims[claims["outcome"] == "response"]
    if len(claims) != 1:
        raise ValueError(
            f"the public claims table has {len(claims)} complete-case rows for {duration} at "
            f"session {session}, expected 1"
        )
    claims = claims.assign(denominator="reached", share=claims["estimate"])
    (reached,) = _rows(claims, "responders", duration, year)

    started_row = base | {"session": session, "denominator": "started"}
    started_row |= {k: started[k] for k in ("n_patients", "n_episodes")}
    started_row |= {"n_responders": reached["n_responders"], "suppressed": False}
    started_row |= {"suppression_reason": None}
    if started["suppressed"] or reached["suppressed"]:
        hidden_by = started if started["suppressed"] else reached
        started_row = _hidden_row(started_row, str(hidden_by["suppression_reason"]))
    else:
        started_row = _share(started_row)
    return {
        "episodes": [started],
        "responders": [_order(started_row, "responders"), _order(reached, "responders")],
        "kaplan_meier": km_rows,
        "pain": pain_rows,
    }


def _order(row: Mapping[str, object], name: str) -> dict[str, object]:
    return {c: row.get(c) for c in COLUMNS[name]}


def start_years(visits: pd.DataFrame) -> list[int]:
    """The start years of the clinic's episodes, oldest first."""
    ep = outcomes.episodes(visits, categorical=True)
    return sorted({int(p) for p in ep["period"].dropna().astype(str).unique()})


def packet(
    visits: pd.DataFrame,
    *,
    data_version: str = DATA_VERSION,
    threshold: int | None = None,
    is_demo: bool = False,
    generated_at: dt.datetime | None = None,
    years: Iterable[int] | None = None,
) -> dict[str, object]:
    """The benchmark packet of the clinic's visits (the table the clinic store returns): a dict
    that `packet_bytes` writes as JSON. See the module docstring for the layout."""
    threshold = disclosure.min_cell_size() if threshold is None else threshold
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must carry a time zone (UTC)")
    stamp = generated_at.astimezone(dt.UTC).replace(microsecond=0)
    tables: dict[str, list[dict[str, object]]] = {name: [] for name in TABLES}
    years = start_years(visits) if years is None else sorted(years)
    for duration in DURATIONS:
        for year in years:
            result = clinic_view.public_outcomes(
                visits, group=duration, period=str(year), threshold=threshold, is_demo=is_demo
            )
            for name, rows in _cell(result, duration, year, threshold).items():
                tables[name].extend(_order(r, name) for r in rows)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": stamp.isoformat().replace("+00:00", "Z"),
        "data_version": data_version,
        "is_demo": bool(is_demo),
        "threshold": int(threshold),
        "definitions": copy.deepcopy(DEFINITIONS),
        **tables,
    }


def packet_bytes(visits: pd.DataFrame, **kwargs) -> bytes:
    """`packet(visits, **kwargs)` as UTF-8 JSON (what the command and the download write)."""
    return to_bytes(packet(visits, **kwargs))


def to_bytes(content: Mapping[str, object]) -> bytes:
    """A packet dict as UTF-8 JSON, one table row per line."""
    head = {k: v for k, v in content.items() if k not in TABLES}
    lines = json.dumps(head, ensure_ascii=False, indent=1, allow_nan=False)[:-2].split("\n")
    for name in TABLES:
        rows = ",\n  ".join(
            json.dumps(r, ensure_ascii=False, allow_nan=False) for r in content[name]
        )
        lines.append(f' ,"{name}": [\n  {rows}\n ]' if rows else f' ,"{name}": []')
    return ("\n".join(lines) + "\n}\n").encode("utf-8")


def summary(content: Mapping[str, object]) -> str:
    """One line on what a packet holds."""
    cells = content["responders"]
    hidden = sum(r["suppressed"] for r in cells)
    years = sorted({r["start_year"] for r in content["episodes"]})
    span = f"{years[0]}-{years[-1]}" if years else "no start years"
    return (
        f"{len(cells)} responder cells ({hidden} hidden), {len(content['kaplan_meier'])} "
        f"Kaplan-Meier points, {len(content['pain'])} pain cells; start years {span}; "
        f"threshold {content['threshold']} patients; data version {content['data_version']}"
    )


# The pooling query documented in the README (a test runs it over three packets). Replace
# 'packets/*.json' with where the packets are.
# The query with the definitions it relies on filled in (the claim sessions, the response rule,
# the Wilson quantile of CI_LEVEL_PCT to six decimals).
_POOL_SQL = """\
-- Pooled responders by the claim session ({claims}) per complaint duration and
-- start year, over many Rugzicht benchmark packets (one file per clinic). Counts are summed;
-- shares and Wilson {ci}% intervals come from the sums, never from averaging clinics' shares.
-- Suppressed cells have no counts and stay out: cells_left_out says how many clinics' cells
-- were hidden, so the pooled figures cover only the clinics whose cell was shown.
WITH packets AS (
    SELECT * FROM read_json('packets/*.json', filename = true)
    WHERE schema = 'rugzicht.benchmark_packet' AND schema_version = 1 AND NOT is_demo
      AND definitions.response_pct = {pct} AND definitions.response_points = {points}
),
cells AS (
    SELECT filename, data_version, unnest(responders, recursive := true) FROM packets
),
pooled AS (
    SELECT complaint_duration, start_year, session, denominator,
           count(*) FILTER (WHERE NOT suppressed) AS clinics,
           count(*) FILTER (WHERE suppressed) AS cells_left_out,
           sum(n_episodes::BIGINT) FILTER (WHERE NOT suppressed) AS episodes,
           sum(n_responders::BIGINT) FILTER (WHERE NOT suppressed) AS responders
    FROM cells
    GROUP BY ALL
)
SELECT *,
       responders / episodes AS share,
       (responders + {z}^2 / 2
        - {z} * sqrt(responders * (episodes - responders) / episodes + {z}^2 / 4))
       / (episodes + {z}^2) AS wilson_low,
       (responders + {z}^2 / 2
        + {z} * sqrt(responders * (episodes - responders) / episodes + {z}^2 / 4))
       / (episodes + {z}^2) AS wilson_high
FROM pooled
ORDER BY complaint_duration, start_year, denominator;
"""
POOL_SQL = _POOL_SQL.format(  # noqa: S608 (constants of analysis.vocabulary, not input)
    claims=", ".join(f"{session} {group}" for group, session in CLAIM_SESSIONS.items()),
    ci=CI_LEVEL_PCT,
    pct=f"{RESPONSE_PCT:g}",
    points=f"{RESPONSE_POINTS:g}",
    z=f"{NormalDist().inv_cdf(0.5 + CI_LEVEL_PCT / 200):.6f}",
)
