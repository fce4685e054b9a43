"""Benchmark inputs made at run time: a component with thousands of small type, import and export items."""

from __future__ import annotations

import tempfile
from pathlib import Path

from wacpy.tools import run_wasm_tools


def many_items_wit(interfaces: int, funcs_per_interface: int) -> str:
    """WIT for a world that imports and exports ``interfaces`` interfaces full of small types."""
    parts = ["package bench:many@1.0.0;"]
    for i in range(interfaces):
        funcs = "\n".join(
            f"  f{j}: func(a: rec{i}, b: list<u32>, c: option<string>) -> result<shape{i}, string>;"
            for j in range(funcs_per_interface)
        )
        parts.append(
            f"interface iface{i} {{\n  record rec{i} {{ x: u32, y: string, z: list<u8> }}\n"
            f"  variant shape{i} {{ a(u32), b(string), c }}\n  enum color{i} {{ red, green, blue }}\n"
            f"  flags perms{i} {{ read, write }}\n{funcs}\n}}"
        )
    world = ["world many {"]
    world += [f"  import iface{i};" for i in range(interfaces // 2)]
    world += [f"  export iface{i};" for i in range(interfaces // 2, interfaces)]
    world.append("}")
    return "\n".join(parts + world)


def many_items_component(interfaces: int = 200, funcs_per_interface: int = 10) -> bytes:
    """A component with thousands of type, import, export, alias and canon items."""
    with tempfile.TemporaryDirectory() as tmp:
        wit = Path(tmp) / "many.wit"
        wit.write_text(many_items_wit(interfaces, funcs_per_interface))
        core = run_wasm_tools("component", "embed", str(wit), "--world", "many", "--dummy")
        return run_wasm_tools("component", "new", "-", stdin=core)
