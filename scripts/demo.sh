#!/usr/bin/env bash
# Set everything up, then the main job: build the example tool components (Python and C), compose
# them into one MCP server, and serve it with stock wasmtime (streamable HTTP at /mcp, loopback).
# DEMO_ONESHOT=1 stops after the first check instead of serving until Ctrl-C; PORT picks the port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .cache/demo
.venv/bin/wacpy build examples/python-tools
.venv/bin/wacpy build examples/c-tools
.venv/bin/wacpy compose server examples/python-tools/python-tools.wasm examples/c-tools/c-tools.wasm \
    -o .cache/demo/server.wasm
port=${PORT:-8080}
printf '[cache]\ndirectory = "%s"\n' "$PWD/.cache/demo/wasmtime" > .cache/demo/cache.toml
# The command compose printed (WASI switches, pooling limits, a 30 s timeout, instance reuse), with
# wasmtime's compilation cache kept in .cache/.
.venv/bin/wacpy serve .cache/demo/server.wasm --addr "127.0.0.1:$port" -- -C cache-config=.cache/demo/cache.toml &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
.venv/bin/python - "$port" <<'PY'
import json, sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/mcp"
headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}

def rpc(method, params=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=5) as reply:
        text = reply.read().decode()
    return json.loads(text.split("data: ")[-1] if text.startswith("event:") else text)

for _ in range(600):  # the first start compiles the server (a few seconds)
    try:
        info = rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                  "clientInfo": {"name": "demo", "version": "0"}})
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the server did not answer")
print(f"serving {info['result']['serverInfo']['name']} at {url}")
for tool in rpc("tools/list")["result"]["tools"]:
    print(f"  tool {tool['name']}: {tool.get('description', '')}")
PY
if [ "${DEMO_ONESHOT:-0}" = "1" ]; then
    exit 0
fi
echo "Ctrl-C to stop"
wait $server
