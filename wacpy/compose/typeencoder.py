"""Encode model types back into binary type definitions, for the imports of a composed component.

A :class:`TypeScope` is one scope being written (the component itself, or an instance type inside
it). Value types are defined once per scope and reused; resources are referenced by the index of
the import that introduced them, through an ``outer`` alias from inner scopes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..binary.ast import (
    AliasDecl,
    BorrowType,
    Case,
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

NOMINAL = (RecordT, VariantT, EnumT, FlagsT)


class TypeScope:
    """Type definitions being written into one scope.

    ``emit`` appends a type-space declaration (a type or an outer alias) and returns its index.
    ``name_type`` gives a nominal type (record, variant, enum, flags) a name where the validator
    requires one: an export of the instance type, or an import at the top level. ``reserved`` are
    the names the scope will use for its own exports, which a generated name must not take.
    """

    def __init__(
        self,
        parent: TypeScope | None,
        emit: Callable[[Any], int],
        name_type: Callable[[str, int], int],
        reserved: Mapping[str, ExternT] | None = None,
    ) -> None:
        self.parent = parent
        self.emit = emit
        self.name_type = name_type
        self.reserved: Mapping[str, ExternT] = reserved or {}
        self.named: set[str] = set()
        self.values: dict[ValueT, int] = {}
        self.funcs: dict[FuncT, int] = {}
        self.resources: dict[Resource, int] = {}
        self.exported_resources: set[Resource] = set()
        #: Top level only: nominal types exported by imported instances -> (instance index, export name).
        self.importable: dict[ValueT, tuple[int, str]] = {}
        self.alias_export: Callable[[int, str], int] | None = None

    # -- lookups through enclosing scopes ----------------------------------------------------
    def _outward(self) -> list[TypeScope]:
        scopes: list[TypeScope] = []
        scope: TypeScope | None = self
        while scope is not None:
            scopes.append(scope)
            scope = scope.parent
        return scopes

    def _reach(self, depth: int, index: int) -> int:
        """A local index for type ``index`` of the scope ``depth`` levels out."""
        return index if depth == 0 else self.emit(AliasDecl(OuterAlias(Sort.TYPE, depth, index)))

    def find_resource(self, r: Resource) -> tuple[int, int] | None:
        """(scopes outward, index) of a resource visible from here."""
        for depth, scope in enumerate(self._outward()):
            if r in scope.resources:
                return depth, scope.resources[r]
        return None

    def resource(self, r: Resource) -> int:
        found = self.find_resource(r)
        if found is None:
            raise UnsupportedCompositionError(
                f"resource `{r.name}` is used by an import but introduced by none before it "
                "(it may come from an instance export; pass that import explicitly)"
            )
        local = self._reach(*found)
        self.resources[r] = local
        return local

    def _find_nominal(self, v: ValueT) -> int | None:
        """A nominal type already named in this or an enclosing scope, or exported by an earlier import."""
        for depth, scope in enumerate(self._outward()):
            if v in scope.values:
                return self._reach(depth, scope.values[v])
            if scope.alias_export is not None and v in scope.importable:
                scope.values[v] = scope.alias_export(*scope.importable[v])
                return self._reach(depth, scope.values[v])
        return None

    # -- value types -------------------------------------------------------------------------
    def valtype(self, v: ValueT) -> ValType:
        return v if isinstance(v, PrimValType) else self.define(v)

    def _optional(self, v: ValueT | None) -> ValType | None:
        return None if v is None else self.valtype(v)

    def define(self, v: ValueT) -> int:
        """The index of value type ``v`` in this scope, defining (and naming) it and its parts if needed."""
        known = self.values.get(v)
        if known is not None:
            return known
        if isinstance(v, NOMINAL):
            found = self._find_nominal(v)
            if found is not None:
                self.values[v] = found
                return found
        index = self.emit(TypeDecl(self._defvaltype(v)))
        if isinstance(v, NOMINAL):
            index = self.name_type(self._free_name(v), index)
        self.values[v] = index
        return index

    def define_named(self, name: str, v: ValueT) -> int:
        """Define ``v`` for a caller that is about to export (or import) it as ``name`` itself."""
        self.named.add(name)
        if isinstance(v, NOMINAL) and v not in self.values:
            found = self._find_nominal(v)
            return found if found is not None else self.emit(TypeDecl(self._defvaltype(v)))
        return self.define(v)

    def _free_name(self, v: ValueT) -> str:
        """``v``'s own name when this scope may use it for ``v``, else a fresh ``name-N``."""
        base = getattr(v, "name", None) or "type"
        mine = self.reserved.get(base)
        if base not in self.named and (mine is None or (isinstance(mine, TypeDefT) and mine.type == v)):
            self.named.add(base)
            return base
        n = 2
        while f"{base}-{n}" in self.named or f"{base}-{n}" in self.reserved:
            n += 1
        self.named.add(f"{base}-{n}")
        return f"{base}-{n}"

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
        known = self.funcs.get(f)
        if known is None:
            params = tuple(LabeledValType(n, self.valtype(t)) for n, t in f.params)
            known = self.emit(TypeDecl(FuncType(params, self._optional(f.result), f.is_async)))
            self.funcs[f] = known
        return known

    # -- instance types ----------------------------------------------------------------------
    def instance_type(self, t: InstanceT) -> InstanceType:
        """An instance type for ``t``, written in a new scope nested in this one."""
        decls: list[InstanceDecl] = []
        count = [0]

        def emit(decl: Any) -> int:
            decls.append(decl)
            count[0] += 1
            return count[0] - 1

        def name_type(name: str, index: int) -> int:
            return emit(ExportDecl(ExternName(name), TypeExtern(EqBound(index))))

        inner = TypeScope(self, emit, name_type, t.exports)
        for name, export in t.exports.items():
            inner._export(name, export, t.introduces, decls, emit)
        return InstanceType(tuple(decls))

    def _export(
        self,
        name: str,
        export: ExternT,
        introduced: tuple[Resource, ...],
        decls: list[InstanceDecl],
        emit: Callable[[Any], int],
    ) -> None:
        if isinstance(export, TypeDefT):
            target = export.type
            if isinstance(target, Resource):
                bound: SubResource | EqBound
                if target in self.resources or (target not in introduced and self.find_resource(target)):
                    bound = EqBound(self.resource(target))  # declared already, here or outside
                else:
                    bound = SubResource()
                exported = emit(ExportDecl(ExternName(name), TypeExtern(bound)))
                # Uses refer to the resource by its first exported name, even when it is exported
                # again under another (`type trailers = fields` in wasi:http).
                if target not in self.exported_resources:
                    self.exported_resources.add(target)
                    self.resources[target] = exported
            elif name not in self.named:  # a nominal type may already be exported where first used
                index = self.define_named(name, target)
                self.values[target] = emit(ExportDecl(ExternName(name), TypeExtern(EqBound(index))))
        elif isinstance(export, FuncT):
            decls.append(ExportDecl(ExternName(name), FuncExtern(self.func(export))))
        elif isinstance(export, InstanceT):
            nested = self.emit(TypeDecl(self.instance_type(export)))
            decls.append(ExportDecl(ExternName(name), InstanceExtern(nested)))
        elif isinstance(export, ValueExternT):
            decls.append(ExportDecl(ExternName(name), ValueExtern(self.valtype(export.type))))
        else:
            kind = "component" if isinstance(export, ComponentT) else "core module"
            raise UnsupportedCompositionError(
                f"cannot encode the type of `{name}`: a {kind} inside an instance"
            )
