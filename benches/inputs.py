"""Benchmark inputs made at run time: a component with thousands of small type, import and export items."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs

from wacpy import decode, encode
from wacpy.binary.ast import Component, ExportSection
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


def renamed_export(component: bytes, old: str, new: str) -> bytes:
    """``component`` with its top-level export ``old`` renamed ``new`` (through wacpy's own codec)."""
    ast = decode(component)
    sections = []
    for section in ast.sections:
        if isinstance(section, ExportSection):
            exports = tuple(
                attrs.evolve(e, name=attrs.evolve(e.name, name=new)) if e.name.name == old else e
                for e in section.exports
            )
            section = attrs.evolve(section, exports=exports)
        sections.append(section)
    return encode(Component(tuple(sections)))


def root_importing(interfaces: dict[str, str]) -> bytes:
    """A dummy-core component importing each ``interface`` (name -> WIT body of the interface)."""
    packages: dict[str, list[str]] = {}
    for name, body in interfaces.items():
        package, _, rest = name.partition("/")
        iface, _, version = rest.partition("@")
        packages.setdefault(f"{package}@{version}", []).append(f"interface {iface} {{\n{body}\n}}")
    wit = ["package bench:root;", "world root {"]
    wit += [f"  import {name};" for name in interfaces]
    wit.append("  export run: func();\n}")
    for package, ifaces in packages.items():
        wit.append(f"package {package} {{\n" + "\n".join(ifaces) + "\n}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "root.wit"
        path.write_text("\n".join(wit))
        core = run_wasm_tools("component", "embed", str(path), "--world", "root", "--dummy")
        return run_wasm_tools("component", "new", "-", stdin=core)


def _wit_component(wit: str, world: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.wit"
        path.write_text(wit)
        core = run_wasm_tools("component", "embed", str(path), "--world", world, "--dummy")
        return run_wasm_tools("component", "new", "-", stdin=core)


def chain_links(length: int) -> list[tuple[str, bytes]]:
    """``length`` small components; link ``i`` exports ``bench:chain/link-i`` and imports ``link-(i+1)``."""
    links = []
    for i in range(length):
        iface = "interface link-{n} {{ run: func(s: string) -> string; }}"
        body = [f"package bench:chain@1.0.0 {{ {iface.format(n=i)} {iface.format(n=i + 1)} }}"]
        imports = f"import bench:chain/link-{i + 1}@1.0.0;" if i + 1 < length else ""
        wit = (
            f"package bench:l{i};\nworld l{i} {{ {imports} export bench:chain/link-{i}@1.0.0; }}\n" + body[0]
        )
        links.append((f"bench:chain/link-{i}@1.0.0", _wit_component(wit, f"l{i}")))
    return links
