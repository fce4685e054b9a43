"""The registry layer without a registry: specs, the config file, the lock file, the cache,
provenance and the progress bar (``tests/test_registry_oci.py`` runs a real registry)."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wacpy.cli import main
from wacpy.errors import (
    AliasCycleError,
    CacheError,
    ConfigError,
    DigestMismatchError,
    ProfileCycleError,
    SpecError,
)
from wacpy.registry import (
    ContentCache,
    Pin,
    Resolver,
    _atomic,
    add_component,
    add_profile,
    load_config,
    parse_spec,
    progress,
    read_lock,
    recorded_inputs,
    remove_component,
    remove_profile,
)
from wacpy.registry.cache import sha256_digest
from wacpy.registry.lock import update_lock
from wacpy.registry.provenance import record_inputs
from wacpy.registry.resolve import ResolvedComponent, highest_version
from wacpy.registry.spec import NameSpec, PackageSpec, PathSpec, Reference, ReferenceSpec
from wacpy.tools import run_wasm_tools

DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and cache under ``tmp_path``; the current folder is ``tmp_path / "work"``."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


@pytest.fixture
def config_file(home: Path) -> Path:
    return home / "config" / "wacpy" / "config.toml"


def write_config(path: Path, text: str) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path.read_bytes()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------------
# Specs

SPECS: list[tuple[str, object]] = [
    ("./calc.wasm", PathSpec("./calc.wasm")),
    ("/abs/calc.wasm", PathSpec("/abs/calc.wasm")),
    ("calc.wasm", PathSpec("calc.wasm")),
    ("calc.wat", PathSpec("calc.wat")),
    ("build/calc", PathSpec("build/calc")),
    ("~/calc.wasm", PathSpec("~/calc.wasm")),
    ("some.dir/calc", PathSpec("some.dir/calc")),  # no tag: a path, never a reference
    ("calc", NameSpec("calc")),
    ("my_calc-2", NameSpec("my_calc-2")),
    ("acme:calc", PackageSpec("acme", "calc")),
    ("acme:calc@1.2.0", PackageSpec("acme", "calc", "1.2.0")),
    ("wasmcp:string-tools@1.0.0-rc.1", PackageSpec("wasmcp", "string-tools", "1.0.0-rc.1")),
    ("127.0.0.1:5000/acme/calc:1.0", ReferenceSpec(Reference("127.0.0.1:5000", "acme/calc", "1.0"))),
    ("localhost/calc:v2", ReferenceSpec(Reference("localhost", "calc", "v2"))),
    ("ghcr.io/a/b@" + DIGEST, ReferenceSpec(Reference("ghcr.io", "a/b", None, DIGEST))),
    ("ghcr.io/a/b:1@" + DIGEST, ReferenceSpec(Reference("ghcr.io", "a/b", "1", DIGEST))),
    ("[::1]:5000/calc:1", ReferenceSpec(Reference("[::1]:5000", "calc", "1"))),
]


@pytest.mark.parametrize(("text", "expected"), SPECS, ids=[s for s, _ in SPECS])
def test_specs_are_classified(text: str, expected: object) -> None:
    assert parse_spec(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty component spec"),
        ("Acme:Calc", "is not a package spec"),
        ("acme:calc@1.0+build", "cannot be an OCI tag"),
        ("acme::calc", "is not a package spec"),
        ("calc!", "is not a path, an alias, a profile or an OCI reference"),
    ],
)
def test_bad_specs_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_spec(text)


@pytest.mark.parametrize(
    ("registry", "loopback"),
    [
        ("127.0.0.1:5000", True),
        ("localhost", True),
        ("[::1]:80", True),
        ("127.8.9.1", True),
        ("ghcr.io", False),
        ("10.0.0.1:5000", False),
    ],
)
def test_only_loopback_registries_get_plain_http(registry: str, loopback: bool) -> None:
    assert Reference(registry, "x", "1").is_loopback is loopback


def test_highest_version_prefers_releases_and_compares_numbers() -> None:
    assert highest_version(["0.9.0", "0.10.0", "0.10.1-rc.1"]) == "0.10.0"
    assert highest_version(["1.0.0-rc.1", "1.0.0-rc.2"]) == "1.0.0-rc.2"
    assert highest_version(["latest", "main"]) == "latest"
    assert highest_version(["main"]) is None


# --------------------------------------------------------------------------------------------------
# The config file


def test_aliases_and_profiles_are_saved_keeping_the_users_comments(config_file: Path, home: Path) -> None:
    write_config(
        config_file, '# my registry\n[components]\nstrings = "acme:strings@1.0.0"  # from the team\n'
    )
    (home / "work" / "calc.wasm").write_bytes(b"\0asm")
    add_component("calc", "./calc.wasm")
    add_component("prod-calc", "calc")
    add_profile("dev", ["calc", "strings"], output="dev.wasm")
    config = add_profile("prod", ["acme:monitor@2.0.0"], output="prod.wasm", base="dev")
    text = config_file.read_text()
    assert text.startswith("# my registry\n")
    assert '"acme:strings@1.0.0"  # from the team' in text
    assert config.components["calc"] == str(home / "work" / "calc.wasm")  # paths are stored absolute
    assert config.profile_components("prod") == ["calc", "strings", "acme:monitor@2.0.0"]
    assert config.profile_output("prod") == "prod.wasm"
    assert load_config() == config


def test_an_alias_must_lead_somewhere(config_file: Path) -> None:
    with pytest.raises(SpecError, match="`nothing` is not a file, an OCI spec or a known alias"):
        add_component("a", "nothing")
    with pytest.raises(SpecError, match="no such file"):
        add_component("a", "./missing.wasm")
    assert not config_file.exists()


def test_an_alias_cycle_is_refused_with_the_cycle_and_the_file_is_kept(config_file: Path) -> None:
    add_component("a", "acme:a@1.0.0")
    add_component("b", "a")
    add_component("c", "b")
    before = config_file.read_bytes()
    with pytest.raises(AliasCycleError, match="alias cycle: a -> c -> b -> a"):
        add_component("a", "c")
    assert config_file.read_bytes() == before


def test_a_hand_written_alias_cycle_is_reported_when_used(config_file: Path) -> None:
    write_config(config_file, '[components]\nx = "y"\ny = "z"\nz = "x"\n')
    with pytest.raises(AliasCycleError) as caught:
        Resolver().resolve("y")
    assert caught.value.cycle == ["y", "z", "x", "y"]


def test_a_profile_base_cycle_is_refused(config_file: Path) -> None:
    add_profile("one", ["acme:a@1.0.0"])
    add_profile("two", ["acme:b@1.0.0"], base="one")
    before = config_file.read_bytes()
    with pytest.raises(ProfileCycleError, match="profile base cycle: one -> two -> one"):
        add_profile("one", ["acme:a@1.0.0"], base="two")
    assert config_file.read_bytes() == before


def test_removing_what_others_use_needs_force(config_file: Path) -> None:
    add_component("a", "acme:a@1.0.0")
    add_profile("base", ["a"])
    add_profile("dev", ["acme:b@1.0.0"], base="base")
    with pytest.raises(
        SpecError, match=r"profile `base` is used by profile `dev` \(its base\); pass --force"
    ):
        remove_profile("base")
    with pytest.raises(SpecError, match="alias `a` is used by profile `base`"):
        remove_component("a")
    assert set(remove_profile("base", force=True).profiles) == {"dev"}
    with pytest.raises(SpecError, match="no profile named `base`"):
        load_config().profile_components("dev")


def test_aliases_and_profiles_share_one_namespace(config_file: Path) -> None:
    add_component("x", "acme:x@1.0.0")
    with pytest.raises(SpecError, match="already an alias"):
        add_profile("x", ["acme:y@1.0.0"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[components]\ncalc = \n", r"config\.toml:2: not valid TOML: invalid value"),
        ('[components]\nok = "a.wasm"\ncalc = 3\n', r"config\.toml:3: components\.calc: expected a string"),
        (
            '[profiles.dev]\ncomponents = "calc"\n',
            r"config\.toml:2: profiles\.dev\.components: expected a list of strings",
        ),
        (
            '[profiles.dev]\ncomponents = []\nouput = "x"\n',
            r"config\.toml:3: profiles\.dev\.ouput: unknown key",
        ),
        ("[aliases]\n", r"config\.toml:1: aliases: unknown table"),
        ('[components]\n"bad name" = "a.wasm"\n', r"config\.toml:2: components\.bad name: alias name"),
    ],
)
def test_a_corrupt_config_names_file_and_line_and_is_never_overwritten(
    config_file: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    before = write_config(config_file, text)
    code, _, err = cli(capsys, "registry", "component", "add", "x", "acme:x@1.0.0")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("wacpy: error: ")
    assert str(config_file) in err
    assert re.search(message, err), err
    assert config_file.read_bytes() == before


def test_concurrent_writers_lose_nothing(home: Path, config_file: Path) -> None:
    writers = 8
    env = {**os.environ, "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}
    argv = [sys.executable, "-m", "wacpy", "registry", "component", "add"]
    running = [
        subprocess.Popen(
            [*argv, f"alias-{i}", f"acme:c{i}@1.0.0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(writers)
    ]
    for process in running:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert load_config().components == {f"alias-{i}": f"acme:c{i}@1.0.0" for i in range(writers)}
    assert [p.name for p in config_file.parent.iterdir() if p.name.endswith(".part")] == []


def test_registry_commands_print_what_they_did(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "registry", "namespace", "add", "acme", "127.0.0.1:5000/acme")[1] == (
        "acme:NAME@VERSION -> 127.0.0.1:5000/acme/NAME:VERSION\n"
    )
    assert (
        cli(capsys, "registry", "component", "add", "calc", "acme:calc@1.0.0")[1]
        == "calc = acme:calc@1.0.0\n"
    )
    assert cli(capsys, "registry", "profile", "add", "dev", "calc", "-o", "dev.wasm")[1] == "dev: calc\n"
    assert cli(capsys, "registry", "component", "list")[1] == "calc = acme:calc@1.0.0\n"
    code, out, _ = cli(capsys, "registry", "info", "-p")
    assert code == 0
    assert out.splitlines()[1:] == [
        "profiles:",
        f"  dev -> {config_file.parent / 'composed' / 'dev.wasm'}",
        "    calc",
    ]
    assert "  acme = 127.0.0.1:5000/acme" in cli(capsys, "registry", "info")[1]
    code, _, err = cli(capsys, "registry", "component", "remove", "calc")
    assert (code, err) == (
        2,
        "wacpy: error: alias `calc` is used by profile `dev`; pass --force to remove it anyway\n",
    )


def test_a_spec_that_names_nothing_says_so(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "compose", "server", "nothing", "-o", "out.wasm")
    assert code == 2
    assert err == (
        "wacpy: error: `nothing` is not a file, an alias or a profile (aliases: none; "
        "add one with `wacpy registry component add NAME SPEC`)\n"
    )
    code, _, err = cli(capsys, "compose", "server", "zz:calc@1.0.0", "-o", "out.wasm")
    assert err.startswith("wacpy: error: `zz:calc@1.0.0`: no registry for namespace `zz`")
    assert not (home / "work" / "out.wasm").exists()


# --------------------------------------------------------------------------------------------------
# The lock file


def test_the_lock_file_merges_pins_and_writes_only_changes(tmp_path: Path) -> None:
    lock = tmp_path / "wacpy.lock"
    one = Pin("acme:a@1.0.0", "r/acme/a:1.0.0", DIGEST, DIGEST)
    two = Pin("acme:b@1.0.0", "r/acme/b:1.0.0", DIGEST, DIGEST)
    assert update_lock(lock, {one.spec: one})
    assert not update_lock(lock, {one.spec: one})
    assert update_lock(lock, {two.spec: two})
    assert read_lock(lock) == {one.spec: one, two.spec: two}
    lock.write_text(lock.read_text().replace('layer = "', "layer = 3 #", 1))
    with pytest.raises(ConfigError, match=r"wacpy\.lock"):
        read_lock(lock)


# --------------------------------------------------------------------------------------------------
# The cache and atomic writes


def test_cached_content_is_verified_when_read(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    data = b"component bytes"
    digest = sha256_digest(data)
    cache.put(digest, data)
    assert cache.get(digest) == data
    cache.blob_path(digest).write_bytes(b"damaged")
    assert cache.get(digest) is None
    assert not cache.blob_path(digest).exists()
    with pytest.raises(DigestMismatchError):
        cache.put(digest, b"other")


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        ([b"compo", b"nent"], "truncated: got 9 of 15 bytes"),
        ([b"component bytes", b"!"], "more than the 15 bytes"),
    ],
)
def test_a_bad_download_leaves_nothing_in_the_cache(
    tmp_path: Path, chunks: list[bytes], message: str
) -> None:
    cache = ContentCache(tmp_path)
    digest = sha256_digest(b"component bytes")
    with pytest.raises(DigestMismatchError, match=message), cache.receive(digest, 15, "layer") as sink:
        for chunk in chunks:
            sink.write(chunk)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_full_disk_is_a_cache_error_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(out: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_atomic, "write_all", full)
    monkeypatch.setattr("wacpy.registry.cache.write_all", full)
    cache = ContentCache(tmp_path)
    digest = sha256_digest(b"x")
    with pytest.raises(CacheError, match=r"cannot write the cache in .*: No space left on device"):
        cache.put(digest, b"x")
    with (
        pytest.raises(CacheError, match="No space left on device"),
        cache.receive(digest, 1, "layer") as sink,
    ):
        sink.write(b"x")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"old")

    def half(out: Any, data: bytes) -> None:
        out.write(data[:1])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_atomic, "write_all", half)
    with pytest.raises(OSError):
        _atomic.atomic_write(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


# --------------------------------------------------------------------------------------------------
# Provenance and progress


def test_the_composed_component_records_its_inputs(small_component: bytes) -> None:
    inputs = [
        ResolvedComponent("calc", "calc", b"", "127.0.0.1:5000/acme/calc:1.0.0@" + DIGEST, DIGEST),
        ResolvedComponent("./x.wasm", "x", b"", "/work/x.wasm", DIGEST),
    ]
    recorded = record_inputs(small_component, inputs)
    run_wasm_tools("validate", "-", stdin=recorded)
    metadata = json.loads(run_wasm_tools("metadata", "show", "--json", "-", stdin=recorded))
    assert metadata["component"]["metadata"]["producers"] == [["processed-by", {"wacpy": "0.1.0"}]]
    assert recorded_inputs(recorded) == [
        {"spec": "calc", "label": "calc", "origin": inputs[0].origin, "sha256": "ab" * 32},
        {"spec": "./x.wasm", "label": "x", "origin": "/work/x.wasm", "sha256": "ab" * 32},
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_for_big_transfers_to_a_terminal() -> None:
    quiet = io.StringIO()
    with progress.transfer("pull big", 5_000_000, quiet) as advance:
        advance(5_000_000)
    assert quiet.getvalue() == ""
    terminal = _Terminal()
    with progress.transfer("pull small", 1000, terminal) as advance:
        advance(1000)
    assert terminal.getvalue() == ""
    with progress.transfer("pull big", 5_000_000, terminal) as advance:
        advance(5_000_000)
    assert "pull big" in terminal.getvalue()


def test_plain_http_is_used_only_for_loopback_registries() -> None:
    from wacpy.registry.oci import OciClient

    client = OciClient()
    remote = client._registry(Reference("ghcr.io", "org/calc", "1.0.0"))
    local = client._registry(Reference("127.0.0.1:5000", "acme/calc", "1.0.0"))
    assert (remote.prefix, remote._tls_verify) == ("https", True)
    assert local.prefix == "http"


def test_a_composition_of_files_never_reads_the_lock_file(
    home: Path, capsys: pytest.CaptureFixture[str], small_component: bytes
) -> None:
    (home / "work" / "wacpy.lock").write_text("not [valid\n")
    (home / "work" / "a.wasm").write_bytes(small_component)
    (home / "work" / "graph.toml").write_text(
        '[components]\na = "a.wasm"\n[[instance]]\nname = "a"\ncomponent = "a"\n'
        "[options]\nallow-no-exports = true\n"
    )
    code, out, err = cli(capsys, "compose", "graph", "graph.toml", "-o", "out.wasm")
    assert (code, err) == (0, "")
    assert out.startswith("wrote out.wasm")
    assert recorded_inputs((home / "work" / "out.wasm").read_bytes()) == [
        {
            "spec": "a.wasm",
            "label": "a",
            "origin": str(home / "work" / "a.wasm"),
            "sha256": sha256_digest(small_component)[7:],
        }
    ]
