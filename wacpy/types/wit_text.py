"""WIT-like text for model types: one-line descriptions for messages, full listings for ``inspect``."""

from __future__ import annotations

from ..binary.ast.types import PrimValType
from .model import (
    BorrowT,
    ComponentT,
    CoreFuncT,
    CoreTagT,
    EnumT,
    ExternT,
    FlagsT,
    FuncT,
    FutureT,
    InstanceT,
    ListT,
    MapT,
    ModuleT,
    OptionT,
    OwnT,
    RecordT,
    Resource,
    ResultT,
    StreamT,
    TupleT,
    TypeDefT,
    ValueExternT,
    ValueT,
    VariantT,
)


def prim_name(p: PrimValType) -> str:
    return p.name.lower().replace("_", "-")


def describe_value(t: ValueT | None, *, expand: bool = False) -> str:
    """``list<u8>``, ``result<u32, string>``; a named type is shown by name unless ``expand``."""
    if t is None:
        return "_"
    if isinstance(t, PrimValType):
        return prim_name(t)
    if t.name is not None and not expand:
        return t.name
    if isinstance(t, RecordT):
        return "record { " + ", ".join(f"{n}: {describe_value(ft)}" for n, ft in t.fields) + " }"
    if isinstance(t, VariantT):
        cases = (n if ct is None else f"{n}({describe_value(ct)})" for n, ct in t.cases)
        return "variant { " + ", ".join(cases) + " }"
    if isinstance(t, ListT):
        size = "" if t.length is None else f", {t.length}"
        return f"list<{describe_value(t.element)}{size}>"
    if isinstance(t, TupleT):
        return "tuple<" + ", ".join(describe_value(x) for x in t.types) + ">"
    if isinstance(t, FlagsT):
        return "flags { " + ", ".join(t.labels) + " }"
    if isinstance(t, EnumT):
        return "enum { " + ", ".join(t.labels) + " }"
    if isinstance(t, OptionT):
        return f"option<{describe_value(t.type)}>"
    if isinstance(t, ResultT):
        if t.ok is None and t.err is None:
            return "result"
        if t.err is None:
            return f"result<{describe_value(t.ok)}>"
        return f"result<{describe_value(t.ok)}, {describe_value(t.err)}>"
    if isinstance(t, OwnT):
        return f"own<{t.resource.name}>"
    if isinstance(t, BorrowT):
        return f"borrow<{t.resource.name}>"
    if isinstance(t, StreamT | FutureT):
        kind = "stream" if isinstance(t, StreamT) else "future"
        return kind if t.element is None else f"{kind}<{describe_value(t.element)}>"
    if isinstance(t, MapT):
        return f"map<{describe_value(t.key)}, {describe_value(t.value)}>"
    raise TypeError(f"not a value type: {t!r}")


def describe_func(f: FuncT) -> str:
    params = ", ".join(f"{n}: {describe_value(p)}" for n, p in f.params)
    result = "" if f.result is None else f" -> {describe_value(f.result)}"
    return f"{'async ' if f.is_async else ''}func({params}){result}"


def describe_extern(t: ExternT) -> str:
    """A one-line description: ``func(s: string) -> string``, ``instance``, ``resource r``."""
    if isinstance(t, FuncT):
        return describe_func(t)
    if isinstance(t, TypeDefT):
        if isinstance(t.type, Resource):
            return f"resource {t.type.name}"
        if isinstance(t.type, FuncT | InstanceT | ComponentT):
            return f"type {describe_extern(t.type)}"
        return f"type {describe_value(t.type)}"
    if isinstance(t, ValueExternT):
        return f"value {describe_value(t.type)}"
    if isinstance(t, InstanceT):
        return "instance"
    if isinstance(t, ComponentT):
        return "component"
    return "core module"


def _type_def(name: str, t: ValueT | Resource | FuncT | InstanceT | ComponentT) -> str:
    if isinstance(t, Resource):
        return f"resource {name}"
    if isinstance(t, FuncT | InstanceT | ComponentT):
        return f"type {name} = {describe_extern(t)}"
    if isinstance(t, RecordT | VariantT | FlagsT | EnumT):
        kind = type(t).__name__.removesuffix("T").lower()
        return f"{kind} {name} {describe_value(t, expand=True).partition(' ')[2]}"
    return f"type {name} = {describe_value(t, expand=t.name == name)}"


def render_extern(name: str, t: ExternT, indent: str = "") -> list[str]:
    """WIT-like lines for one import or export."""
    if isinstance(t, InstanceT):
        lines = [f"{indent}{name}: interface {{"]
        for export_name, export in t.exports.items():
            lines += render_extern(export_name, export, indent + "  ")
        return [*lines, f"{indent}}}"]
    if isinstance(t, ComponentT):
        lines = [f"{indent}{name}: component {{"]
        for kind, items in (("import", t.imports), ("export", t.exports)):
            for item_name, item in items.items():
                lines += render_extern(f"{kind} {item_name}", item, indent + "  ")
        return [*lines, f"{indent}}}"]
    if isinstance(t, TypeDefT):
        return [f"{indent}{_type_def(name, t.type)}"]
    if isinstance(t, ModuleT):
        lines = [f"{indent}{name}: core module {{"]
        lines += [f"{indent}  import {m!r} {n!r}: {_core(ct)}" for (m, n), ct in t.imports.items()]
        lines += [f"{indent}  export {n!r}: {_core(ct)}" for n, ct in t.exports.items()]
        return [*lines, f"{indent}}}"]
    return [f"{indent}{name}: {describe_extern(t)}"]


def _core(t: object) -> str:
    if isinstance(t, CoreFuncT | CoreTagT):
        return "func" if isinstance(t, CoreFuncT) else "tag"
    return type(t).__name__.removesuffix("Type").lower()


def render_component(t: ComponentT) -> str:
    """The imports and exports of a component as WIT-like text."""
    lines: list[str] = []
    for kind, items in (("import", t.imports), ("export", t.exports)):
        for name, item in items.items():
            lines += render_extern(f"{kind} {name}", item)
    return "\n".join(lines)


def extern_json(t: ExternT) -> dict[str, object]:
    """The same information as :func:`render_extern`, as JSON-ready data (value types as WIT text)."""
    if isinstance(t, FuncT):
        return {
            "kind": "func",
            "async": t.is_async,
            "params": [{"name": n, "type": describe_value(p)} for n, p in t.params],
            "result": None if t.result is None else describe_value(t.result),
        }
    if isinstance(t, InstanceT):
        return {"kind": "instance", "exports": {n: extern_json(e) for n, e in t.exports.items()}}
    if isinstance(t, ComponentT):
        return {
            "kind": "component",
            "imports": {n: extern_json(e) for n, e in t.imports.items()},
            "exports": {n: extern_json(e) for n, e in t.exports.items()},
        }
    if isinstance(t, TypeDefT):
        if isinstance(t.type, Resource):
            return {"kind": "resource", "name": t.type.name}
        if isinstance(t.type, FuncT | InstanceT | ComponentT):
            return {"kind": "type", "definition": extern_json(t.type)}
        return {"kind": "type", "definition": describe_value(t.type, expand=True)}
    if isinstance(t, ValueExternT):
        return {"kind": "value", "type": describe_value(t.type)}
    return {
        "kind": "core module",
        "imports": [{"module": m, "name": n, "type": _core(ct)} for (m, n), ct in t.imports.items()],
        "exports": [{"name": n, "type": _core(ct)} for n, ct in t.exports.items()],
    }
