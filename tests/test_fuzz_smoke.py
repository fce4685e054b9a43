"""The fuzzing harness (``python -m fuzz``): a few seconds of every target, and its parts.

The four smoke campaigns run at once as subprocesses (module fixture), each for 3 s with its
own corpus and results folders under a temporary directory.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz.campaign import default_corpus
from fuzz.cli import main as fuzz_main
from fuzz.findings import FindingStore, Problem
from fuzz.minimize import ddmin, ddmin_bytes
from fuzz.target import Options
from fuzz.targets import TARGETS, load_target
from fuzz.targets.compose import run_program
from fuzz.targets.differential import module_ranges, mutate
from testkit.linkkit import link_component

REPO = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^(\w+): (\d+) execs in ([\d.]+) s \(([\d.]+) exec/s\), (\d+) findings$", re.MULTILINE)


@pytest.fixture(scope="module")
def smoke_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Path]]:
    """``python -m fuzz TARGET --time 3`` for every target, all at once: name -> (status, stdout, results)."""
    root = tmp_path_factory.mktemp("fuzz")
    running = {}
    for name in TARGETS:
        results = root / "results"
        argv = [
            sys.executable, "-m", "fuzz", name, "--time", "3", "--seed", "7", "--minimize-time", "2",
            "--corpus", str(root / "corpus" / name), "--results", str(results),
        ]  # fmt: skip
        running[name] = (
            subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
            results,
        )
    done = {}
    for name, (process, results) in running.items():
        out, err = process.communicate(timeout=120)
        done[name] = (process.returncode, out.decode() + err.decode(), results / name)
    return done


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_target_runs_and_prints_its_summary(
    smoke_runs: dict[str, tuple[int, str, Path]], target: str
) -> None:
    status, output, results = smoke_runs[target]
    assert status == 0, output
    match = SUMMARY.search(output)
    assert match is not None, output
    assert match.group(1) == target
    assert int(match.group(2)) > 0, f"no executions:\n{output}"
    (campaign,) = results.iterdir()
    record = json.loads((campaign / "campaign.json").read_text())
    assert record["summary"] == match.group(0)
    for finding in record["findings"]:
        assert "python" in finding["reproduce"] and "-m fuzz reproduce" in finding["reproduce"]


def test_the_decode_target_seeds_its_corpus_once(smoke_runs: dict[str, tuple[int, str, Path]]) -> None:
    corpus = smoke_runs["decode"][2].parent.parent / "corpus" / "decode"
    assert len(list(corpus.iterdir())) >= 30  # the corpus' WAT, wit-smith and C components, plus new inputs


def test_default_folders() -> None:
    assert default_corpus("decode") == Path("fuzz-corpus/decode")


def test_ddmin_finds_the_one_interesting_item() -> None:
    items = list(range(100))
    assert ddmin(items, lambda xs: 42 in xs and 7 in xs, time.monotonic() + 10) == [7, 42]
    data = bytes(range(50)) + b"BUG" + bytes(range(50))
    assert ddmin_bytes(data, lambda d: b"BUG" in d, time.monotonic() + 10) == b"BUG"


def test_mutations_mostly_avoid_core_modules(c_component_bytes: bytes) -> None:
    ranges = module_ranges(c_component_bytes)
    assert ranges and all(c_component_bytes[r.start : r.start + 4] == b"\0asm" for r in ranges)
    rng = random.Random(3)
    mutants = {mutate(c_component_bytes, rng, ranges, [])[0] for _ in range(50)}
    assert c_component_bytes not in mutants or len(mutants) > 1


def test_a_planted_crash_is_saved_deduplicated_and_reproduced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import fuzz.targets.codec as codec

    def broken(data: bytes) -> object:
        raise ValueError("planted")

    monkeypatch.setattr(codec, "decode", broken)
    target = load_target("decode")(Options("decode"))
    problem = target.check(b"\0asm\x0d\0\x01\0")
    assert problem is not None and problem.kind == "decode-crash" and "ValueError" in problem.signature
    store = FindingStore(tmp_path, "decode", ".wasm")
    first = store.report(problem, b"\0asm\x0d\0\x01\0", {"generator": "test"})
    assert first is not None
    assert store.report(problem, b"other", {}) is None  # same signature: a duplicate
    assert fuzz_main(["reproduce", str(first.input_path)]) == 1
    assert "planted" in capsys.readouterr().out
    monkeypatch.undo()
    assert fuzz_main(["reproduce", str(first.input_path)]) == 0


def test_the_compose_model_predicts_rejections() -> None:
    link = "test:chain/link@1.0.0"
    program = {
        "kind": "link",
        "components": [
            {"name": "a", "link": {"name": "a", "imports": [link], "export": link, "result_type": "string"}},
        ],
        "ops": [
            {"id": 0, "op": "instantiate", "package": 0},
            {"id": 1, "op": "alias", "node": 0, "export": link},
            {"id": 2, "op": "arg", "instance": 0, "name": link, "node": 1},  # a cycle: rejected
            {"id": 3, "op": "export", "node": 1, "name": "Bad_Name", "valid": False},
            {"id": 4, "op": "export", "node": 1, "name": "out", "valid": True},
        ],
        "allow_imports": True,
        "arg": "x",
    }
    link_component("a", (link,), link)
    outcome = run_program(program, 5.0)
    assert outcome.problem is None, outcome.problem
    assert outcome.checked == 1  # `out` answered a(H[test:chain/link@1.0.0]<x>) under wasmtime
    assert any("CycleError" in line for line in outcome.log)
    assert any("InvalidNameError" in line for line in outcome.log)


def _plug(name: str, imports: list[str], export: str, result_type: str = "string") -> dict[str, object]:
    link = {"name": name, "imports": imports, "export": export, "result_type": result_type}
    return {"name": name, "link": link}


def test_plug_programs_check_compose_against_the_nearest_plug_model() -> None:
    a, b = "test:plug/a@1.0.0", "test:plug/b@1.0.1"
    chain = [_plug("root", [a], "test:plug/out@1.0.0"), _plug("p0", [a], a), _plug("p1", [], a)]
    outcome = run_program({"kind": "plug", "components": chain, "ops": [], "arg": "x"}, 5.0)
    assert outcome.problem is None, outcome.problem
    assert outcome.checked == 1  # answered root(p0(p1<x>)) under wasmtime: p0 is served by p1
    mistyped = [_plug("root", [b], "test:plug/out@1.0.0"), _plug("p0", [], "test:plug/b@1.0.0", "u32")]
    outcome = run_program({"kind": "plug", "components": mistyped, "ops": [], "arg": "x"}, 5.0)
    assert outcome.problem is None and outcome.data is None  # ArgumentTypeMismatchError, predicted
    assert any("ArgumentTypeMismatchError" in line for line in outcome.log)


def test_a_problem_signature_names_its_kind() -> None:
    problem = Problem("slow", "took long", "slow:decode")
    assert problem.signature.startswith(problem.kind)


def test_sections_split_and_reduce_as_whole_sections() -> None:
    from fuzz.minimize import ddmin_sections, split_sections

    pre = bytes.fromhex("0061736d0d000100")
    sections = [bytes([7, 2, 1, 0x73]), bytes([0, 3, 2, ord("h"), ord("i")]), bytes([11, 1, 0])]
    data = pre + b"".join(sections) + b"\xff"
    assert split_sections(data) == [pre, *sections, b"\xff"]
    smaller = ddmin_sections(data, lambda d: b"hi" in d, time.monotonic() + 10)
    assert smaller == b"hi"  # whole sections first, then bytes
