"""The command line: ``python -m fuzz TARGET [options]`` and ``python -m fuzz reproduce FILE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .campaign import minimize_saved, run_campaign
from .reproduce import reproduce, splice_check
from .target import Options
from .targets import TARGETS

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description="Fuzz wacpy (see fuzz/README.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in TARGETS:
        sub = commands.add_parser(name, help=f"run a {name} campaign")
        sub.add_argument("--time", type=float, default=60.0, help="seconds of fuzzing (default 60)")
        sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        sub.add_argument("--corpus", type=Path, help="corpus folder (default fuzz-corpus/TARGET)")
        sub.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
        sub.add_argument("--results", type=Path, help="results root (default fuzz-results)")
        sub.add_argument(
            "--time-limit", type=float, default=1.0, help="seconds one input may take in wacpy (default 1)"
        )
        sub.add_argument(
            "--minimize-time", type=float, default=120.0, help="seconds to minimize each finding (0: don't)"
        )
        sub.add_argument("--max-len", type=int, default=65536, help="largest generated input (decode)")
    repro = commands.add_parser("reproduce", help="re-run one saved input through its target")
    repro.add_argument("file", type=Path)
    repro.add_argument(
        "--target", choices=sorted(TARGETS), help="needed when FILE has no finding.json beside it"
    )
    repro.add_argument("--time-limit", type=float, help="default: the campaign's, else 1 s")
    smaller = commands.add_parser("minimize", help="minimize a saved finding (again)")
    smaller.add_argument("path", type=Path, help="a finding's folder or a file in it")
    smaller.add_argument("--time", type=float, default=300.0, help="seconds at most (default 300)")
    splice = commands.add_parser("_splice-check", help=argparse.SUPPRESS)
    splice.add_argument("--target", required=True)
    splice.add_argument("--signature", required=True)
    splice.add_argument("--component", type=Path, required=True)
    splice.add_argument("--section", type=int, required=True)
    splice.add_argument("module", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "reproduce":
        return reproduce(args.file, args.target, args.time_limit)
    if args.command == "minimize":
        finding = minimize_saved(args.path, args.time)
        print(
            f"{finding.folder.name}: {finding.extra.get('minimized_size') or finding.extra.get('minimize')}"
        )
        print(f"  by: {finding.minimized_by}")
        print(f"  reproduce: {finding.extra.get('reproduce_minimized', finding.reproduce)}")
        return 0
    if args.command == "_splice-check":
        return splice_check(args.target, args.signature, args.component, args.section, args.module)
    options = Options(
        target=args.command,
        time=args.time,
        seed=args.seed,
        corpus=args.corpus,
        workers=max(1, args.workers),
        results=args.results,
        time_limit=args.time_limit,
        minimize_time=args.minimize_time,
        max_len=args.max_len,
    )
    result = run_campaign(options)
    for finding in result.findings:
        first = finding.message.splitlines()[0] if finding.message else ""
        print(f"  {finding.folder.name}: {first[:160]}")
        print(f"    reproduce: {finding.extra.get('reproduce_minimized', finding.reproduce)}")
    if result.counters:
        tallies = ", ".join(f"{k}={v}" for k, v in sorted(result.counters.items()))
        print(f"  tallies: {tallies}")
    print(f"  results: {result.folder}")
    print(result.summary())
    sys.stdout.flush()
    return 0
