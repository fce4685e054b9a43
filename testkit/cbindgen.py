"""``python -m testkit.cbindgen [--check]``: regenerate the checked-in C bindings from ``wit/``
(the generator is :mod:`wacpy.cbindgen`; the WASI WIT it reads comes from the framework build)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from testkit import framework
from wacpy.cbindgen import generate

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m testkit.cbindgen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="list stale files, write nothing (exit 1 if any)"
    )
    args = parser.parse_args()
    stale = generate(ROOT, framework.wasi_wit(), check=args.check)
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + path)
    sys.exit(1 if args.check and stale else 0)


if __name__ == "__main__":
    main()
