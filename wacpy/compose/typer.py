"""How a graph types the components it registers: a strategy given to :class:`CompositionGraph`.

:class:`InterfaceTyper` (the default) decodes what a component's type needs and resolves it;
:class:`OutlineTyper` reads only the top-level import and export sections and gives each item a
stand-in of its kind, which is all ``compose()``'s outline needs (see ``plug.py``).
"""

from __future__ import annotations

from typing import Any, Protocol

from ..binary.ast import (
    ComponentExtern,
    FuncExtern,
    ImportSection,
    InstanceExtern,
    ModuleExtern,
    PrimValType,
    Sort,
    TypeExtern,
    ValueExtern,
)
from ..binary.reader.components import decode_interface, read_imports_and_exports
from ..types.model import ComponentT, ExternT, FuncT, InstanceT, ModuleT, TypeDefT, ValueExternT, extern_sort
from ..types.resolve import component_type


class ComponentTyper(Protocol):
    """Gives a registered component's bytes their type; raises ``DecodeError`` or
    ``ComponentTypeError`` for bytes that are not a component it can type."""

    def component_type(self, data: bytes) -> ComponentT: ...


class InterfaceTyper:
    """Types components exactly, sharing two memos between the components of one graph:
    byte-identical small sections share one decoded AST, and a nested component that aliases
    nothing outside itself is typed once."""

    def __init__(self) -> None:
        self._section_memo: dict[Any, Any] = {}
        self._type_memo: dict[Any, Any] = {}

    def component_type(self, data: bytes) -> ComponentT:
        return component_type(decode_interface(data, self._section_memo), self._type_memo)


#: Stand-ins of each kind of extern type: any two of one kind are subtypes of each other.
_STAND_INS: dict[type[Any], ExternT] = {
    FuncExtern: FuncT(()),
    InstanceExtern: InstanceT({}),
    ComponentExtern: ComponentT({}, {}, (), ()),
    ModuleExtern: ModuleT({}, {}),
    TypeExtern: TypeDefT(PrimValType.BOOL),
    ValueExtern: ValueExternT(PrimValType.BOOL),
}
#: The same stand-ins by the sort of the item (what an export names).
_SORT_STAND_INS: dict[Sort, ExternT] = {extern_sort(t): t for t in _STAND_INS.values()}


class OutlineTyper:
    """Types a component from its top-level import and export sections only, each item standing
    in by its kind: the names and sorts are right, the types are not (no argument check fails)."""

    def component_type(self, data: bytes) -> ComponentT:
        imports: dict[str, ExternT] = {}
        exports: dict[str, ExternT] = {}
        for section in read_imports_and_exports(data):
            if isinstance(section, ImportSection):
                imports.update((i.name.name, _STAND_INS[type(i.type)]) for i in section.imports)
            else:
                exports.update((e.name.name, _SORT_STAND_INS[e.item.sort]) for e in section.exports)
        return ComponentT(imports, exports, (), ())
