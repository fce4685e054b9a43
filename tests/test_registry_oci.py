"""``wacpy pkg`` and OCI specs against a real registry on loopback (``tests/oci_registry.py``).

Components are the C example (``examples/c-tools``) and the transport tests' C tool, built here
in under a second, plus a 3 MB one for chunked uploads. Every command runs through
``wacpy.cli.main`` with the config and cache in a temporary home; a composed server is served by
``wasmtime serve`` on a free loopback port and asked to call tools.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.components import build_tool, require_components
from testkit.serving import call_tool, free_port, rpc, serving
from tests.oci_registry import RegistryServer, RegistryUnavailableError, registry_program
from tests.test_mcp_compose import instance_names
from wacpy.authoring import build_project
from wacpy.binary.ast.sections import CustomSection
from wacpy.binary.writer.components import section_chunks
from wacpy.cli import main
from wacpy.registry import _atomic, read_lock, recorded_inputs
from wacpy.tools import run_wasm_tools

ROOT = Path(__file__).resolve().parent.parent
USERS = {"alice": "s3cret"}


def tagged(component: bytes, tag: str, size: int = 0) -> bytes:
    """``component`` with a custom section making its bytes (and digest) its own."""
    payload = tag.encode() + os.urandom(size)
    return component + b"".join(bytes(c) for c in section_chunks(CustomSection("wacpy-test", payload)))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        registry_program()
    except RegistryUnavailableError as why:
        pytest.skip(f"no OCI registry to test against: {why}")
    return tmp_path_factory.mktemp("registry")


@pytest.fixture(scope="module")
def registry(work: Path) -> Iterator[RegistryServer]:
    with RegistryServer(work / "open") as server:
        yield server


@pytest.fixture(scope="module")
def auth_registry(work: Path) -> Iterator[RegistryServer]:
    with RegistryServer(work / "auth", users=USERS) as server:
        yield server


@pytest.fixture(scope="module")
def components(work: Path) -> dict[str, Path]:
    """The C example, the C test tool, and a 3 MB component (the example with a big custom section)."""
    copy = work / "c-tools"
    shutil.copytree(ROOT / "examples" / "c-tools", copy)
    example = build_project(copy).output
    (work / "tool").mkdir()
    tool = work / "mcp-tool.wasm"
    tool.write_bytes(build_tool(work / "tool"))
    big = work / "big.wasm"
    big.write_bytes(tagged(example.read_bytes(), "big", 3_000_000))
    return {"c-tools": example, "mcp-tool": tool, "big": big}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, cache and docker config under ``tmp_path``; the current folder is ``tmp_path/work``."""
    for name in ("config", "cache", "docker", "work"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.docker/config.json of the machine's
    monkeypatch.delenv("WACPY_REGISTRY_USERNAME", raising=False)
    monkeypatch.delenv("WACPY_REGISTRY_PASSWORD", raising=False)
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def wacpy(home: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the CLI in this process: ``wacpy("pkg", "pull", ...) -> (exit code, stdout, stderr)``."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, err
    return out


def partial_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.name.endswith(".part")]


# --------------------------------------------------------------------------------------------------
# Push and pull


@pytest.mark.parametrize("name", ["c-tools", "mcp-tool", "big"])
def test_what_is_pushed_pulls_back_byte_exact(
    wacpy: Run, registry: RegistryServer, components: dict[str, Path], name: str
) -> None:
    reference = f"{registry.address}/acme/{name}:1.0.0"
    pushed = ok(wacpy("pkg", "push", str(components[name]), reference))
    assert pushed.startswith(f"pushed {reference}@sha256:")
    code, out, err = wacpy("pkg", "pull", reference, "-o", "pulled.wasm")
    assert (code, err) == (0, "")  # no progress bar when stderr is not a terminal
    assert Path("pulled.wasm").read_bytes() == components[name].read_bytes()
    assert out.startswith(
        f"wrote pulled.wasm ({components[name].stat().st_size} bytes) from {reference}@sha256:"
    )


def _get(url: str, accept: str | None = None) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), response.headers.get("Content-Type", "")


