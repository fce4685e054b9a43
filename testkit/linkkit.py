"""A factory of tiny *link* components for composition tests, and a runner for composed results.

:func:`link_component` builds, with no compiler, a real component that exports one interface with
``run: func(s: string) -> string`` and imports any number of interfaces of that same shape. Its
``run(s)`` answers ``name<s>`` when it imports nothing, and otherwise ``name(`` + the answers of its
imports, called in order with the same ``s`` and joined by ``,`` + ``)``. A composed graph of link
components therefore returns a string that spells out exactly how it was wired: a chain a -> b -> c
answers ``a(b(c<x>))``.

:func:`call_run` instantiates a fully composed (import-free) component under wasmtime and calls one
interface's ``run``.

How a link component is built: its component WAT is generated around two hand-written core modules and
assembled with ``wasm-tools parse``.

* ``$Libc`` owns the linear memory and a bump allocator: ``cabi_realloc`` plus ``reset``, which frees
  everything allocated since instantiation.
* ``$Main`` imports the memory, the allocator and the canonical-ABI lowering of every imported ``run``
  (core type ``(i32 ptr, i32 len, i32 retptr) -> ()``: the string result lands in an 8-byte return area
  of ``(ptr, len)`` allocated through our ``cabi_realloc``). It exports the core ``run``
  (``(i32 ptr, i32 len) -> i32``: a pointer to its own ``(ptr, len)`` return area, or for the ``u32``
  variant the length itself) and ``post``, the post-return function, which resets the heap: the host has
  copied the result out by then and a component instance is never re-entered, so nothing live is lost.

Instantiating ``$Libc`` first lets the imports be lowered with its memory and allocator before ``$Main``
is instantiated, so no indirect-call shim module is needed.

Static memory layout (all 4-byte aligned): ``[8, 16)`` the return area of the exported ``run``;
``[16 + 8k, 24 + 8k)`` the return area of import ``k``; then the name's UTF-8 bytes; then the heap,
8-byte aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from wasmtime import Engine, Store
from wasmtime.component import Component, Linker

from wacpy.tools import ExternalToolError, run_wasm_tools

__all__ = ["LinkkitError", "call_run", "link_component", "shared_engine"]

DEFAULT_INTERFACE = "test:chain/link@1.0.0"

_RESULT_TYPES = ("string", "u32")
_EXPORT_RETAREA = 8
_IMPORT_RETAREA_BASE = 16


class LinkkitError(Exception):
    """A link component could not be built, or a component could not be run as asked."""


def link_component(
    name: str,
    imports: Sequence[str] = (),
    export: str = DEFAULT_INTERFACE,
    *,
    result_type: str = "string",
) -> bytes:
    """A component binary exporting ``export`` (``run: func(s: string) -> result_type``).

    It imports every interface named in ``imports`` (each an instance exporting exactly
    ``run: func(s: string) -> string``); its ``run(s)`` answers ``f"{name}<{s}>"`` when there are no
    imports and ``name + "(" + ",".join(run(s) of each import, in order) + ")"`` otherwise. With
    ``result_type="u32"`` the export's ``run`` instead returns the UTF-8 length of that string, which
    makes the component deliberately type-incompatible with its string-returning peers.

    Binaries are cached, so repeated calls with the same arguments cost nothing.
    """
    if isinstance(imports, str):
        raise TypeError("imports must be a sequence of interface names, not one string")
    return _link_component(name, tuple(imports), export, result_type)


@cache
def _link_component(name: str, imports: tuple[str, ...], export: str, result_type: str) -> bytes:
    if result_type not in _RESULT_TYPES:
        raise ValueError(f"result_type must be one of {_RESULT_TYPES}, not {result_type!r}")
    if len(set(imports)) != len(imports):
        raise ValueError(f"duplicate import in {imports!r}: a component imports each name once")
    wat = _component_wat(name, imports, export, result_type)
    try:
        binary = run_wasm_tools("parse", "-", stdin=wat.encode())
        run_wasm_tools("validate", stdin=binary)  # parse alone accepts e.g. non-kebab import names
    except ExternalToolError as err:
        raise LinkkitError(f"cannot build link component {name!r}: {err}\n--- WAT ---\n{wat}") from err
    return binary


def _wat_string(data: bytes) -> str:
    """A WAT string literal holding exactly ``data``: printable ASCII as is, other bytes as ``\\hh``."""
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7F and b not in b'"\\' else f"\\{b:02x}" for b in data) + '"'


def _align(n: int, to: int) -> int:
    return (n + to - 1) // to * to


def _libc_wat(heap_base: int, pages: int) -> str:
    return f"""
  (core module $Libc
    (memory (export "memory") {pages})
    (global $heap (mut i32) (i32.const {heap_base}))
    ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr: bump allocation, growing memory as
    ;; needed; a reallocation copies min(old_size, new_size) bytes of the old block.
    (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32)
      (result i32)
      (local $ptr i32) (local $end i32) (local $pages i32)
      (if (i32.eqz (local.get $align)) (then (local.set $align (i32.const 1))))
      (local.set $ptr
        (i32.and
          (i32.sub (i32.add (global.get $heap) (local.get $align)) (i32.const 1))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $size)))
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      (local.set $pages
        (i32.wrap_i64
          (i64.shr_u (i64.add (i64.extend_i32_u (local.get $end)) (i64.const 0xffff)) (i64.const 16))))
      (if (i32.gt_u (local.get $pages) (memory.size))
        (then
          (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
            (then unreachable))))
      (global.set $heap (local.get $end))
      (if (local.get $old)
        (then
          (memory.copy (local.get $ptr) (local.get $old)
            (select (local.get $old_size) (local.get $size)
              (i32.lt_u (local.get $old_size) (local.get $size))))))
      (local.get $ptr))
    (func (export "reset") (global.set $heap (i32.const {heap_base}))))"""


def _main_wat(name: bytes, n_imports: int, name_at: int, result_type: str) -> str:
    lines = [
        "  (core module $Main",
        '    (import "env" "memory" (memory 1))',
        '    (import "env" "cabi_realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))',
        '    (import "env" "reset" (func $reset))',
    ]
    lines += [f'    (import "env" "run{k}" (func $run{k} (param i32 i32 i32)))' for k in range(n_imports)]
    lines += [
        f"    (data (i32.const {name_at}) {_wat_string(name)})",
        '    (func (export "run") (param $s i32) (param $len i32) (result i32)',
        "      (local $out i32) (local $at i32) (local $total i32)",
    ]
    body: list[str] = []
    # 1. The pieces between the name's parentheses, and the total length.
    if n_imports == 0:
        open_byte, close_byte = ord("<"), ord(">")
        body.append(f"(local.set $total (i32.add (local.get $len) (i32.const {len(name) + 2})))")
    else:
        open_byte, close_byte = ord("("), ord(")")
        body.append(f"(local.set $total (i32.const {len(name) + 2 + n_imports - 1}))")
        for k in range(n_imports):
            area = _IMPORT_RETAREA_BASE + 8 * k
            body.append(f"(call $run{k} (local.get $s) (local.get $len) (i32.const {area}))")
            body.append(f"(local.set $total (i32.add (local.get $total) (i32.load (i32.const {area + 4}))))")
    # 2. Allocate the answer and write name, open, pieces, close.
    body += [
        "(local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))",
        f"(memory.copy (local.get $out) (i32.const {name_at}) (i32.const {len(name)}))",
        f"(local.set $at (i32.add (local.get $out) (i32.const {len(name)})))",
        f"(i32.store8 (local.get $at) (i32.const {open_byte}))",
        "(local.set $at (i32.add (local.get $at) (i32.const 1)))",
    ]
    if n_imports == 0:
        body += [
            "(memory.copy (local.get $at) (local.get $s) (local.get $len))",
            "(local.set $at (i32.add (local.get $at) (local.get $len)))",
        ]
    for k in range(n_imports):
        area = _IMPORT_RETAREA_BASE + 8 * k
        if k:
            body += [
                f"(i32.store8 (local.get $at) (i32.const {ord(',')}))",
                "(local.set $at (i32.add (local.get $at) (i32.const 1)))",
            ]
        body += [
            f"(memory.copy (local.get $at) (i32.load (i32.const {area})) (i32.load (i32.const {area + 4})))",
            f"(local.set $at (i32.add (local.get $at) (i32.load (i32.const {area + 4}))))",
        ]
    body.append(f"(i32.store8 (local.get $at) (i32.const {close_byte}))")
    # 3. Return: a pointer to (ptr, len), or the length itself for the u32 variant.
    if result_type == "string":
        body += [
            f"(i32.store (i32.const {_EXPORT_RETAREA}) (local.get $out))",
            f"(i32.store (i32.const {_EXPORT_RETAREA + 4}) (local.get $total))",
            f"(i32.const {_EXPORT_RETAREA})",
        ]
    else:
        body.append("(local.get $total)")
    lines += [f"      {line}" for line in body]
    lines[-1] += ")"
    lines.append('    (func (export "post") (param i32) (call $reset)))')
    return "\n".join(lines)


def _component_wat(name: str, imports: tuple[str, ...], export: str, result_type: str) -> str:
    name_bytes = name.encode()
    name_at = _IMPORT_RETAREA_BASE + 8 * len(imports)
    heap_base = _align(name_at + len(name_bytes), 8)
    pages = max(1, -(-heap_base // 65536))
    string_run = '(func (param "s" string) (result string))'
    parts = ["(component"]
    for k, iface in enumerate(imports):
        parts.append(
            f'  (import {_wat_string(iface.encode())} (instance $imp{k} (export "run" {string_run})))'
        )
    parts += [
        _libc_wat(heap_base, pages),
        _main_wat(name_bytes, len(imports), name_at, result_type),
        "  (core instance $libc (instantiate $Libc))",
        '  (alias core export $libc "memory" (core memory $mem))',
        '  (alias core export $libc "cabi_realloc" (core func $realloc))',
        '  (alias core export $libc "reset" (core func $reset))',
    ]
    env = [
        '(export "memory" (memory $mem))',
        '(export "cabi_realloc" (func $realloc))',
        '(export "reset" (func $reset))',
    ]
    for k in range(len(imports)):
        parts += [
            f'  (alias export $imp{k} "run" (func $imp{k}-run))',
            f"  (core func $run{k} (canon lower (func $imp{k}-run) (memory $mem) (realloc $realloc)))",
        ]
        env.append(f'(export "run{k}" (func $run{k}))')
    parts += [
        f"  (core instance $env {' '.join(env)})",
        '  (core instance $main (instantiate $Main (with "env" (instance $env))))',
        '  (alias core export $main "run" (core func $core-run))',
        '  (alias core export $main "post" (core func $post))',
        f'  (func $run (param "s" string) (result {result_type})',
        "    (canon lift (core func $core-run) (memory $mem) (realloc $realloc) (post-return $post)))",
        '  (instance $out (export "run" (func $run)))',
        f"  (export {_wat_string(export.encode())} (instance $out)))",
    ]
    return "\n".join(parts) + "\n"


@cache
def shared_engine() -> Engine:
    """The one wasmtime engine link components run in (compiled code is shared between calls)."""
    return Engine()


def call_run(component: bytes, interface: str, arg: str) -> str | int:
    """Instantiate an import-free ``component`` under wasmtime and return ``interface``'s ``run(arg)``.

    Raises :class:`LinkkitError` if the component still has imports or lacks the interface or its
    ``run``. Each call gets a fresh store and instance.
    """
    engine = shared_engine()
    try:
        compiled = Component(engine, component)
    except Exception as err:
        raise LinkkitError(f"wasmtime rejected the component: {err}") from err
    imports = sorted(compiled.type.imports(engine))
    if imports:
        raise LinkkitError(
            f"the component still has imports {imports}: compose it fully before calling {interface}"
        )
    store = Store(engine)
    instance = Linker(engine).instantiate(store, compiled)
    iface = instance.get_export_index(store, interface)
    if iface is None:
        exports = sorted(compiled.type.exports(engine))
        raise LinkkitError(f"the component exports no {interface!r} (its exports: {exports})")
    run_index = instance.get_export_index(store, "run", iface)
    func = instance.get_func(store, run_index) if run_index is not None else None
    if func is None:
        raise LinkkitError(f"{interface!r} has no function 'run'")
    result = func(store, arg)
    func.post_return(store)
    if not isinstance(result, str | int):
        raise LinkkitError(f"{interface}.run returned {result!r}, neither a string nor an integer")
    return result
