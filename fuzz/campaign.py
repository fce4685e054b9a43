"""Run a campaign: seed the corpus, fuzz in worker processes, collect and minimize the findings."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, FindingStore, Problem, write_atomic
from .target import Options, Target, WorkerContext

__all__ = ["CampaignResult", "default_corpus", "minimize_saved", "run_campaign", "worker_main"]

#: Seconds a worker may take to start (import, instrument, load its corpus) ...
_STARTUP = 120.0
#: ... and to overrun its time before it is stopped.
_GRACE = 15.0
_FINDINGS_DIR = "findings"


def default_corpus(target: str) -> Path:
    return Path("fuzz-corpus") / target


@dataclass
class CampaignResult:
    """What a campaign did: its totals, its findings and the folder holding them."""

    target: str
    folder: Path
    execs: int
    seconds: float
    findings: list[Finding]
    counters: Counter[str] = field(default_factory=Counter)
    worker_restarts: int = 0

    @property
    def rate(self) -> float:
        return self.execs / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        """``target: N execs in T s (X exec/s), K findings``."""
        return (
            f"{self.target}: {self.execs} execs in {self.seconds:.1f} s ({self.rate:.1f} exec/s), "
            f"{len(self.findings)} findings"
        )


def _instrument_for_coverage() -> None:
    """Import wacpy under atheris' instrumentation (before anything else imports it)."""
    if "wacpy" in sys.modules:
        raise RuntimeError("wacpy was imported before instrumentation: coverage would be lost")
    import atheris

    with atheris.instrument_imports(include=["wacpy"]):
        import wacpy
        import wacpy.binary.modules
        import wacpy.inspection

        del wacpy


