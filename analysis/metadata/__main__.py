"""Write data/datapackage.json from the metadata modules, or check that it is current.

Usage: ``python -m analysis.metadata`` (write) or ``python -m analysis.metadata --check``.
"""

import sys

from analysis.metadata import DESCRIPTOR_PATH, descriptor_json


def main(argv: list[str]) -> int:
    text = descriptor_json()
    if "--check" in argv:
        current = DESCRIPTOR_PATH.read_text(encoding="utf-8") if DESCRIPTOR_PATH.exists() else ""
        if current != text:
            print(
                f"{DESCRIPTOR_PATH} is out of date; run `python -m analysis.metadata`",
                file=sys.stderr,
            )
            return 1
        print(f"{DESCRIPTOR_PATH} is current")
        return 0
    DESCRIPTOR_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DESCRIPTOR_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
