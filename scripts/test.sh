#!/usr/bin/env bash
# Set everything up, then run the linters, the type checker and the default test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check wacpy wacpy_sdk testkit tests benches fuzz
.venv/bin/ruff format --check wacpy wacpy_sdk testkit tests benches fuzz
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
