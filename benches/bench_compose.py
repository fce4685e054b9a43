"""Composition and inspection time of wacpy beside wasm-tools on the same inputs, in one run.

Run: ``.venv/bin/python -m benches.bench_compose`` (``--only chain50`` and so on for some rows). Rows:

- ``py2+c3``: a root importing five interfaces served by two componentize-py components and three
  freestanding C components; ``chain50``: a chain of 50 small components. Each is composed by
  ``wacpy.compose`` (validation on, then off) and by ``wasm-tools compose`` (which validates).
- ``inspect``: ``wacpy inspect`` (decode + type model) beside ``wasm-tools component wit`` on the
  18 MB componentize-py component.

Ratios are wacpy time / wasm-tools time; below 1.0 means wacpy is faster. wacpy's calls run with
the cycle collector paused (``wacpy.gc_paused``), as the ``wacpy`` CLI runs them; the library
leaves the collector alone, which costs a plain call ~2% (see ``wacpy/tuning.py``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from wacpy import compose, gc_paused
from wacpy.inspection import summarize
from wacpy.tools import wasm_tools_path

from .inputs import chain_links, renamed_export, root_importing
from .timing import interleaved, paired_ratio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from testkit.corpus.build import C_DIR, PYTHON_DIR, c_component, python_component


def _interface_body(wit: str, name: str) -> str:
    start = wit.index(f"interface {name} {{") + len(f"interface {name} {{")
    return wit[start : wit.index("world")].rsplit("}", 1)[0]


def py2_c3() -> tuple[bytes, list[tuple[str, bytes]]]:
    calc = _interface_body((PYTHON_DIR / "app.wit").read_text(), "calc")
    tools = _interface_body((C_DIR / "tool.wit").read_text(), "tools")
    plugs = [(f"bench:py{i}/calc@0.1.0", python_component(), "wacpy:pyapp/calc@0.1.0") for i in (1, 2)]
    plugs += [(f"bench:c{i}/tools@0.1.0", c_component(), "wacpy:corpus/tools@0.1.0") for i in (1, 2, 3)]
    root = root_importing({name: calc if "py" in name else tools for name, _, _ in plugs})
    return root, [(name, renamed_export(data, old, name)) for name, data, old in plugs]


def _wasm_tools_compose(work: Path, root: bytes, plugs: list[tuple[str, bytes]]) -> Callable[[], object]:
    """A callable running ``wasm-tools compose`` with a config naming each dependency."""
    (work / "root.wasm").write_bytes(root)
    lines = ["dependencies:"]
    for i, (name, data) in enumerate(plugs):
        (work / f"dep-{i}.wasm").write_bytes(data)
        lines.append(f'  "{name}": dep-{i}.wasm')
    (work / "compose.yml").write_text("\n".join(lines) + "\n")
    command = [
        wasm_tools_path(),
        "compose",
        str(work / "root.wasm"),
        "-c",
        str(work / "compose.yml"),
        "-o",
        str(work / "out.wasm"),
    ]
    return lambda: subprocess.run(command, check=True, capture_output=True)


def _paused(call: Callable[..., object], *args: object, **kwargs: object) -> object:
    with gc_paused():
        return call(*args, **kwargs)


def measure_compose(
    name: str, root: bytes, plugs: list[tuple[str, bytes]], runs: int
) -> dict[str, float | str]:
    datas = [data for _, data in plugs]
    with tempfile.TemporaryDirectory() as tmp:
        times = interleaved(
            runs,
            {
                "peer": _wasm_tools_compose(Path(tmp), root, plugs),
                "on": lambda: _paused(compose, root, datas),
                "off": lambda: _paused(compose, root, datas, validate=False),
            },
        )
    on, off, peer = min(times["on"]), min(times["off"]), min(times["peer"])
    return {
        "case": name,
        "wacpy_ms": on * 1e3,
        "wacpy_novalidate_ms": off * 1e3,
        "wasm_tools_ms": peer * 1e3,
        "ratio": on / peer,
        "ratio_novalidate": off / peer,
        "paired": paired_ratio(times["on"], times["peer"]),
    }


def measure_inspect(runs: int) -> dict[str, float | str]:
    data = python_component()
    with tempfile.NamedTemporaryFile(suffix=".wasm") as handle:
        handle.write(data)
        handle.flush()
        command = [wasm_tools_path(), "component", "wit", handle.name]
        times = interleaved(
            runs,
            {
                "peer": lambda: subprocess.run(command, check=True, capture_output=True),
                "ours": lambda: _paused(summarize, data),
            },
        )
    ours, peer = min(times["ours"]), min(times["peer"])
    return {
        "case": "inspect 18 MB",
        "wacpy_ms": ours * 1e3,
        "wasm_tools_ms": peer * 1e3,
        "ratio": ours / peer,
        "paired": paired_ratio(times["ours"], times["peer"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument(
        "--only", choices=["py2+c3", "chain50", "inspect"], action="append", help="run just these rows"
    )
    args = parser.parse_args()
    wanted = set(args.only or ["py2+c3", "chain50", "inspect"])
    rows = []
    if "py2+c3" in wanted:
        rows.append(measure_compose("py2+c3", *py2_c3(), args.runs))
    if "chain50" in wanted:
        links = chain_links(50)
        rows.append(measure_compose("chain50", links[0][1], links[1:], args.runs))
    print(
        f"{'case':<14} {'wacpy ms':>9} {'no-validate ms':>15} {'wasm-tools ms':>14} {'ratio':>6} "
        f"{'ratio (no val.)':>16} {'paired':>7}"
    )
    for r in rows:
        print(
            f"{r['case']:<14} {r['wacpy_ms']:>9.1f} {r['wacpy_novalidate_ms']:>15.1f} {r['wasm_tools_ms']:>14.1f} "
            f"{r['ratio']:>6.2f} {r['ratio_novalidate']:>16.2f} {r['paired']:>7.2f}"
        )
    if "inspect" in wanted:
        _print_inspect(measure_inspect(args.runs))
    print("ratio: best wacpy time / best wasm-tools time; paired: median of per-round ratios")
    print("targets: compose ratio <= 1.0 with validation, far below with it off; inspect ratio <= 1.0")


def _print_inspect(i: dict[str, float | str]) -> None:
    print(
        f"{i['case']:<14} {i['wacpy_ms']:>9.1f} {'':>15} {i['wasm_tools_ms']:>14.1f} {i['ratio']:>6.2f} "
        f"{'':>16} {i['paired']:>7.2f}"
    )


if __name__ == "__main__":
    main()
