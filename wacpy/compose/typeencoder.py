"""Encode model types back into binary type definitions, for the imports of a composed component.

A :class:`TypeScope` is one scope being written (the component itself, or an instance type inside
it). Value types are defined once per scope and reused; resources are referenced by the index of
the import that introduced them, through an ``outer`` alias from inner scopes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..binary.ast import (
    AliasDecl,
    BorrowType,
    Case,
    CoreTypeDecl,
    DefValType,
    EnumType,
    EqBound,
    ExportDecl,
    ExternName,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    InstanceDecl,
    InstanceExtern,
    InstanceType,
    LabeledValType,
    ListType,
    MapType,
    OptionType,
    OuterAlias,
    OwnType,
    PrimValType,
    RecordType,
    ResultType,
    Sort,
    StreamType,
    SubResource,
    TupleType,
    TypeDecl,
    TypeExtern,
    ValType,
    ValueExtern,
    VariantType,
)
from ..errors import UnsupportedCompositionError
from ..types.model import (
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


class TypeScope:
    """Type definitions being written into one scope; ``emit`` receives each new declaration."""

    def __init__(self, parent: TypeScope | None, emit: Callable[[Any], int]) -> None:
        self.parent = parent
        self.emit = emit  # appends a type-space declaration, returns its type index
        self.values: dict[ValueT, int] = {}
        self.resources: dict[Resource, int] = {}

    # -- resources ---------------------------------------------------------------------------
    def find_resource(self, r: Resource) -> tuple[int, int] | None:
        """(scopes outward, index) of a resource visible from here."""
        scope: TypeScope | None = self
        depth = 0
        while scope is not None:
            if r in scope.resources:
                return depth, scope.resources[r]
            scope, depth = scope.parent, depth + 1
        return None

    def resource(self, r: Resource) -> int:
        found = self.find_resource(r)
        if found is None:
            raise UnsupportedCompositionError(
                f"resource `{r.name}` is used by an import but introduced by none before it "
                "(it may come from an instance export; pass that import explicitly)"
            )
        depth, index = found
        if depth == 0:
            return index
        local = self.emit(AliasDecl(OuterAlias(Sort.TYPE, depth, index)))
        self.resources[r] = local
        return local

    # -- value types -------------------------------------------------------------------------
    def valtype(self, v: ValueT) -> ValType:
        return v if isinstance(v, PrimValType) else self.define(v)

    def _optional(self, v: ValueT | None) -> ValType | None:
        return None if v is None else self.valtype(v)

    def define(self, v: ValueT) -> int:
        """The index of value type ``v`` in this scope, defining it (and its parts) if needed."""
        known = self.values.get(v)
        if known is not None:
            return known
        index = self.emit(TypeDecl(self._defvaltype(v)))
        self.values[v] = index
        return index

    def _defvaltype(self, v: ValueT) -> DefValType:
        if isinstance(v, PrimValType):
            return v
        if isinstance(v, RecordT):
            return RecordType(tuple(LabeledValType(n, self.valtype(t)) for n, t in v.fields))
        if isinstance(v, VariantT):
            return VariantType(tuple(Case(n, self._optional(t)) for n, t in v.cases))
        if isinstance(v, ListT):
            element = self.valtype(v.element)
            return ListType(element) if v.length is None else FixedListType(element, v.length)
        if isinstance(v, TupleT):
            return TupleType(tuple(self.valtype(t) for t in v.types))
        if isinstance(v, FlagsT):
            return FlagsType(v.labels)
        if isinstance(v, EnumT):
            return EnumType(v.labels)
        if isinstance(v, OptionT):
            return OptionType(self.valtype(v.type))
        if isinstance(v, ResultT):
            return ResultType(self._optional(v.ok), self._optional(v.err))
        if isinstance(v, OwnT):
            return OwnType(self.resource(v.resource))
        if isinstance(v, BorrowT):
            return BorrowType(self.resource(v.resource))
        if isinstance(v, StreamT):
            return StreamType(self._optional(v.element))
        if isinstance(v, FutureT):
            return FutureType(self._optional(v.element))
        assert isinstance(v, MapT)
        return MapType(self.valtype(v.key), self.valtype(v.value))

    def func(self, f: FuncT) -> int:
        params = tuple(LabeledValType(n, self.valtype(t)) for n, t in f.params)
        return self.emit(TypeDecl(FuncType(params, self._optional(f.result), f.is_async)))

    # -- instance types ----------------------------------------------------------------------
    def instance_type(self, t: InstanceT) -> InstanceType:
        """An instance type for ``t``, written in a new scope nested in this one."""
        decls: list[InstanceDecl] = []
        counter = [0]

        def emit(decl: Any) -> int:
            decls.append(decl)
            if isinstance(decl, CoreTypeDecl):
                return -1
            counter[0] += 1
            return counter[0] - 1

        inner = TypeScope(self, emit)
        for name, export in t.exports.items():
            inner.export_decl(name, export, introduced=t.introduces, decls=decls, counter=counter)
        return InstanceType(tuple(decls))

    def export_decl(
        self,
        name: str,
        export: ExternT,
        *,
        introduced: tuple[Resource, ...],
        decls: list[InstanceDecl],
        counter: list[int],
    ) -> None:
        def declare_type(bound: SubResource | EqBound) -> int:
            decls.append(ExportDecl(_plain(name), TypeExtern(bound)))
            counter[0] += 1
            return counter[0] - 1

        if isinstance(export, TypeDefT):
            target = export.type
            if isinstance(target, Resource):
                if target in introduced or self.find_resource(target) is None:
                    self.resources[target] = declare_type(SubResource())
                else:
                    self.resources[target] = declare_type(EqBound(self.resource(target)))
            else:
                self.values[target] = declare_type(EqBound(self.define(target)))
        elif isinstance(export, FuncT):
            decls.append(ExportDecl(_plain(name), FuncExtern(self.func(export))))
        elif isinstance(export, InstanceT):
            nested = self.emit(TypeDecl(self.instance_type(export)))
            decls.append(ExportDecl(_plain(name), InstanceExtern(nested)))
        elif isinstance(export, ValueExternT):
            decls.append(ExportDecl(_plain(name), ValueExtern(self.valtype(export.type))))
        else:
            kind = "component" if isinstance(export, ComponentT) else "core module"
            raise UnsupportedCompositionError(
                f"cannot encode the type of `{name}`: a {kind} inside an instance"
            )


def _plain(name: str) -> ExternName:
    return ExternName(name)
