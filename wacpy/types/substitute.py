"""Replace resources inside types (instantiation binds imported resources and freshens exported ones)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar, cast

import attrs

from ..binary.ast.types import PrimValType
from .model import (
    NO_USES,
    BorrowT,
    ComponentT,
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

T = TypeVar("T", bound=ExternT | ValueT | Resource | None)
ResourceMap = Mapping[Resource, Resource]


def substitute(t: T, mapping: ResourceMap) -> T:
    """``t`` with every resource ``r`` in ``mapping`` replaced by ``mapping[r]`` (shares unchanged parts).

    Instance types lose their ``uses`` (which other interfaces their types come from) unless
    ``mapping`` is a :class:`KeepingUses`: following them means substituting every interface
    they reach again, and only a declared import type, as :func:`freshen` makes it, needs them.
    """
    if not mapping:
        return t
    return cast(T, _subst(t, mapping))


class KeepingUses(dict[Resource, Resource]):
    """A resource mapping under which :func:`substitute` keeps instance types' ``uses`` as they
    are: only :func:`freshen` makes one, and it maps the resources an instance type declares,
    which no interface it uses (an earlier import) can mention."""


def _val(t: ValueT, m: ResourceMap) -> ValueT:
    return cast(ValueT, _subst(t, m))


def _value(t: ValueT | None, m: ResourceMap) -> ValueT | None:
    return None if t is None else _val(t, m)


def _subst(t: object, m: ResourceMap) -> object:
    if t is None or isinstance(t, PrimValType | FlagsT | EnumT | ModuleT):
        return t
    if isinstance(t, Resource):
        return m.get(t, t)
    if isinstance(t, OwnT | BorrowT):
        new = m.get(t.resource, t.resource)
        return t if new is t.resource else attrs.evolve(t, resource=new)
    if isinstance(t, RecordT):
        return attrs.evolve(t, fields=tuple((n, _val(ft, m)) for n, ft in t.fields))
    if isinstance(t, VariantT):
        return attrs.evolve(t, cases=tuple((n, _value(ct, m)) for n, ct in t.cases))
    if isinstance(t, ListT):
        return attrs.evolve(t, element=_val(t.element, m))
    if isinstance(t, OptionT):
        return attrs.evolve(t, type=_val(t.type, m))
    if isinstance(t, TupleT):
        return attrs.evolve(t, types=tuple(_val(x, m) for x in t.types))
    if isinstance(t, ResultT):
        return attrs.evolve(t, ok=_value(t.ok, m), err=_value(t.err, m))
    if isinstance(t, StreamT | FutureT):
        return attrs.evolve(t, element=_value(t.element, m))
    if isinstance(t, MapT):
        return attrs.evolve(t, key=_val(t.key, m), value=_val(t.value, m))
    if isinstance(t, FuncT):
        return FuncT(tuple((n, _val(p, m)) for n, p in t.params), _value(t.result, m), t.is_async)
    if isinstance(t, TypeDefT):
        return TypeDefT(cast("ValueT | Resource", _subst(t.type, m)))
    if isinstance(t, ValueExternT):
        return ValueExternT(_val(t.type, m))
    if isinstance(t, InstanceT):
        uses = t.uses if type(m) is KeepingUses else NO_USES
        return InstanceT(
            {n: cast(ExternT, _subst(e, m)) for n, e in t.exports.items()},
            tuple(m.get(r, r) for r in t.introduces),
            t.names,
            uses,
        )
    if isinstance(t, ComponentT):
        return ComponentT(
            {n: cast(ExternT, _subst(e, m)) for n, e in t.imports.items()},
            {n: cast(ExternT, _subst(e, m)) for n, e in t.exports.items()},
            tuple(m.get(r, r) for r in t.params),
            tuple(m.get(r, r) for r in t.fresh),
            t.import_names,
            t.export_names,
        )
    raise TypeError(f"not a type: {t!r}")


def freshen(t: InstanceT) -> InstanceT:
    """A copy of an instance type whose abstractly declared resources are new ones (one per import)."""
    if not t.introduces:
        return t
    return substitute(t, KeepingUses({r: Resource(r.name) for r in t.introduces}))
