"""What a target reports (:class:`Problem`) and how findings are saved, deduplicated and loaded."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "FINDING_FILE",
    "Finding",
    "FindingStore",
    "Problem",
    "crash_problem",
    "load_finding",
    "reproduce_command",
    "write_atomic",
]

FINDING_FILE = "finding.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input.

    ``signature`` identifies the bug for deduplication and must stay the same while the input is
    minimized (a kind plus the exception type and innermost frame, say); ``verdicts`` records
    what each party said about the input (``{"wacpy": ..., "wasm-tools validate": ...}``).
    """

    kind: str
    message: str
    signature: str
    verdicts: dict[str, str] = field(default_factory=dict)


def crash_problem(kind: str, err: BaseException, verdicts: dict[str, str] | None = None) -> Problem:
    """A :class:`Problem` for an unexpected exception, signed by its type and innermost wacpy frame."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if f"{os.sep}wacpy{os.sep}" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].name}:{ours[-1].lineno}" if ours else "?"
    text = "".join(traceback.format_exception(err, limit=-12)).strip()
    return Problem(
        kind=kind,
        message=f"{type(err).__name__}: {err} (at {where})\n{text}",
        signature=f"{kind}:{type(err).__name__}:{where}",
        verdicts=verdicts or {},
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees all of it or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def reproduce_command(path: Path) -> str:
    """The one line that re-runs a saved input through its target."""
    return f"{shlex.quote(sys.executable)} -m fuzz reproduce {shlex.quote(str(path))}"


@dataclass
class Finding:
    """A saved finding: the folder holding its input, ``finding.json`` and maybe a minimized input."""

    folder: Path
    target: str
    kind: str
    signature: str
    message: str
    verdicts: dict[str, str]
    provenance: dict[str, Any]
    input_name: str
    found_at: float = 0.0
    minimized_name: str | None = None
    minimized_by: str | None = None
    reproduce: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def input_path(self) -> Path:
        return self.folder / self.input_name

    @property
    def best_path(self) -> Path:
        """The minimized input if there is one, else the original."""
        return self.folder / (self.minimized_name or self.input_name)

    def save(self) -> None:
        record = asdict(self)
        record["folder"] = str(self.folder)
        write_atomic(
            self.folder / FINDING_FILE, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()
        )


def load_finding(folder: Path) -> Finding:
    """The finding saved in ``folder``."""
    record = json.loads((folder / FINDING_FILE).read_text())
    record["folder"] = folder
    return Finding(**record)


class FindingStore:
    """The findings of one campaign: one folder per distinct signature under ``root``."""

    def __init__(self, root: Path, target: str, suffix: str) -> None:
        self.root = root
        self.target = target
        self.suffix = suffix

    def folder_for(self, problem: Problem) -> Path:
        digest = hashlib.sha1(problem.signature.encode()).hexdigest()[:10]
        return self.root / f"{problem.kind}-{digest}"

    def report(self, problem: Problem, data: bytes, provenance: dict[str, Any]) -> Finding | None:
        """Save a new finding; ``None`` when its signature was already saved (by any worker)."""
        folder = self.folder_for(problem)
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            return None
        # A target may save a JSON recipe instead of a binary (roundtrip's seeded AST generators).
        input_name = "input.json" if data[:1] == b"{" else f"input{self.suffix}"
        write_atomic(folder / input_name, data)
        finding = Finding(
            folder=folder,
            target=self.target,
            kind=problem.kind,
            signature=problem.signature,
            message=problem.message,
            verdicts=problem.verdicts,
            provenance=provenance,
            input_name=input_name,
            found_at=time.time(),
            reproduce=reproduce_command(folder / input_name),
        )
        finding.save()
        return finding

    def findings(self) -> list[Finding]:
        """Every finding saved so far, oldest first."""
        if not self.root.is_dir():
            return []
        found = [load_finding(p) for p in self.root.iterdir() if (p / FINDING_FILE).is_file()]
        return sorted(found, key=lambda f: f.found_at)
