"""Components from public test suites, gathered from local git checkouts at test time, never committed.

``WACPY_PUBLIC_SUITES`` lists git directories (``:``-separated; a work tree's ``.git`` or a bare
repository) of any of bytecodealliance/wasm-tools, WebAssembly/component-model and
bytecodealliance/wac. From each, whatever it holds of these is gathered:

* ``*.wast`` under ``tests/cli/component-model`` (wasm-tools) and ``test/`` (component-model),
  split by ``wasm-tools json-from-wast`` into modules: ``module`` commands that ``wasm-tools
  validate --features all`` accepts are *valid*, ``assert_invalid`` ones it rejects are *invalid*,
  binary ``assert_malformed`` ones are *malformed* (only component binaries are kept);
* every component ``*.wat`` under ``crates/wit-component/tests``, ``crates/wasm-compose/tests``
  (wasm-tools) and ``crates/`` (wac) that validates: wit-component's expected outputs, WIT
  packages encoded as components, composition inputs;
* every WIT package under ``crates/wit-parser/tests/ui``, encoded with ``wasm-tools component
  wit --wasm --all-features``.

The result is cached under ``.cache/corpus/public/<key>/`` (keyed by the commits and the
wasm-tools version). ``python -m testkit.corpus.public`` gathers and prints the counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from testkit.corpus.build import CACHE_DIR, _wasm_tools_version, _write_atomic, wasm_tools_path

PREAMBLE = b"\x00asm\x0d\x00\x01\x00"
KINDS = ("valid", "invalid", "malformed")
#: The paths each suite is read from (a path missing from a checkout is simply not there).
_WAST_TREES = ("tests/cli/component-model", "test")
_WAT_TREES = (
    "crates/wit-component/tests",
    "crates/wasm-compose/tests",
    "crates/wac-graph/tests",
    "crates/wac-parser/tests",
)
_WIT_TREE = "crates/wit-parser/tests/ui"
_COMMAND_KINDS = {
    "module": "valid",
    "module_definition": "valid",
    "assert_invalid": "invalid",
    "assert_malformed": "malformed",
}


@dataclass
class PublicCorpus:
    """The gathered components by kind: ``{"valid": {name: bytes}, ...}`` (names say where from)."""

    components: dict[str, dict[str, bytes]]

    def __len__(self) -> int:
        return sum(len(c) for c in self.components.values())


def suites() -> list[Path]:
    """The git directories ``WACPY_PUBLIC_SUITES`` names (those that exist)."""
    listed = os.environ.get("WACPY_PUBLIC_SUITES", "")
    return [Path(p) for p in listed.split(":") if p and Path(p).is_dir()]


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True).stdout


def _tool(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(wasm_tools_path()), *args], input=stdin, capture_output=True, check=False)


def _export_tree(git_dir: Path, into: Path) -> None:
    """Write the suite paths of ``git_dir``'s HEAD into ``into`` (paths it lacks are skipped)."""
    listed = _git(git_dir, "ls-tree", "--name-only", "HEAD", "--", "tests", "test", "crates").decode().split()
    paths = [p for p in (*_WAST_TREES, *_WAT_TREES, _WIT_TREE) if p.split("/")[0] in listed]
    present = [p for p in paths if _git(git_dir, "ls-tree", "HEAD", "--", p)]
    if not present:
        return
    with tempfile.TemporaryFile() as archive:
        archive.write(_git(git_dir, "archive", "--format=tar", "HEAD", "--", *present))
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(into, filter="data")


def _valid(data: bytes) -> bool:
    return _tool("validate", "--features", "all", "-", stdin=data).returncode == 0


def _from_wast(wast: Path, label: str, work: Path) -> Iterator[tuple[str, str, bytes]]:
    out = work / hashlib.sha256(label.encode()).hexdigest()[:16]
    out.mkdir()
    if _tool("json-from-wast", str(wast), "--wasm-dir", str(out), "-o", str(out / "x.json")).returncode:
        return  # a file this wasm-tools cannot parse (it moved on, or not yet)
    for command in json.loads((out / "x.json").read_text())["commands"]:
        filename = command.get("filename", "")
        if not filename.endswith(".wasm"):
            continue
        data = (out / filename).read_bytes()
        kind = _COMMAND_KINDS.get(command["type"])
        if kind is None or (kind != "malformed" and not data.startswith(PREAMBLE)):
            continue  # core modules; but a malformed binary of any preamble must fail to decode
        if kind == "malformed" or _valid(data) == (kind == "valid"):
            yield kind, f"{label}:{command['line']}", data


