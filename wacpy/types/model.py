"""The index-free component type model: value, function, resource, instance, component and module types.

Types here are structural values with no indices. Two value types are equal when their structure is
(names of named types are kept for messages only and do not take part in equality). Resources have
identity: a :class:`Resource` is equal only to itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import field, frozen

from ..binary.ast.common import ExternName, Sort
from ..binary.ast.core_types import CoreExternType, SubType
from ..binary.ast.types import PrimValType

_resource_ids = itertools.count(1)


class Resource:
    """A resource type; identity is the object itself. ``name`` is for messages only."""

    __slots__ = ("name", "serial")

    def __init__(self, name: str) -> None:
        self.name = name
        self.serial = next(_resource_ids)

    def __repr__(self) -> str:
        return f"Resource({self.name!r}#{self.serial})"

    def named(self, name: str) -> Resource:
        """Give a resource defined without a name (``(type (resource ...))``) the name it is exported as."""
        if self.name == UNNAMED_RESOURCE:
            self.name = name
        return self


UNNAMED_RESOURCE = "resource"


def _name() -> str | None:
    return field(default=None, eq=False, kw_only=True)  # type: ignore[no-any-return]


@frozen
class RecordT:
    fields: tuple[tuple[str, ValueT], ...]
    name: str | None = _name()


@frozen
class VariantT:
    cases: tuple[tuple[str, ValueT | None], ...]
    name: str | None = _name()


@frozen
class ListT:
    element: ValueT
    length: int | None = None
    name: str | None = _name()


@frozen
class TupleT:
    types: tuple[ValueT, ...]
    name: str | None = _name()


@frozen
class FlagsT:
    labels: tuple[str, ...]
    name: str | None = _name()


@frozen
class EnumT:
    labels: tuple[str, ...]
    name: str | None = _name()


@frozen
class OptionT:
    type: ValueT
    name: str | None = _name()


@frozen
class ResultT:
    ok: ValueT | None = None
    err: ValueT | None = None
    name: str | None = _name()


@frozen
class OwnT:
    resource: Resource
    name: str | None = _name()


@frozen
class BorrowT:
    resource: Resource
    name: str | None = _name()


@frozen
class StreamT:
    element: ValueT | None = None
    name: str | None = _name()


@frozen
class FutureT:
    element: ValueT | None = None
    name: str | None = _name()


@frozen
class MapT:
    key: ValueT
    value: ValueT
    name: str | None = _name()


ValueT = (
    PrimValType
    | RecordT
    | VariantT
    | ListT
    | TupleT
    | FlagsT
    | EnumT
    | OptionT
    | ResultT
    | OwnT
    | BorrowT
    | StreamT
    | FutureT
    | MapT
)


@frozen
class FuncT:
    params: tuple[tuple[str, ValueT], ...]
    result: ValueT | None = None
    is_async: bool = False


@frozen
class TypeDefT:
    """An imported or exported type: a value type, a resource, or a function, instance or
    component type (the component model lets any type be named by an import or export)."""

    type: ValueT | Resource | FuncT | InstanceT | ComponentT


@frozen
class ValueExternT:
    """An imported or exported value."""

    type: ValueT


#: Names that carry attributes (``implements``, ``version-suffix``, ...), by their plain name.
Attributed = Mapping[str, ExternName]
_NO_ATTRIBUTES: Attributed = {}


#: The ``uses`` of an instance type that takes no types from other interfaces.
NO_USES: Mapping[str, Use] = {}


@frozen(eq=False)
class Use:
    """A type an instance type takes from another interface (WIT ``use``): export ``name`` of
    the instance imported as ``interface``, whose type is ``instance``."""

    interface: str
    name: str
    instance: InstanceT


@frozen(eq=False)
class InstanceT:
    """An instance's exports, in order; ``introduces`` lists resources its type declares abstractly.
    ``names`` keeps the export names that carry attributes; ``uses`` the type exports that are
    another imported interface's types (by export name)."""

    exports: Mapping[str, ExternT]
    introduces: tuple[Resource, ...] = ()
    names: Attributed = _NO_ATTRIBUTES
    uses: Mapping[str, Use] = NO_USES


