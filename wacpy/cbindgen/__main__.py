"""``python -m wacpy.cbindgen [--check]``: regenerate the checked-in C bindings from ``wit/``."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from . import generate

ROOT = Path(__file__).resolve().parents[2]


def _wasi_wit() -> Path:
    """The WASI WIT packages, fetched and cached by ``middleware-src/build.py``."""
    spec = importlib.util.spec_from_file_location(
        "wacpy_middleware_build", ROOT / "middleware-src" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build.wasi_wit()  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m wacpy.cbindgen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="list stale files, write nothing (exit 1 if any)"
    )
    args = parser.parse_args()
    stale = generate(ROOT, _wasi_wit(), check=args.check)
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + path)
    sys.exit(1 if args.check and stale else 0)


if __name__ == "__main__":
    main()