def test_pushes_are_wasm_artifacts_another_client_reads(
    wacpy: Run, registry: RegistryServer, components: dict[str, Path]
) -> None:
    """Read back with plain HTTP (urllib), not our client: the CNCF Wasm OCI artifact layout."""
    data = components["c-tools"].read_bytes()
    out = ok(wacpy("pkg", "push", str(components["c-tools"]), f"{registry.address}/layout/c-tools:0.1.0"))
    digest = out.split("@")[1].split()[0]
    base = f"http://{registry.address}/v2/layout/c-tools"
    manifest_bytes, content_type = _get(
        f"{base}/manifests/0.1.0", "application/vnd.oci.image.manifest.v1+json"
    )
    assert content_type == "application/vnd.oci.image.manifest.v1+json"
    assert "sha256:" + hashlib.sha256(manifest_bytes).hexdigest() == digest
    manifest = json.loads(manifest_bytes)
    assert manifest["schemaVersion"] == 2
    assert manifest["config"]["mediaType"] == "application/vnd.wasm.config.v0+json"
    [layer] = manifest["layers"]
    assert layer == {
        "mediaType": "application/wasm",
        "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    assert _get(f"{base}/blobs/{layer['digest']}")[0] == data
    config_bytes = _get(f"{base}/blobs/{manifest['config']['digest']}")[0]
    assert "sha256:" + hashlib.sha256(config_bytes).hexdigest() == manifest["config"]["digest"]
    config = json.loads(config_bytes)
    assert (config["architecture"], config["os"], config["layerDigests"]) == (
        "wasm",
        "wasip2",
        [layer["digest"]],
    )
    assert config["component"]["exports"] == ["wacpy:mcp/tools@0.1.0"]
    assert "wacpy:mcp/types@0.1.0" in config["component"]["imports"]


def test_a_registry_with_htpasswd_takes_credentials_from_env_or_docker_config(
    wacpy: Run,
    auth_registry: RegistryServer,
    components: dict[str, Path],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = f"{auth_registry.address}/acme/c-tools:1.0.0"
    code, _, err = wacpy("pkg", "push", str(components["c-tools"]), reference)
    assert code == 2
    assert err == (
        f"wacpy: error: registry {auth_registry.address} refused to accept a push to {reference}: HTTP 401; "
        f"log in with `docker login {auth_registry.address}` or set WACPY_REGISTRY_USERNAME and WACPY_REGISTRY_PASSWORD\n"
    )
    monkeypatch.setenv("WACPY_REGISTRY_USERNAME", "alice")
    monkeypatch.setenv("WACPY_REGISTRY_PASSWORD", "wrong")
    code, _, err = wacpy("pkg", "push", str(components["c-tools"]), reference)
    assert code == 2 and err.endswith("HTTP 401; the credentials given were refused\n")
    monkeypatch.setenv("WACPY_REGISTRY_PASSWORD", USERS["alice"])
    ok(wacpy("pkg", "push", str(components["c-tools"]), reference))
    monkeypatch.delenv("WACPY_REGISTRY_USERNAME")
    monkeypatch.delenv("WACPY_REGISTRY_PASSWORD")
    secret = base64.b64encode(f"alice:{USERS['alice']}".encode()).decode()
    (home / "docker" / "config.json").write_text(
        json.dumps({"auths": {auth_registry.address: {"auth": secret}}})
    )
    ok(wacpy("pkg", "pull", reference, "-o", "pulled.wasm"))
    assert Path("pulled.wasm").read_bytes() == components["c-tools"].read_bytes()


# --------------------------------------------------------------------------------------------------
# Composing from registry specs


@pytest.fixture(scope="module")
def cache_config(work: Path) -> Path:
    config = work / "wasmtime-cache.toml"
    config.write_text(f"[cache]\ndirectory = {json.dumps(str(work / 'wasmtime-cache'))}\n")
    return config


def test_a_profile_with_a_base_of_aliases_and_packages_composes_a_server_that_serves(
    wacpy: Run, registry: RegistryServer, components: dict[str, Path], home: Path, cache_config: Path
) -> None:
    require_components("transport", "context-provider", "method-not-found", "tools-middleware")
    ok(wacpy("registry", "namespace", "add", "acme", f"{registry.address}/served"))  # repositories of its own
    ok(wacpy("pkg", "push", str(components["c-tools"]), "acme:c-tools@1.0.0"))
    ok(wacpy("pkg", "push", str(components["mcp-tool"]), "acme:mcp-tool@0.1.0"))
    ok(wacpy("pkg", "push", str(components["mcp-tool"]), "acme:mcp-tool@0.0.9"))
    ok(wacpy("registry", "component", "add", "words", "acme:c-tools@1.0.0"))
    ok(wacpy("registry", "component", "add", "counting", "words"))  # an alias of an alias
    ok(wacpy("registry", "profile", "add", "base", "counting"))
    ok(wacpy("registry", "profile", "add", "dev", "acme:mcp-tool", "-o", "dev.wasm", "-b", "base"))
    out = ok(wacpy("compose", "server", "dev"))
    server = home / "config" / "wacpy" / "composed" / "dev.wasm"
    lock = home / "config" / "wacpy" / "wacpy.lock"
    assert out.startswith(f"wrote {server} (")
    assert f"pinned the registry components in {lock}\n" in out
    data = server.read_bytes()
    run_wasm_tools("validate", "-", stdin=data)
    assert {"counting", "counting-tools-middleware", "mcp-tool", "mcp-tool-tools-middleware"} <= set(
        instance_names(data)
    )  # the component-name section names the parts by their labels
    inputs = recorded_inputs(data)
    assert inputs is not None
    assert [(i["spec"], i["label"]) for i in inputs] == [
        ("counting", "counting"),
        ("acme:mcp-tool", "mcp-tool"),
    ]
    assert inputs[0]["origin"].startswith(f"{registry.address}/served/c-tools:1.0.0@sha256:")
    assert inputs[1]["sha256"] == hashlib.sha256(components["mcp-tool"].read_bytes()).hexdigest()
    shown = ok(wacpy("pkg", "inputs", str(server))).splitlines()
    assert shown[0].startswith(f"counting: counting -> {registry.address}/served/c-tools:1.0.0@sha256:")
    assert shown[1].startswith("mcp-tool: acme:mcp-tool -> ")
    pins = read_lock(lock)
    assert set(pins) == {"acme:c-tools@1.0.0", "acme:mcp-tool"}
    highest = f"{registry.address}/served/mcp-tool:0.1.0"
    assert pins["acme:mcp-tool"].reference == highest
    ok(
        wacpy("compose", "server", "dev", "--offline", "--locked", "-o", "offline.wasm")
    )  # the pin names the tag
    assert Path("offline.wasm").read_bytes() == data
    with serving(server, cache_config, home / "serve.log") as url:
        names = [t["name"] for t in rpc(url, "tools/list")["result"]["tools"]]
        assert names == ["echo", "word-count", "media", "notify", "fail"]  # the first `echo` wins
        counted = call_tool(url, "word-count", {"text": "one two three"})["result"]
        assert counted["structuredContent"] == {"words": 3, "lines": 1, "characters": 13}
        assert call_tool(url, "fail")["error"]["code"] == -32050  # answered by the second component


def test_plug_handler_and_override_take_specs(
    wacpy: Run, registry: RegistryServer, components: dict[str, Path], home: Path
) -> None:
    graphs = ROOT / "tests" / "graphs" / "simple"
    Path("producer.wasm").write_bytes(run_wasm_tools("parse", str(graphs / "producer.wat")))
    ok(wacpy("registry", "namespace", "add", "acme", f"{registry.address}/specs"))
    ok(wacpy("pkg", "push", "producer.wasm", "acme:producer@1.0.0"))
    ok(wacpy("pkg", "push", str(components["c-tools"]), "acme:c-tools@1.0.0"))
    ok(wacpy("registry", "component", "add", "consumer", str(graphs / "consumer.wat")))
    ok(wacpy("plug", "consumer", "acme:producer@1.0.0", "-o", "plugged.wasm"))
    assert "wacpy.lock" in {p.name for p in Path.cwd().iterdir()}  # no profile, no graph: here
    plugged = recorded_inputs(Path("plugged.wasm").read_bytes())
    assert plugged is not None and [i["spec"] for i in plugged] == ["consumer", "acme:producer@1.0.0"]
    middleware = ROOT / "wacpy" / "mcp" / "components" / "tools-middleware.wasm"
    ok(wacpy("registry", "component", "add", "mw", str(middleware)))
    ok(
        wacpy(
            "compose",
            "handler",
            "acme:c-tools@1.0.0",
            "--override",
            "tools-middleware=mw",
            "-o",
            "handler.wasm",
        )
    )
    handler = recorded_inputs(Path("handler.wasm").read_bytes())
    assert handler is not None and [i["spec"] for i in handler] == ["acme:c-tools@1.0.0", "mw"]
    assert handler[1]["origin"] == str(middleware)


def test_the_python_example_round_trips_in_chunks(wacpy: Run, registry: RegistryServer, work: Path) -> None:
    """The 18 MB componentize-py example (cached by the authoring tests): a chunked push."""
    from tests.test_authoring import EXAMPLES, built

    data = built(EXAMPLES / "python-tools", work)
    Path("python-tools.wasm").write_bytes(data)
    reference = f"{registry.address}/acme/python-tools:0.1.0"
    ok(wacpy("pkg", "push", "python-tools.wasm", reference))
    ok(wacpy("pkg", "pull", reference, "-o", "pulled.wasm"))
    assert Path("pulled.wasm").read_bytes() == data


def _graph(folder: Path) -> Path:
    graph = folder / "graph.toml"
    graph.write_text(
        '[components]\ntools = "acme:c-tools@1.0.0"\n\n'
        '[[instance]]\nname = "tools"\ncomponent = "tools"\n\n'
        '[[export]]\nname = "wacpy:mcp/tools@0.1.0"\ninstance = "tools"\nexport = "wacpy:mcp/tools@0.1.0"\n'
    )
    return graph


def test_locked_refuses_drift_and_offline_composes_from_the_cache(
    wacpy: Run, work: Path, components: dict[str, Path], home: Path
) -> None:
    graph = _graph(home / "work")
    lock = graph.parent / "wacpy.lock"
    with RegistryServer(home / "registry") as registry:
        ok(wacpy("registry", "namespace", "add", "acme", f"{registry.address}/acme"))
        first = (
            ok(wacpy("pkg", "push", str(components["c-tools"]), "acme:c-tools@1.0.0"))
            .split("@")[1]
            .split()[0]
        )
        assert f"pinned the registry components in {lock}" in ok(
            wacpy("compose", "graph", str(graph), "-o", "a.wasm")
        )
        assert read_lock(lock)["acme:c-tools@1.0.0"].digest == first
        moved = tagged(components["c-tools"].read_bytes(), "moved")
        Path("moved.wasm").write_bytes(moved)
        second = ok(wacpy("pkg", "push", "moved.wasm", "acme:c-tools@1.0.0")).split("@")[1].split()[0]
        code, _, err = wacpy("compose", "graph", str(graph), "-o", "b.wasm", "--locked")
        assert code == 2
        assert err == (
            f"wacpy: error: components.tools: --locked: `acme:c-tools@1.0.0` moved: the registry has {second}, "
            f"{lock} pins {first}\n"
        )
        assert not Path("b.wasm").exists()
        code, _, err = wacpy(
            "compose", "server", "acme:c-tools@1.0.0", "-o", "c.wasm", "--locked", "--lock", "other.lock"
        )
        assert (code, err) == (
            2,
            "wacpy: error: --locked: `acme:c-tools@1.0.0` is not pinned in other.lock; compose without --locked to pin it\n",
        )
        ok(wacpy("compose", "graph", str(graph), "-o", "b.wasm"))  # without --locked: the pin moves
        assert read_lock(lock)["acme:c-tools@1.0.0"].digest == second
    # The registry is gone: the cache still has everything the lock pins.
    ok(wacpy("compose", "graph", str(graph), "-o", "offline.wasm", "--offline", "--locked"))
    inputs = recorded_inputs(Path("offline.wasm").read_bytes())
    assert inputs is not None and inputs[0]["sha256"] == hashlib.sha256(moved).hexdigest()
    code, _, err = wacpy("compose", "graph", str(graph), "-o", "online.wasm")
    assert code == 2 and err.startswith(
        f"wacpy: error: components.tools: cannot reach registry {registry.address}: "
    )


# --------------------------------------------------------------------------------------------------
# The fault matrix: each a one-line error, exit 2, no output file, no partial file, config intact


def _fault_registry_down(env: FaultSetup) -> list[str]:
    env.namespace(f"127.0.0.1:{free_port()}/acme")
    return ["pkg", "pull", "acme:c-tools@1.0.0", "-o", "out.wasm"]


def _fault_unauthorized(env: FaultSetup) -> list[str]:
    env.namespace(f"{env.auth_registry.address}/acme")
    return ["pkg", "pull", "acme:c-tools@1.0.0", "-o", "out.wasm"]


def _fault_unknown_tag(env: FaultSetup) -> list[str]:
    env.namespace(f"{env.registry.address}/acme")
    env.push("c-tools", "acme:c-tools@1.0.0")
    return ["pkg", "pull", "acme:c-tools@9.9.9", "-o", "out.wasm"]


def _fault_layer_digest_mismatch(env: FaultSetup) -> list[str]:
    env.namespace(f"{env.registry.address}/acme")
    blob = env.registry.blob_file(env.push("mismatch", "acme:mismatch@1.0.0"))
    damaged = bytearray(blob.read_bytes())
    damaged[100] ^= 0xFF
    blob.write_bytes(bytes(damaged))
    return ["pkg", "pull", "acme:mismatch@1.0.0", "-o", "out.wasm"]


def _fault_truncated_layer(env: FaultSetup) -> list[str]:
    env.namespace(f"{env.registry.address}/acme")
    blob = env.registry.blob_file(env.push("truncated", "acme:truncated@1.0.0"))
    blob.write_bytes(blob.read_bytes()[:1000])
    return ["compose", "server", "acme:truncated@1.0.0", "-o", "out.wasm"]


def _fault_disk_full(env: FaultSetup) -> list[str]:
    env.namespace(f"{env.registry.address}/acme")
    env.push("full", "acme:full@1.0.0")

    def full(out: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    env.monkeypatch.setattr(_atomic, "write_all", full)
    env.monkeypatch.setattr("wacpy.registry.cache.write_all", full)
    return ["pkg", "pull", "acme:full@1.0.0", "-o", "out.wasm"]


def _fault_corrupt_config(env: FaultSetup) -> list[str]:
    env.config.write_text('[namespaces]\nacme = "127.0.0.1:1/acme"\n[components\ncalc = "x"\n')
    return ["compose", "server", "calc", "-o", "out.wasm"]


def _fault_alias_cycle(env: FaultSetup) -> list[str]:
    env.config.write_text('[components]\na = "b"\nb = "c"\nc = "a"\n')
    return ["compose", "server", "a", "-o", "out.wasm"]


def _fault_profile_base_cycle(env: FaultSetup) -> list[str]:
    env.config.write_text(
        '[profiles.dev]\nbase = "prod"\ncomponents = []\n\n[profiles.prod]\nbase = "dev"\ncomponents = []\n'
    )
    return ["compose", "server", "dev"]


FAULTS: dict[str, tuple[Callable[[FaultSetup], list[str]], str]] = {
    "registry down": (_fault_registry_down, r"cannot reach registry 127\.0\.0\.1:\d+: Connection refused"),
    "401": (
        _fault_unauthorized,
        r"refused to give the manifest of .*: HTTP 401 \(authentication required\); log in with",
    ),
    "404 unknown tag": (
        _fault_unknown_tag,
        r"no such package: 127\.0\.0\.1:\d+/acme/c-tools:9\.9\.9 \(manifest unknown\)",
    ),
    "layer digest mismatch": (
        _fault_layer_digest_mismatch,
        r"layer sha256:\w+ of .*: content has digest sha256:\w+, not sha256:",
    ),
    "truncated layer": (_fault_truncated_layer, r"layer sha256:\w+ of .*: truncated: got 1000 of \d+ bytes"),
    "disk full in the cache": (_fault_disk_full, r"cannot write the cache in .*: No space left on device"),
    "corrupt config": (_fault_corrupt_config, r"config\.toml:3: not valid TOML: "),
    "alias cycle": (_fault_alias_cycle, r"alias cycle: a -> b -> c -> a"),
    "profile base cycle": (_fault_profile_base_cycle, r"profile base cycle: dev -> prod -> dev"),
}


class FaultSetup:
    def __init__(
        self,
        wacpy: Run,
        home: Path,
        registry: RegistryServer,
        auth_registry: RegistryServer,
        components: dict[str, Path],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        self.wacpy = wacpy
        self.home = home
        self.registry = registry
        self.auth_registry = auth_registry
        self.components = components
        self.monkeypatch = monkeypatch
        self.config = home / "config" / "wacpy" / "config.toml"
        self.config.parent.mkdir(parents=True, exist_ok=True)

    def namespace(self, registry: str) -> None:
        ok(self.wacpy("registry", "namespace", "add", "acme", registry))

    def push(self, name: str, spec: str) -> str:
        """Push a component of its own (bytes no other test shares); returns its layer digest."""
        data = tagged(self.components["c-tools"].read_bytes(), name + os.urandom(8).hex())
        path = self.home / f"{name}.wasm"
        path.write_bytes(data)
        ok(self.wacpy("pkg", "push", str(path), spec))
        return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_one_line_exit_2_no_partial_file_config_intact(
    fault: str,
    wacpy: Run,
    home: Path,
    registry: RegistryServer,
    auth_registry: RegistryServer,
    components: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = FaultSetup(wacpy, home, registry, auth_registry, components, monkeypatch)
    make, expected = FAULTS[fault]
    argv = make(setup)
    config_before = setup.config.read_bytes() if setup.config.exists() else None
    code, out, err = wacpy(*argv)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("wacpy: error: "), err
    assert re.search(expected, err), err
    assert not (home / "work" / "out.wasm").exists()
    assert partial_files(home) == []
    config_after = setup.config.read_bytes() if setup.config.exists() else None
    assert config_after == config_before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs (needs root and the mount capability; skips otherwise), unmounted afterwards."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_really_full_cache_disk_is_one_line_and_leaves_nothing(
    wacpy: Run,
    registry: RegistryServer,
    components: dict[str, Path],
    home: Path,
    tiny_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok(wacpy("registry", "namespace", "add", "acme", f"{registry.address}/acme"))
    Path("big.wasm").write_bytes(tagged(components["c-tools"].read_bytes(), "tiny-disk", 200_000))
    ok(wacpy("pkg", "push", "big.wasm", "acme:too-big@1.0.0"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tiny_disk))
    code, _, err = wacpy("pkg", "pull", "acme:too-big@1.0.0", "-o", "out.wasm")
    assert code == 2
    assert err == f"wacpy: error: cannot write the cache in {tiny_disk / 'wacpy'}: No space left on device\n"
    assert not Path("out.wasm").exists()
    left = [p for p in tiny_disk.rglob("*") if p.is_file()]
    assert all(p.stat().st_size < 4096 for p in left), left  # the manifest and tag, never part of the layer