@frozen(eq=False)
class ComponentT:
    """A component's imports and exports.

    ``params`` are the resources its imports introduce (bound by instantiation arguments);
    ``fresh`` are the resources its exports introduce (new for each instantiation).
    """

    imports: Mapping[str, ExternT]
    exports: Mapping[str, ExternT]
    params: tuple[Resource, ...] = ()
    fresh: tuple[Resource, ...] = ()
    #: The import and export names that carry attributes.
    import_names: Attributed = _NO_ATTRIBUTES
    export_names: Attributed = _NO_ATTRIBUTES


def extern_name(names: Attributed, name: str) -> ExternName:
    """The name to write for ``name``: with its attributes when it has any."""
    return names.get(name) or ExternName(name)


@frozen(eq=False)
class ModuleT:
    """A core module's imports ((module, name) -> type) and exports; function types resolved."""

    imports: Mapping[tuple[str, str], CoreExternT]
    exports: Mapping[str, CoreExternT]


@frozen
class CoreFuncT:
    """A core function type, resolved from its type index."""

    type: SubType


@frozen
class CoreTagT:
    """A core exception tag, its function type resolved from its type index."""

    type: SubType


CoreExternT = CoreFuncT | CoreTagT | CoreExternType
ExternT = FuncT | InstanceT | ComponentT | ModuleT | TypeDefT | ValueExternT

#: The sort of the items each kind of extern type describes.
_EXTERN_SORT: dict[type[Any], Sort] = {
    FuncT: Sort.FUNC,
    InstanceT: Sort.INSTANCE,
    ComponentT: Sort.COMPONENT,
    ModuleT: Sort.CORE_MODULE,
    TypeDefT: Sort.TYPE,
    ValueExternT: Sort.VALUE,
}


def extern_sort(t: ExternT) -> Sort:
    """The sort of an item of type ``t`` (what an alias of it, or an argument, names)."""
    return _EXTERN_SORT[type(t)]


def resources_in(t: ExternT | ValueT | Resource | None) -> Iterator[Resource]:
    """Every resource a type mentions, depth first, possibly repeated."""
    if t is None or isinstance(t, PrimValType | FlagsT | EnumT | ModuleT):
        return
    if isinstance(t, Resource):
        yield t
    elif isinstance(t, OwnT | BorrowT):
        yield t.resource
    elif isinstance(t, RecordT):
        for _, ft in t.fields:
            yield from resources_in(ft)
    elif isinstance(t, VariantT):
        for _, ct in t.cases:
            yield from resources_in(ct)
    elif isinstance(t, ListT | OptionT):
        yield from resources_in(t.element if isinstance(t, ListT) else t.type)
    elif isinstance(t, TupleT):
        for tt in t.types:
            yield from resources_in(tt)
    elif isinstance(t, ResultT):
        yield from resources_in(t.ok)
        yield from resources_in(t.err)
    elif isinstance(t, StreamT | FutureT):
        yield from resources_in(t.element)
    elif isinstance(t, MapT):
        yield from resources_in(t.key)
        yield from resources_in(t.value)
    elif isinstance(t, FuncT):
        for _, pt in t.params:
            yield from resources_in(pt)
        yield from resources_in(t.result)
    elif isinstance(t, TypeDefT):
        if isinstance(t.type, InstanceT):  # a type: the resources it declares stay inside
            yield from (r for r in resources_in(t.type) if r not in t.type.introduces)
        else:
            yield from resources_in(t.type)
    elif isinstance(t, ValueExternT):
        yield from resources_in(t.type)
    elif isinstance(t, InstanceT):
        for et in t.exports.values():
            yield from resources_in(et)
    elif isinstance(t, ComponentT):  # the resources its imports and exports introduce stay inside
        bound = {*t.params, *t.fresh}
        for et in (*t.imports.values(), *t.exports.values()):
            yield from (r for r in resources_in(et) if r not in bound)
