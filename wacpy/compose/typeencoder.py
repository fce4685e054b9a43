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
    ComponentDecl,
    ComponentExtern,
    ComponentType,
    CoreTypeDecl,
    DefValType,
    EnumType,
    EqBound,
    ExportAlias,
    ExportDecl,
    ExternName,
    ExternType,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    ImportDecl,
    InstanceDecl,
    InstanceExtern,
    InstanceType,
    LabeledValType,
    ListType,
    MapType,
    ModuleExtern,
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
from ..binary.ast.core_types import (
    AbstractHeapType,
    CompositeType,
    CoreExportDecl,
    CoreExternType,
    CoreFuncRef,
    CoreFuncType,
    CoreImport,
    CoreModuleType,
    CoreType,
    GlobalType,
    ModuleDecl,
    RecGroup,
    RefType,
    SubType,
    TableType,
    TagType,
)
from ..errors import UnsupportedCompositionError
from ..types.model import (
    BorrowT,
    ComponentT,
    CoreExternT,
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
    extern_name,
)

NOMINAL = (RecordT, VariantT, EnumT, FlagsT)


class _ComponentTypeWriter:
    """Writes one component type: its imports, then its exports, each item declared in order.

    Resources its imports introduce (``params``) are imported ``(sub resource)`` and those its
    exports introduce (``fresh``) exported so; a resource exported by an imported or exported
    instance is reached through an ``alias export`` of that instance, as a component does.
    """

    def __init__(self, parent: TypeScope, t: ComponentT) -> None:
        self.t = t
        self.decls: list[ComponentDecl] = []
        self.counts = {"type": 0, "core": 0, "instance": 0}
        self.exporting = False
        reserved = {**t.imports, **t.exports}
        self.scope = TypeScope(parent, self.emit_type, self.name_type, reserved, self.emit_core)
        self.scope.alias_export = self.alias_type

    def _add(self, decl: ComponentDecl, space: str | None) -> int:
        self.decls.append(decl)
        if space is None:
            return -1
        self.counts[space] += 1
        return self.counts[space] - 1

    def emit_type(self, decl: Any) -> int:
        return self._add(decl, "type")

    def emit_core(self, core: CoreType) -> int:
        return self._add(CoreTypeDecl(core), "core")

    def alias_type(self, instance: int, name: str) -> int:
        return self._add(AliasDecl(ExportAlias(Sort.TYPE, instance, name)), "type")

    def name_type(self, name: str, index: int) -> int:
        decl = ExportDecl if self.exporting else ImportDecl
        return self._add(decl(ExternName(name), TypeExtern(EqBound(index))), "type")

    def write(self) -> ComponentType:
        t = self.t
        for name, item in t.imports.items():
            self._item(extern_name(t.import_names, name), item, ImportDecl, t.params)
        self.exporting = True
        for name, item in t.exports.items():
            self._item(extern_name(t.export_names, name), item, ExportDecl, t.fresh)
        return ComponentType(tuple(self.decls))

    def _item(
        self, name: ExternName, item: ExternT, decl: type[ImportDecl | ExportDecl], new: tuple[Resource, ...]
    ) -> None:
        scope = self.scope
        if isinstance(item, TypeDefT):
            target = item.type
            if isinstance(target, Resource):
                known = target in scope.resources or (target not in new and scope.find_resource(target))
                bound = EqBound(scope.resource(target)) if known else SubResource()
                index = self._add(decl(name, TypeExtern(bound)), "type")
                scope.resources.setdefault(target, index)
            elif isinstance(target, FuncT | InstanceT | ComponentT):
                self._add(decl(name, TypeExtern(EqBound(scope.type_def(target)))), "type")
            else:
                defined = scope.define_named(name.name, target)
                scope.values[target] = self._add(decl(name, TypeExtern(EqBound(defined))), "type")
            return
        extern = scope.extern(item)
        if not isinstance(item, InstanceT):
            self._add(decl(name, extern), None)
            return
        instance = self._add(decl(name, extern), "instance")
        for export_name, export in item.exports.items():
            if isinstance(export, TypeDefT) and isinstance(export.type, Resource):
                if export.type not in scope.resources:
                    scope.resources[export.type] = self.alias_type(instance, export_name)
            elif isinstance(export, TypeDefT) and isinstance(export.type, NOMINAL):
                scope.importable.setdefault(export.type, (instance, export_name))


def module_type(t: ModuleT) -> CoreModuleType:
    """A core module type for ``t``: each function or tag type defined once, before its first use."""
    decls: list[ModuleDecl] = []
    types: dict[SubType, int] = {}

    def type_index(sub: SubType) -> int:
        if sub.supertypes or _names_core_types(sub.composite):
            raise UnsupportedCompositionError(
                "a core module type whose functions name other core types (GC types) cannot be written yet"
            )
        plain = SubType(sub.composite)
        if plain not in types:
            types[plain] = len(types)
            decls.append(RecGroup((plain,)))
        return types[plain]

    def core_extern(e: CoreExternT) -> CoreExternType:
        if isinstance(e, CoreFuncT):
            return CoreFuncRef(type_index(e.type))
        if isinstance(e, CoreTagT):
            return TagType(type_index(e.type))
        if isinstance(e, TableType) and not isinstance(e.element.heap, AbstractHeapType):
            raise UnsupportedCompositionError(
                "a core table of a concrete reference type cannot be written yet"
            )
        if isinstance(e, GlobalType) and _names_core_types_in(e.content):
            raise UnsupportedCompositionError(
                "a core global of a concrete reference type cannot be written yet"
            )
        return e

    for (module, name), imported in t.imports.items():
        decls.append(CoreImport(module, name, core_extern(imported)))
    for name, exported in t.exports.items():
        decls.append(CoreExportDecl(name, core_extern(exported)))
    return CoreModuleType(tuple(decls))


