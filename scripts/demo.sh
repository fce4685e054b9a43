#!/usr/bin/env bash
# Set everything up, then run the main job: build the example component and inspect it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .cache/demo
.venv/bin/wasm-tools component embed examples/hello/hello.wit --world hello --dummy -o .cache/demo/core.wasm
.venv/bin/wasm-tools component new .cache/demo/core.wasm -o .cache/demo/hello.wasm
.venv/bin/wacpy inspect .cache/demo/hello.wasm
