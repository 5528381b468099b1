"""Rewrite data/public/*.csv from the research extracts, or check they are current.

Usage: ``python -m analysis.curation [--research DIR] [--out DIR] [--check]``. The extracts are
read from ``data/sources/`` unless ``--research`` names another folder with the same layout;
``--out`` writes the tables to another folder (the round-trip test compares that with
``data/public/``).
"""

import argparse
import sys
from pathlib import Path

from analysis.curation import DEFAULT_RESEARCH, build_all, to_csv_text
from analysis.metadata import DATA_DIR


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.curation")
    parser.add_argument("--research", type=Path, default=DEFAULT_RESEARCH)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "public")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    stale = []
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in build_all(args.research).items():
        path = args.out / f"{name}.csv"
        text = to_csv_text(frame)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({len(frame)} rows)")
    for path in stale:
        print(f"{path} differs from what the curation code builds", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