def _names_core_types_in(v: object) -> bool:
    return isinstance(v, RefType) and not isinstance(v.heap, AbstractHeapType)


def _names_core_types(c: CompositeType) -> bool:
    inner = c.inner
    if c.describes is not None or c.descriptor is not None or not isinstance(inner, CoreFuncType):
        return True
    return any(_names_core_types_in(v) for v in (*inner.params, *inner.results))


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
        emit_core: Callable[[CoreType], int] | None = None,
    ) -> None:
        self.parent = parent
        self.emit = emit
        self.name_type = name_type
        #: Appends a core type (a module type) to this scope's core type space; returns its index.
        self.emit_core = emit_core
        self.reserved: Mapping[str, ExternT] = reserved or {}
        self.named: set[str] = set()
        self.values: dict[ValueT, int] = {}
        self.funcs: dict[FuncT, int] = {}
        self.resources: dict[Resource, int] = {}
        self.exported_resources: set[Resource] = set()
        #: Each resource exported here by name -> (the resource, the index of that export).
        self.resource_exports: dict[str, tuple[Resource, int]] = {}
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

    # -- named types, component and module types --------------------------------------------
    def type_def(self, t: FuncT | InstanceT | ComponentT) -> int:
        """The index of a function, instance or component type (named by a type import or export)."""
        if isinstance(t, FuncT):
            return self.func(t)
        return self.emit(
            TypeDecl(self.instance_type(t) if isinstance(t, InstanceT) else self.component_type(t))
        )

    def extern(self, t: ExternT) -> ExternType:
        """What an import or export of an item of type ``t`` declares (not for type imports)."""
        if isinstance(t, FuncT):
            return FuncExtern(self.func(t))
        if isinstance(t, InstanceT | ComponentT):
            index = self.type_def(t)
            return InstanceExtern(index) if isinstance(t, InstanceT) else ComponentExtern(index)
        if isinstance(t, ValueExternT):
            return ValueExtern(self.valtype(t.type))
        if isinstance(t, ModuleT):
            if self.emit_core is None:
                raise UnsupportedCompositionError("a core module type where no core type can be written")
            return ModuleExtern(self.emit_core(module_type(t)))
        raise AssertionError("type imports and exports are written by their callers")

    def component_type(self, t: ComponentT) -> ComponentType:
        """A component type for ``t``, written in a new scope nested in this one."""
        return _ComponentTypeWriter(self, t).write()

    # -- instance types ----------------------------------------------------------------------
    def instance_type(self, t: InstanceT) -> InstanceType:
        """An instance type for ``t``, written in a new scope nested in this one."""
        decls: list[InstanceDecl] = []
        count = [0, 0]  # types, core types

        def emit(decl: Any) -> int:
            decls.append(decl)
            count[0] += 1
            return count[0] - 1

        def emit_core(core: CoreType) -> int:
            decls.append(CoreTypeDecl(core))
            count[1] += 1
            return count[1] - 1

        def name_type(name: str, index: int) -> int:
            return emit(ExportDecl(ExternName(name), TypeExtern(EqBound(index))))

        inner = TypeScope(self, emit, name_type, t.exports, emit_core)
        for name, export in t.exports.items():
            inner._export(name, export, t, decls, emit)
        return InstanceType(tuple(decls))

    def _export(
        self,
        name: str,
        export: ExternT,
        owner: InstanceT,
        decls: list[InstanceDecl],
        emit: Callable[[Any], int],
    ) -> None:
        introduced = owner.introduces
        written = extern_name(owner.names, name)
        if isinstance(export, TypeDefT):
            target = export.type
            if isinstance(target, FuncT | InstanceT | ComponentT):
                emit(ExportDecl(written, TypeExtern(EqBound(self.type_def(target)))))
            elif isinstance(target, Resource):
                bound: SubResource | EqBound
                if target in self.resources or (target not in introduced and self.find_resource(target)):
                    bound = EqBound(self.resource(target))  # declared already, here or outside
                else:
                    bound = SubResource()
                exported = emit(ExportDecl(written, TypeExtern(bound)))
                self.resource_exports[name] = (target, exported)
                # Uses refer to the resource by its first exported name, even when it is exported
                # again under another (`type trailers = fields` in wasi:http).
                if target not in self.exported_resources:
                    self.exported_resources.add(target)
                    self.resources[target] = exported
            elif name not in self.named:  # a nominal type may already be exported where first used
                index = self.define_named(name, target)
                self.values[target] = emit(ExportDecl(written, TypeExtern(EqBound(index))))
        else:
            decls.append(ExportDecl(written, self._extern_named_for(name, export)))

    def _extern_named_for(self, name: str, export: ExternT) -> ExternType:
        """``extern(export)``; for ``[constructor]R``, ``[method]R.m`` and ``[static]R.m`` of a
        resource also exported under another name, with its handles written by the name ``R`` (as
        validation requires), in caches of their own."""
        resource = _resource_of_function(name)
        named = self.resource_exports.get(resource) if resource is not None else None
        if named is None or self.resources.get(named[0]) == named[1]:
            return self.extern(export)
        target, index = named
        saved = self.resources[target], self.values, self.funcs
        self.resources[target], self.values, self.funcs = index, {}, {}
        try:
            return self.extern(export)
        finally:
            self.resources[target], self.values, self.funcs = saved


def _resource_of_function(name: str) -> str | None:
    """``R`` of a function named ``[constructor]R``, ``[method]R.m`` or ``[static]R.m``."""
    for prefix in ("[constructor]", "[method]", "[static]"):
        if name.startswith(prefix):
            return name[len(prefix) :].split(".")[0]
    return None
