"""Decode and encode time of wacpy beside ``wasm-tools print --skeleton`` on the same files.

Run: ``.venv/bin/python -m benches.bench_codec``. Prints one row per input with the ratio
(wacpy decode + encode) / (wasm-tools print --skeleton); below 1.0 means wacpy is faster.
A decoded section is written back as the bytes it was read from; the rows marked ``(writer)``
encode an AST that remembers none (``without_sources``), so every item goes through the writer.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from wacpy import decode, encode, gc_paused
from wacpy.binary.ast import without_sources
from wacpy.tools import wasm_tools_path

from .inputs import many_items_component
from .timing import interleaved


def _wasm_tools_skeleton(path: Path) -> None:
    subprocess.run(
        [wasm_tools_path(), "print", "--skeleton", str(path)], check=True, stdout=subprocess.DEVNULL
    )


def _decode_paused(data: bytes) -> object:
    with gc_paused():  # what the CLI does around its calls (the library leaves the collector alone)
        return decode(data)


def measure(
    name: str, data: bytes, runs: int, *, writer: bool = False, collector: bool = False
) -> dict[str, float | str | int]:
    """One row; ``collector``: decode with Python's cycle collector running (by default it is
    paused around the call, as ``wacpy`` commands do)."""
    with tempfile.NamedTemporaryFile(suffix=".wasm") as handle:
        handle.write(data)
        handle.flush()
        path = Path(handle.name)
        component = without_sources(decode(data)) if writer else decode(data)
        assert encode(component) == data, f"{name}: round-trip is not exact"
        times = interleaved(
            runs,
            {
                "peer": lambda: _wasm_tools_skeleton(path),
                "decode": (lambda: decode(data)) if collector else (lambda: _decode_paused(data)),
                "encode": lambda: encode(component),
            },
        )
    t_decode, t_encode, peer = min(times["decode"]), min(times["encode"]), min(times["peer"])
    return {
        "input": name + (" (writer)" if writer else "") + (" (collector on)" if collector else ""),
        "bytes": len(data),
        "decode_ms": t_decode * 1e3,
        "encode_ms": t_encode * 1e3,
        "wasm_tools_ms": peer * 1e3,
        "ratio": (t_decode + t_encode) / peer,
    }


def _inputs(skip_python: bool) -> list[tuple[str, bytes]]:
    inputs = [("many-items", many_items_component())]
    if not skip_python:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from testkit.corpus.build import python_component

        inputs.insert(0, ("componentize-py", python_component()))
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-python", action="store_true", help="skip the 18 MB componentize-py input")
    args = parser.parse_args()
    inputs = _inputs(args.skip_python)
    rows = [measure(name, data, args.runs) for name, data in inputs]
    rows += [measure(name, data, args.runs, writer=True) for name, data in inputs if name == "many-items"]
    rows += [measure(name, data, args.runs, collector=True) for name, data in inputs if name == "many-items"]
    print(
        f"{'input':<20} {'bytes':>10} {'decode ms':>10} {'encode ms':>10} {'wasm-tools ms':>14} {'ratio':>7}"
    )
    for row in rows:
        print(
            f"{row['input']:<20} {row['bytes']:>10} {row['decode_ms']:>10.2f} {row['encode_ms']:>10.2f} "
            f"{row['wasm_tools_ms']:>14.2f} {row['ratio']:>7.2f}"
        )
    print(
        f"median ratio {statistics.median(float(r['ratio']) for r in rows[: len(inputs)]):.2f} (target for componentize-py: <= 0.5)"
    )


if __name__ == "__main__":
    main()