def worker_main(options: Options, worker: int, seconds: float, folder: Path) -> None:
    """A worker process: run the target for ``seconds`` once it is ready (its start-up does not
    count), counting into ``worker-<i>.json``."""
    log = os.open(folder / f"worker-{worker}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    from .targets import COVERAGE_GUIDED, load_target

    if options.target in COVERAGE_GUIDED:
        _instrument_for_coverage()

    cls = load_target(options.target)
    target = cls(options)
    assert options.corpus is not None
    target.prepare(options.corpus)
    ctx = WorkerContext(
        options=options,
        worker=worker,
        deadline=time.monotonic() + seconds,
        store=FindingStore(folder / _FINDINGS_DIR, options.target, cls.suffix),
        stats_path=folder / f"worker-{worker}.json",
        rng=random.Random(f"{options.seed}/{worker}"),
    )
    try:
        target.run(ctx)
    finally:
        ctx.flush()
        sys.stdout.flush()
        sys.stderr.flush()


def _timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _collect_artifacts(folder: Path, store: FindingStore) -> None:
    """libFuzzer's own crash/oom/timeout artifacts (a worker died) become findings too."""
    artifacts = folder / "artifacts"
    if not artifacts.is_dir():
        return
    for path in sorted(artifacts.iterdir()):
        kind = path.name.split("-", 2)[1] if path.name.count("-") >= 2 else "artifact"
        worker = path.name.split("-", 1)[0]
        logs = sorted(folder.glob(f"{worker.replace('worker', 'worker-')}.log"))
        tail = logs[0].read_text(errors="replace")[-2000:] if logs else ""
        problem = Problem(
            kind=f"libfuzzer-{kind}",
            message=f"libFuzzer stopped a worker ({kind}); log tail:\n{tail}",
            signature=f"libfuzzer-{kind}",
            verdicts={"libFuzzer": kind},
        )
        store.report(problem, path.read_bytes(), {"generator": "libFuzzer artifact", "file": str(path)})


def _minimize_all(
    target: Target, findings: list[Finding], seconds: float, log: Any, *, again: bool = False
) -> None:
    for finding in findings:
        if (finding.minimized_name is not None and not again) or seconds <= 0:
            continue
        data = finding.input_path.read_bytes()
        problem = target.check(data)
        if problem is None or problem.signature != finding.signature:
            finding.extra["minimize"] = "not reproduced in the main process: kept as found"
            finding.save()
            continue
        started = time.monotonic()
        try:
            smaller, method = target.minimize(data, problem, time.monotonic() + seconds)
        except Exception as err:  # a reducer bug must not lose the finding
            finding.extra["minimize"] = f"minimizer failed: {type(err).__name__}: {err}"
            finding.save()
            continue
        if len(smaller) < len(data):
            name = f"minimized{target.suffix}"
            write_atomic(finding.folder / name, smaller)
            finding.minimized_name = name
            finding.minimized_by = method
            finding.extra["minimized_size"] = f"{len(data)} -> {len(smaller)} bytes"
            from .findings import reproduce_command

            finding.extra["reproduce_minimized"] = reproduce_command(finding.folder / name)
        else:
            finding.extra["minimize"] = f"{method}: no smaller input found"
        finding.extra["minimize_seconds"] = round(time.monotonic() - started, 1)
        finding.save()
        print(
            f"  minimized {finding.folder.name}: {finding.extra.get('minimized_size', 'no change')}", file=log
        )


def run_campaign(options: Options, log: Any = sys.stderr) -> CampaignResult:
    """Fuzz ``options.target`` for ``options.time`` seconds with ``options.workers`` processes."""
    from .targets import load_target

    cls = load_target(options.target)
    if options.corpus is None:
        options.corpus = default_corpus(options.target)
    options.corpus = options.corpus.resolve()
    results_root = options.results if options.results is not None else Path("fuzz-results")
    folder = (results_root / options.target / _timestamp()).resolve()
    while folder.exists():
        folder = folder.with_name(folder.name + "+")
    folder.mkdir(parents=True)
    options.results = results_root
    cls.seed_corpus(options.corpus)
    write_atomic(folder / "options.json", json.dumps(options.to_json(), indent=2).encode())

    started = time.time()
    # Workers count their time from when they are ready; allow for their start-up on top.
    deadline = started + options.time
    context = multiprocessing.get_context("spawn")
    workers = {
        i: context.Process(target=worker_main, args=(options, i, options.time, folder))
        for i in range(options.workers)
    }
    for process in workers.values():
        process.start()
    restarts = 0
    while True:
        alive = [p for p in workers.values() if p.is_alive()]
        now = time.time()
        if not alive or now > deadline + _STARTUP + _GRACE:
            break
        for i, process in list(workers.items()):
            if not process.is_alive() and process.exitcode not in (0, None) and deadline - now > 5:
                print(f"fuzz: worker {i} died (exit {process.exitcode}); restarting", file=log)
                restarts += 1
                replacement = context.Process(
                    target=worker_main, args=(options, i + 100 * restarts, deadline - now, folder)
                )
                replacement.start()
                workers[i] = replacement
        time.sleep(0.2)
    for process in workers.values():
        if process.is_alive():
            process.terminate()
        process.join(5)

    store = FindingStore(folder / _FINDINGS_DIR, options.target, cls.suffix)
    _collect_artifacts(folder, store)
    execs = 0
    seconds = 0.0
    counters: Counter[str] = Counter()
    for stats in folder.glob("worker-*.json"):
        record = json.loads(stats.read_text())
        execs += int(record["execs"])
        seconds = max(seconds, float(record["elapsed"]))
        counters.update(record.get("counters", {}))
    findings = store.findings()
    if findings and options.minimize_time > 0:
        print(
            f"fuzz: minimizing {len(findings)} finding(s), up to {options.minimize_time:.0f} s each", file=log
        )
        _minimize_all(cls(options), findings, options.minimize_time, log)
        findings = store.findings()
    result = CampaignResult(options.target, folder, execs, seconds, findings, counters, restarts)
    record = {
        "summary": result.summary(),
        "execs": execs,
        "seconds": seconds,
        "exec_per_second": result.rate,
        "worker_restarts": restarts,
        "counters": dict(counters),
        "findings": [
            {"folder": str(f.folder), "kind": f.kind, "signature": f.signature, "reproduce": f.reproduce}
            for f in findings
        ],
    }
    write_atomic(folder / "campaign.json", json.dumps(record, indent=2).encode())
    return result


def minimize_saved(path: Path, seconds: float, log: Any = sys.stderr) -> Finding:
    """Minimize a saved finding (its folder, or a file in it) again, for ``seconds`` at most,
    starting from its smallest input so far."""
    from .findings import load_finding
    from .targets import load_target

    folder = path if path.is_dir() else path.parent
    finding = load_finding(folder)
    options_file = folder.parent.parent / "options.json"
    time_limit = float(json.loads(options_file.read_text())["time_limit"]) if options_file.is_file() else 1.0
    options = Options(target=finding.target, time_limit=time_limit)
    target = load_target(finding.target)(options)
    if finding.minimized_name is not None:  # continue from the best input so far
        finding.input_name, original = finding.minimized_name, finding.input_name
        _minimize_all(target, [finding], seconds, log, again=True)
        finding.input_name = original
        finding.save()
    else:
        _minimize_all(target, [finding], seconds, log)
    return load_finding(folder)
