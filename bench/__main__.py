"""`python -m bench` (what `make bench` runs): every benchmark in turn, each in its own process,
then the results table (bench/README.md) and the README's headline figures rebuilt from the
JSON they wrote.

    python -m bench            # the full run (about 15 minutes on 2 cores)
    python -m bench --quick    # a smoke run of each (a few minutes)
    python -m bench --only scale,cold_open
    python -m bench --report   # only rebuild the table and headline from bench/results/
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench import report

BENCHES = ("scale", "cold_open", "interaction", "concurrent", "previews")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run of every benchmark")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated benchmarks")
    parser.add_argument("--report", action="store_true", help="only rebuild the table and headline")
    args = parser.parse_args(argv)

    failed = []
    if not args.report:
        for name in [n.strip() for n in args.only.split(",") if n.strip()]:
            if name not in BENCHES:
                parser.error(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
            command = [sys.executable, "-m", f"bench.{name}", *(["--quick"] if args.quick else [])]
            print(f"\n$ {' '.join(command[1:])}", flush=True)
            start = time.monotonic()
            if subprocess.call(command) != 0:  # noqa: S603 (our own modules)
                failed.append(name)
            print(f"({name}: {time.monotonic() - start:.0f} s)", flush=True)
    table = report.update()
    print("\n" + table)
    missed = report.missed_targets()
    if missed:
        print("\nTargets not met:\n" + "\n".join(f"- {m}" for m in missed))
    if failed:
        print(f"\nBenchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
