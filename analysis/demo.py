"""Synthetic demo clinic: visit records for the dashboard until the owner imports real ones.

``python -m analysis.demo`` writes ``data/demo/clinic_visits_demo.csv`` from a fixed seed, in the
Dutch export format a practice system produces (';' separated, decimal comma, dd-mm-yyyy, UTF-8
with BOM, Dutch headers and values), so every run of the dashboard and the tests goes through the
importer's Dutch path. These are NOT real patients: the patient numbers start with DEMO and the
dashboard labels every figure from this file as demo data.

How the records are made (the assumptions are deliberately plain, not fitted to any study):
- 320 patients, 35% acute, 15% subacute, 50% chronic complaints; 60% women; ages 18-85; region
  low back 60%, neck 30%, upper back 10%. About one in ten comes back for a second episode more
  than 90 days after the first.
- Baseline pain on the 0-10 scale around 7 (acute) or 6 (chronic). Pain falls towards a floor
  along an exponential curve: quickly for acute complaints (most of the fall within five weekly
  sessions, as in the natural course), slowly and less for chronic ones; with noise.
- Planned courses of 6 (acute), 8 (subacute) or 10 (chronic) sessions, one a week; after each
  session a patient stops early with probability 6%, more often once the pain has halved.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261124
N_PATIENTS = 320
DEMO_PATH = Path(__file__).resolve().parents[1] / "data" / "demo" / "clinic_visits_demo.csv"
DEMO_SECRET = b"rugzicht-demo-data-not-real-patients"

DURATIONS = {"acuut": 0.35, "subacuut": 0.15, "chronisch": 0.50}
PLANNED = {"acuut": 6, "subacuut": 8, "chronisch": 10}
REGIONS = {"lage rug": 0.6, "nek": 0.3, "bovenrug": 0.1}
COLUMNS = [
    "patientnummer",
    "episode",
    "datum",
    "sessie",
    "pijnscore",
    "klachtduur",
    "geslacht",
    "leeftijd",
    "regio",
    "odi",
    "behandeling",
]


def _pain_course(rng: np.random.Generator, duration: str, baseline: float, sessions: int) -> list:
    """Pain at each session: exponential fall towards a floor, plus noise, on the 0-10 scale."""
    if duration == "acuut":
        floor, speed = rng.uniform(0.5, 4.5), rng.uniform(0.1, 0.6)
    elif duration == "subacuut":
        floor, speed = rng.uniform(1.5, 3.5), rng.uniform(0.2, 0.5)
    else:
        floor, speed = rng.uniform(2.5, 5.5), rng.uniform(0.08, 0.35)
    floor = min(floor, baseline)
    out = []
    for s in range(sessions):
        level = floor + (baseline - floor) * np.exp(-speed * s)
        noisy = level + rng.normal(0, 0.6) if s else baseline
        half = rng.random() < 0.1  # some practices record half points
        step = 0.5 if half else 1.0
        out.append(float(np.clip(np.round(noisy / step) * step, 0, 10)))
    return out


def _episode_rows(rng, patient, episode, start, duration, sex, age, region) -> list[dict]:
    baseline = float(np.clip(np.round(rng.normal(7.0 if duration == "acuut" else 6.2, 1.4)), 2, 10))
    planned = PLANNED[duration]
    pains = _pain_course(rng, duration, baseline, planned)
    rows, day = [], start
    for session, pain in enumerate(pains, start=1):
        rows.append(
            {
                "patientnummer": patient,
                "episode": f"{patient}-E{episode}",
                "datum": day,
                "sessie": session,
                "pijnscore": pain,
                "klachtduur": duration,
                "geslacht": sex,
                "leeftijd": age,
                "regio": region,
                "odi": (
                    float(np.clip(np.round(pain * 5 + rng.normal(6, 4)), 0, 100))
                    if region == "lage rug" and rng.random() < 0.7
                    else np.nan
                ),
                "behandeling": "acupunctuur",
            }
        )
        halved = pain <= baseline / 2
        if rng.random() < (0.15 if halved else 0.06):
            break
        day = day + timedelta(days=int(rng.integers(5, 10)))
    return rows


def make_demo(seed: int = SEED, n_patients: int = N_PATIENTS) -> pd.DataFrame:
    """The demo visit records as a DataFrame (Dutch column names and values, real dates)."""
    rng = np.random.default_rng(seed)
    first_day, span = date(2022, 1, 3), (date(2025, 6, 30) - date(2022, 1, 3)).days
    rows: list[dict] = []
    for number in range(1, n_patients + 1):
        patient = f"DEMO-{number:04d}"
        sex = "vrouw" if rng.random() < 0.6 else "man"
        age = int(np.clip(np.round(rng.normal(48, 14)), 18, 85))
        region = rng.choice(list(REGIONS), p=list(REGIONS.values()))
        duration = rng.choice(list(DURATIONS), p=list(DURATIONS.values()))
        start = first_day + timedelta(days=int(rng.integers(0, span)))
        rows += _episode_rows(rng, patient, 1, start, duration, sex, age, region)
        if rng.random() < 0.1:
            again = rows[-1]["datum"] + timedelta(days=int(rng.integers(120, 400)))
            second = rng.choice(list(DURATIONS), p=list(DURATIONS.values()))
            rows += _episode_rows(rng, patient, 2, again, second, sex, age, region)
    return pd.DataFrame(rows, columns=COLUMNS)


def to_dutch_csv(frame: pd.DataFrame) -> bytes:
    """The frame as a Dutch practice-system export: ';', decimal comma, dd-mm-yyyy, BOM."""
    out = frame.copy()
    out["datum"] = pd.to_datetime(out["datum"]).dt.strftime("%d-%m-%Y")
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n", float_format="%g")
    return ("\ufeff" + text).encode("utf-8")


def write_demo(path: Path = DEMO_PATH) -> Path:
    """Write the demo export to `path` (the committed file is regenerated by this)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_dutch_csv(make_demo()))
    return path


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEMO_PATH
    written = write_demo(path)
    print(f"wrote {written} (synthetic demo data, seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
