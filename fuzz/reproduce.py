"""Re-run one saved input through its target (``python -m fuzz reproduce FILE``)."""

from __future__ import annotations

import json
from pathlib import Path

from .findings import FINDING_FILE
from .target import Options

__all__ = ["reproduce", "splice_check"]


def reproduce(path: Path, target_name: str | None, time_limit: float | None = None) -> int:
    """Check ``path`` with its target; exit status 1 if it still shows a problem, 0 if clean.

    The per-input time limit defaults to the campaign's (its ``options.json``), else 1 s.
    """
    from .targets import load_target

    record = path.parent / FINDING_FILE
    expected = None
    if target_name is None:
        if not record.is_file():
            print(f"no {FINDING_FILE} beside {path}: say --target")
            return 2
        saved = json.loads(record.read_text())
        target_name = saved["target"]
        expected = saved["signature"]
    assert target_name is not None
    if time_limit is None:
        options = path.parent.parent.parent / "options.json"
        time_limit = float(json.loads(options.read_text())["time_limit"]) if options.is_file() else 1.0
    target = load_target(target_name)(Options(target=target_name, time_limit=time_limit))
    problem = target.check(path.read_bytes())
    if problem is None:
        print(f"{target_name}: no problem with {path}")
        return 0
    print(f"{target_name}: {problem.kind}: {problem.message}")
    for party, verdict in problem.verdicts.items():
        print(f"  {party}: {verdict}")
    if expected is not None and problem.signature != expected:
        print(f"  (a different signature from the saved one: {problem.signature} vs {expected})")
    return 1


def splice_check(target_name: str, signature: str, component: Path, section: int, module: Path) -> int:
    """``wasm-tools shrink``'s predicate: exit 0 if ``module`` spliced into ``component`` as its
    top-level section ``section`` still shows ``signature``."""
    from wacpy import decode, encode
    from wacpy.binary.ast import Component, CoreModule, CoreModuleSection

    from .targets import load_target

    parts = list(decode(component.read_bytes()).sections)
    parts[section] = CoreModuleSection(CoreModule(module.read_bytes()))
    data = encode(Component(tuple(parts)))
    problem = load_target(target_name)(Options(target=target_name)).check(data)
    return 0 if problem is not None and problem.signature == signature else 1