def _gather_tree(root: Path, label: str) -> list[tuple[str, str, bytes]]:
    found: list[tuple[str, str, bytes]] = []
    with tempfile.TemporaryDirectory() as work:
        wasts = [p for tree in _WAST_TREES for p in sorted((root / tree).rglob("*.wast"))]
        wats = [p for tree in _WAT_TREES for p in sorted((root / tree).rglob("*.wat"))]
        wits = sorted(p for p in (root / _WIT_TREE).glob("*") if p.suffix in ("", ".wit"))

        def one_wast(p: Path) -> list[tuple[str, str, bytes]]:
            return list(_from_wast(p, f"{label}/{p.relative_to(root)}", Path(work)))

        def one_wat(p: Path) -> list[tuple[str, str, bytes]]:
            made = _tool("parse", str(p))
            ok = made.returncode == 0 and made.stdout.startswith(PREAMBLE) and _valid(made.stdout)
            return [("valid", f"{label}/{p.relative_to(root)}", made.stdout)] if ok else []

        def one_wit(p: Path) -> list[tuple[str, str, bytes]]:
            made = _tool("component", "wit", "--wasm", "--all-features", str(p))
            ok = made.returncode == 0 and _valid(made.stdout)
            return [("valid", f"{label}/{p.relative_to(root)}", made.stdout)] if ok else []

        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            jobs = [*map(lambda p: pool.submit(one_wast, p), wasts)]
            jobs += [pool.submit(one_wat, p) for p in wats] + [pool.submit(one_wit, p) for p in wits]
            for job in jobs:
                found += job.result()
    return found


def public_corpus() -> PublicCorpus | None:
    """The gathered public corpus, or None when ``WACPY_PUBLIC_SUITES`` names no checkout."""
    dirs = suites()
    if not dirs:
        return None
    heads = [f"{d.resolve()}@{_git(d, 'rev-parse', 'HEAD').decode().strip()}" for d in dirs]
    key = hashlib.sha256("\n".join([_wasm_tools_version(), *heads]).encode()).hexdigest()[:24]
    cache = CACHE_DIR / "public" / key
    manifest = cache / "manifest.json"
    if not manifest.exists():
        entries: list[dict[str, str]] = []
        for index, git_dir in enumerate(dirs):
            label = git_dir.resolve().parent.name if git_dir.name in (".git", "repo") else git_dir.name
            with tempfile.TemporaryDirectory() as tree:
                _export_tree(git_dir, Path(tree))
                for kind, name, data in _gather_tree(Path(tree), label):
                    file = f"{kind}/{index}-{len(entries)}.wasm"
                    _write_atomic(cache / file, data)
                    entries.append({"kind": kind, "name": name, "file": file})
        _write_atomic(manifest, json.dumps(entries, indent=1).encode())
    components: dict[str, dict[str, bytes]] = {kind: {} for kind in KINDS}
    for entry in json.loads(manifest.read_text()):
        components[entry["kind"]][entry["name"]] = (cache / entry["file"]).read_bytes()
    return PublicCorpus(components)


def main() -> None:
    corpus = public_corpus()
    if corpus is None:
        raise SystemExit("set WACPY_PUBLIC_SUITES to git directories of wasm-tools, component-model, wac")
    for kind, items in corpus.components.items():
        print(f"{kind:9s} {len(items):5d} ({len(set(items.values()))} distinct)")
        sources: dict[str, int] = {}
        for name in items:
            source = "/".join(name.split("/")[:3]) if ".wast" in name else "/".join(name.split("/")[:4])
            sources[source] = sources.get(source, 0) + 1
        for source, count in sorted(sources.items()):
            print(f"    {count:5d} {source}")


if __name__ == "__main__":
    main()
