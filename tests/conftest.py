"""Shared fixtures: small components built at test time from WIT (no committed binaries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wacpy.tools import run_wasm_tools

SMALL_WIT = """
package test:small@1.0.0;
interface api {
  record point { x: u32, y: s64, label: string }
  variant shape { circle(f64), square(point), none }
  enum color { red, green }
  flags perms { read, write }
  resource thing { constructor(n: u32); get: func() -> list<u8>; }
  call: func(p: point, s: shape, c: color, f: perms, o: option<string>) -> result<u32, string>;
  take: func(t: borrow<thing>) -> own<thing>;
}
world small {
  import api;
  export api;
  import log: func(msg: string);
  export run: func() -> tuple<u8, char>;
}
"""


def component_from_wit(tmp: Path, wit: str, world: str) -> bytes:
    """A real component (dummy core module) made from WIT with wasm-tools."""
    wit_path = tmp / "world.wit"
    wit_path.write_text(wit)
    core = run_wasm_tools("component", "embed", str(wit_path), "--world", world, "--dummy")
    return run_wasm_tools("component", "new", "-", stdin=core)


@pytest.fixture(scope="session")
def small_component(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return component_from_wit(tmp_path_factory.mktemp("small"), SMALL_WIT, "small")


@pytest.fixture(scope="session")
def c_component_bytes() -> bytes:
    """The freestanding C component of the test corpus."""
    from testkit.corpus.build import c_component

    return c_component()
