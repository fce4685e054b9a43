"""A smoke run of ``benches/bench_mcp.py``'s composed-server paths with tiny durations: the
stateful rows beside their store-less baselines, the store overhead, and the elicitation round
trips (the SDK server's rows need a throwaway virtual environment from PyPI, so they are left out)."""

from __future__ import annotations

import argparse
import math
import shutil
from pathlib import Path

import pytest

from benches import bench_mcp
from testkit.components import require_components

TINY = argparse.Namespace(seconds=1, connections=2, rounds=2, round_trips=3)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("wrk") is None:
        pytest.skip("bench_mcp needs wrk")
    require_components("transport", "context-provider", "session-store-filesystem", "session-store-none")
    return tmp_path_factory.mktemp("bench-mcp")


def test_stateful_rows_keep_sessions_and_give_the_store_overhead(work: Path) -> None:
    rows, overheads = bench_mcp.wacpy_stateful_rows(work, TINY)
    names = [name for name, _ in rows]
    assert names == [
        f"wacpy, {mode}, {store}"
        for mode in bench_mcp.MODES
        for store in (bench_mcp.NO_STORE, bench_mcp.FILESYSTEM_STORE)
    ]
    for name, row in rows:
        assert row["rps"] > 0 and row["errors"] == 0, name
        if name.endswith(bench_mcp.FILESYSTEM_STORE):
            assert row["rpc_errors"] == 0, name  # counted by the session script, which saw every session
        else:
            assert math.isnan(row["rpc_errors"])
    assert list(overheads) == list(bench_mcp.MODES)
    assert all(len(rounds) == TINY.rounds and all(r > -1 for r in rounds) for rounds in overheads.values())


def test_elicitation_round_trips_are_timed_in_each_mode(work: Path) -> None:
    rows = bench_mcp.wacpy_elicitation_rows(work, TINY)
    assert [name for name, _ in rows] == [f"wacpy, {mode}" for mode in bench_mcp.MODES]
    for _, row in rows:
        assert row["n"] == TINY.round_trips
        assert 0 < row["p50_ms"] <= row["p99_ms"]


def test_medians_of_rounds_sum_the_error_counts() -> None:
    runs = [{"rps": 1.0, "errors": 1.0}, {"rps": 5.0, "errors": 0.0}, {"rps": 2.0, "errors": 2.0}]
    assert bench_mcp.medians(runs) == {"rps": 2.0, "errors": 3.0}


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert bench_mcp.percentile(values, 50) == 50 and bench_mcp.percentile(values, 99) == 99
    assert bench_mcp.percentile([3.0], 99) == 3.0
