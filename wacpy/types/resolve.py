"""Resolve a decoded component's index spaces into model types for its imports and exports.

A :class:`Scope` follows the definitions of one component, component type or instance type in order,
keeping one list per index space. Core index spaces other than types and modules are not needed to
type imports and exports, so they are not tracked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from ..binary.ast import (
    Alias,
    AliasDecl,
    AliasSection,
    BorrowType,
    CanonLift,
    CanonSection,
    Component,
    ComponentDecl,
    ComponentExtern,
    ComponentSection,
    ComponentType,
    CoreExportAlias,
    CoreExportDecl,
    CoreFuncRef,
    CoreImport,
    CoreModule,
    CoreModuleSection,
    CoreModuleType,
    CoreOuterAlias,
    CoreTypeDecl,
    CoreTypeSection,
    DefType,
    EnumType,
    EqBound,
    Export,
    ExportAlias,
    ExportDecl,
    ExportSection,
    ExternName,
    ExternType,
    FixedListType,
    FlagsType,
    FuncExtern,
    FuncType,
    FutureType,
    ImportDecl,
    ImportSection,
    InlineExports,
    InstanceExtern,
    InstanceSection,
    InstanceType,
    Instantiate,
    ListType,
    MapType,
    ModuleExtern,
    NameForm,
    OptionType,
    OuterAlias,
    OwnType,
    PrimValType,
    RecGroup,
    RecordType,
    ResourceType,
    ResultType,
    Sort,
    SortIndex,
    StartSection,
    StreamType,
    SubType,
    TupleType,
    TypeDecl,
    TypeExtern,
    TypeSection,
    ValType,
    ValueExtern,
    ValueSection,
    VariantType,
)
from ..binary.ast.core_types import CoreExternType, TagType
from ..binary.modules import module_info
from ..errors import ComponentTypeError, TypeMismatchError
from .model import (
    UNNAMED_RESOURCE,
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
    Use,
    ValueExternT,
    ValueT,
    VariantT,
    extern_sort,
)
from .substitute import freshen, substitute
from .subtype import check_subtype

_NO_NAMES: Mapping[str, ExternName] = {}
#: What a component-level type index can hold.
TypeEntry = ValueT | FuncT | InstanceT | ComponentT | Resource
T = TypeVar("T")


def component_type(component: Component, memo: dict[Any, Any] | None = None) -> ComponentT:
    """The type of a decoded component: its imports and exports as model types.

    ``memo`` (a dict the caller keeps) reuses the types of nested components shared between the
    ASTs it has seen (see ``decode``'s memo) when they alias nothing from outside themselves.
    """
    return _resolve_component(component, Scope(None, memo))


def _at(space: list[T], index: int, what: str) -> T:
    if not 0 <= index < len(space):
        raise ComponentTypeError(f"{what} index {index} is out of bounds ({len(space)} defined)")
    return space[index]


def _named(t: ValueT, name: str) -> ValueT:
    return t if isinstance(t, PrimValType) else attrs.evolve(t, name=name)


def _type_named(t: TypeEntry, name: str) -> TypeEntry:
    """A type as an import or export named ``name`` makes it: resources and value types take the
    name (for messages); function, instance and component types are anonymous structures."""
    if isinstance(t, Resource):
        return t.named(name)
    if isinstance(t, FuncT | InstanceT | ComponentT):
        return t
    return _named(t, name)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


#: How errors name the items of each sort.
_SORT_WHAT: dict[Sort, str] = {s: s.name.lower().replace("_", " ") for s in Sort}


class Scope:
    """The index spaces of one component, component type or instance type."""

    def __init__(self, parent: Scope | None, memo: dict[Any, Any] | None = None) -> None:
        self.parent = parent
        #: Types of closed definitions by AST node (see :func:`component_type`), shared by nested scopes.
        self.memo: dict[Any, Any] | None = memo if parent is None else parent.memo
        #: Whether an outer alias reached out of this scope: then its types depend on the parents.
        self.escaped = False
        self.types: list[TypeEntry] = []
        self.core_types: list[SubType | ModuleT] = []
        self.funcs: list[FuncT] = []
        self.instances: list[InstanceT] = []
        self.components: list[ComponentT] = []
        self.modules: list[ModuleT | CoreModule] = []  # a module's type is read only when needed
        self.values: list[ValueT] = []
        self.introduced: list[Resource] = []
        #: Instance index -> the name it is imported as (for :attr:`origins`).
        self.instance_names: dict[int, str] = {}
        #: Type index -> the imported interface export it is (see ``InstanceT.uses``).
        self.origins: dict[int, Use] = {}
        #: Import and export names that carry attributes (see ``InstanceT.names``); rare, so
        #: shared empty mappings until :meth:`keep_name` meets one.
        self.import_names: Mapping[str, ExternName] = _NO_NAMES
        self.export_names: Mapping[str, ExternName] = _NO_NAMES
        #: The tracked index spaces by sort (the lists above).
        self.spaces: dict[Sort, list[Any]] = {
            Sort.TYPE: self.types,
            Sort.FUNC: self.funcs,
            Sort.INSTANCE: self.instances,
            Sort.COMPONENT: self.components,
            Sort.CORE_MODULE: self.modules,
            Sort.VALUE: self.values,
            Sort.CORE_TYPE: self.core_types,
        }

    # -- lookups -----------------------------------------------------------------------------
    def type_at(self, index: int) -> TypeEntry:
        return _at(self.types, index, "type")

    def valtype(self, v: ValType) -> ValueT:
        if isinstance(v, PrimValType):
            return v
        entry = self.type_at(v)
        if isinstance(entry, FuncT | InstanceT | ComponentT | Resource):
            raise ComponentTypeError(f"type index {v} is not a value type")
        return entry

    def resource_at(self, index: int) -> Resource:
        entry = self.type_at(index)
        if not isinstance(entry, Resource):
            raise ComponentTypeError(f"type index {index} is not a resource type")
        return entry

    def space(self, sort: Sort) -> list[Any] | None:
        """The list for an index space, or None for core spaces that are not tracked."""
        return self.spaces.get(sort)

    def outer(self, count: int) -> Scope:
        scope: Scope | None = self
        for _ in range(count):
            if scope is None:
                break  # stop at once: a count may be as large as a u32
            scope.escaped = True
            scope = scope.parent
        if scope is None:
            raise ComponentTypeError(f"outer alias count {count} reaches past the outermost scope")
        return scope

    def reused(self, node: object) -> Any:
        """What :meth:`remember` kept for the AST ``node``, or None."""
        seen = None if self.memo is None else self.memo.get(id(node))
        return seen[1] if seen is not None and seen[0] is node else None

    def remember(self, node: object, inner: Scope, value: object) -> None:
        """Keep the type of ``node`` (resolved in ``inner``) unless it reached out of ``inner``."""
        if self.memo is not None and not inner.escaped:
            self.memo[id(node)] = (node, value)  # the node is kept so that its id is not reused

    def item_type(self, item: SortIndex) -> ExternT:
        """The type of an item named by a sort index, as an extern type."""
        space = self.space(item.sort)
        if space is None or item.sort is Sort.CORE_TYPE:
            raise ComponentTypeError(f"cannot export or pass an item of sort {item.sort.name.lower()}")
        entry = _at(space, item.index, _SORT_WHAT[item.sort])
        if isinstance(entry, CoreModule):
            entry = module_type(entry)
        if item.sort is Sort.TYPE:
            return TypeDefT(entry)
        if item.sort is Sort.VALUE:
            return ValueExternT(entry)
        extern: ExternT = entry
        return extern

    def keep_name(self, name: ExternName, exporting: bool) -> None:
        """Remember a name with attributes, to write it back as it was."""
        if name.attributes:
            kept = ExternName(name.name, name.attributes, NameForm.WITH_ATTRIBUTES)
            if exporting:
                self.export_names = {**self.export_names, name.name: kept}
            else:
                self.import_names = {**self.import_names, name.name: kept}

    def append(self, sort: Sort, entry: object) -> None:
        space = self.space(sort)
        if space is not None:
            space.append(entry)

    # -- definitions -------------------------------------------------------------------------
    def deftype(self, d: DefType) -> TypeEntry:
        if isinstance(d, PrimValType):
            return d
        resolve = _DEFTYPES.get(type(d))
        if resolve is not None:
            return resolve(self, d)
        assert isinstance(d, ComponentType)
        return _resolve_component_type(d, self)

    def extern(self, extern: ExternType, name: str) -> ExternT:
        """The type an import or export declaration names; introduces new abstract resources."""
        if isinstance(extern, TypeExtern):
            if isinstance(extern.bound, EqBound):
                return TypeDefT(_type_named(self.type_at(extern.bound.type_index), name))
            resource = Resource(name)
            self.introduced.append(resource)
            return TypeDefT(resource)
        if isinstance(extern, FuncExtern):
            func = self.type_at(extern.type_index)
            if not isinstance(func, FuncT):
                raise ComponentTypeError(f"`{name}`: type index {extern.type_index} is not a function type")
            return func
        if isinstance(extern, InstanceExtern):
            instance = self.type_at(extern.type_index)
            if not isinstance(instance, InstanceT):
                raise ComponentTypeError(f"`{name}`: type index {extern.type_index} is not an instance type")
            fresh = freshen(instance)
            self.introduced += fresh.introduces
            return fresh
        if isinstance(extern, ComponentExtern):
            comp = self.type_at(extern.type_index)
            if not isinstance(comp, ComponentT):
                raise ComponentTypeError(f"`{name}`: type index {extern.type_index} is not a component type")
            return comp
        if isinstance(extern, ModuleExtern):
            module = _at(self.core_types, extern.type_index, "core type")
            if not isinstance(module, ModuleT):
                raise ComponentTypeError(
                    f"`{name}`: core type index {extern.type_index} is not a module type"
                )
            return module
        assert isinstance(extern, ValueExtern)
        return ValueExternT(self.valtype(extern.type))

    def declare(self, sort_of: ExternType, t: ExternT) -> None:
        """Give an imported or exported item its new index."""
        if isinstance(t, TypeDefT):
            self.types.append(t.type)
        elif isinstance(t, ValueExternT):
            self.values.append(t.type)
        else:
            self.append(_EXTERN_SORTS[type(sort_of)], t)

    def alias(self, alias: Alias) -> None:
        if isinstance(alias, CoreExportAlias):  # the most common: core index spaces are not tracked
            if alias.sort is Sort.CORE_MODULE:
                raise ComponentTypeError("aliasing a core module out of a core instance is not supported")
        elif isinstance(alias, OuterAlias):
            outer = self.outer(alias.count)
            space = outer.space(alias.sort)
            if space is None:
                raise ComponentTypeError(f"outer alias of sort {alias.sort.name.lower()} is not supported")
            if alias.sort is Sort.TYPE and alias.index in outer.origins:
                self.origins[len(self.types)] = outer.origins[alias.index]
            self.append(alias.sort, _at(space, alias.index, f"outer {alias.sort.name.lower()}"))
        else:
            assert isinstance(alias, ExportAlias)
            instance = _at(self.instances, alias.instance, "instance")
            export = instance.exports.get(alias.name)
            if export is None:
                raise ComponentTypeError(f"instance {alias.instance} has no export `{alias.name}`")
            if extern_sort(export) is not alias.sort:
                found, wanted = _SORT_WHAT[extern_sort(export)], _SORT_WHAT[alias.sort]
                raise ComponentTypeError(
                    f"export `{alias.name}` of instance {alias.instance} is {_a(found)}, "
                    f"but an alias takes it as {_a(wanted)}"
                )
            if isinstance(export, TypeDefT):
                interface = self.instance_names.get(alias.instance)
                if interface is not None:
                    self.origins[len(self.types)] = Use(interface, alias.name, instance)
                self.types.append(export.type)
            elif isinstance(export, ValueExternT):
                self.values.append(export.type)
            else:
                self.append(alias.sort, export)

    def core_type(self, t: RecGroup | CoreModuleType) -> None:
        if isinstance(t, RecGroup):
            self.core_types.extend(t.types)
        else:
            self.core_types.append(_resolve_module_type(t, self))


def _func_type(scope: Scope, d: FuncType) -> FuncT:
    context_free = _names_only_primitives(d)
    if context_free:
        reused: FuncT | None = scope.reused(d)
        if reused is not None:
            return reused
    valtype = scope.valtype
    params = tuple((p.label, valtype(p.type)) for p in d.params)
    func = FuncT(params, None if d.result is None else valtype(d.result), d.is_async)
    memo = scope.memo
    if memo is None or not _primitive_only(func):
        return func
    # Names no other type, so it is the same in every scope: one object per graph for equal types
    # (interned by value), which later subtype checks pass by identity.
    interned: FuncT = memo.setdefault(("func", func.params, func.result, func.is_async), func)
    if context_free:  # a type index may name another type in another component sharing ``d``
        scope.remember(d, scope, interned)
    return interned


def _primitive_only(func: FuncT) -> bool:
    return all(isinstance(t, PrimValType) for _, t in func.params) and isinstance(
        func.result, PrimValType | None
    )


def _names_only_primitives(d: FuncType) -> bool:
    """Whether the definition spells out primitive types only (no type index): then its type is
    the same wherever the node is shared."""
    return all(type(p.type) is PrimValType for p in d.params) and (
        d.result is None or type(d.result) is PrimValType
    )


def _record(scope: Scope, d: RecordType) -> RecordT:
    return RecordT(tuple((f.label, scope.valtype(f.type)) for f in d.fields))


def _variant(scope: Scope, d: VariantType) -> VariantT:
    return VariantT(tuple((c.label, None if c.type is None else scope.valtype(c.type)) for c in d.cases))


def _list(scope: Scope, d: ListType | FixedListType) -> ListT:
    return ListT(scope.valtype(d.element), d.length if isinstance(d, FixedListType) else None)


def _result(scope: Scope, d: ResultType) -> ResultT:
    ok = None if d.ok is None else scope.valtype(d.ok)
    return ResultT(ok, None if d.err is None else scope.valtype(d.err))


def _stream(scope: Scope, d: StreamType | FutureType) -> StreamT | FutureT:
    element = None if d.element is None else scope.valtype(d.element)
    return StreamT(element) if isinstance(d, StreamType) else FutureT(element)


def _resource(scope: Scope, _: ResourceType) -> Resource:
    resource = Resource(UNNAMED_RESOURCE)
    scope.introduced.append(resource)
    return resource


#: How :meth:`Scope.deftype` resolves each kind of type definition (component types: the rest).
_DEFTYPES: dict[type[Any], Callable[[Scope, Any], TypeEntry]] = {
    FuncType: _func_type,
    InstanceType: lambda scope, d: _resolve_instance_type(d, scope),
    RecordType: _record,
    VariantType: _variant,
    ListType: _list,
    FixedListType: _list,
    TupleType: lambda scope, d: TupleT(tuple(scope.valtype(t) for t in d.types)),
    FlagsType: lambda _, d: FlagsT(d.labels),
    EnumType: lambda _, d: EnumT(d.labels),
    OptionType: lambda scope, d: OptionT(scope.valtype(d.type)),
    ResultType: _result,
    OwnType: lambda scope, d: OwnT(scope.resource_at(d.type_index)),
    BorrowType: lambda scope, d: BorrowT(scope.resource_at(d.type_index)),
    StreamType: _stream,
    FutureType: _stream,
    MapType: lambda scope, d: MapT(scope.valtype(d.key), scope.valtype(d.value)),
    ResourceType: _resource,
}


_EXTERN_SORTS: dict[type[Any], Sort] = {
    FuncExtern: Sort.FUNC,
    InstanceExtern: Sort.INSTANCE,
    ComponentExtern: Sort.COMPONENT,
    ModuleExtern: Sort.CORE_MODULE,
    TypeExtern: Sort.TYPE,
    ValueExtern: Sort.VALUE,
}


# -- component and instance types ------------------------------------------------------------
def _resolve_decl(
    scope: Scope,
    decl: ComponentDecl,
    exports: dict[str, ExternT],
    imports: dict[str, ExternT] | None,
    uses: dict[str, Use] | None = None,
) -> None:
    if isinstance(decl, CoreTypeDecl):
        scope.core_type(decl.type)
    elif isinstance(decl, TypeDecl):
        scope.types.append(scope.deftype(decl.type))
    elif isinstance(decl, AliasDecl):
        scope.alias(decl.alias)
    else:
        assert isinstance(decl, ExportDecl | ImportDecl)
        name = decl.name.name
        extern = decl.type
        t = scope.extern(extern, name)
        exporting = type(decl) is ExportDecl
        if exporting and scope.origins and type(extern) is TypeExtern and uses is not None:
            bound = extern.bound
            if type(bound) is EqBound and bound.type_index in scope.origins:
                uses[name] = scope.origins[bound.type_index]
        scope.declare(extern, t)
        target = exports if exporting else imports
        assert target is not None
        target[name] = t
        if decl.name.attributes:
            scope.keep_name(decl.name, exporting)
        if not exporting and type(t) is InstanceT:
            scope.instances[-1] = t
            scope.instance_names[len(scope.instances) - 1] = name  # its types are that interface's


def _resolve_instance_type(d: InstanceType, parent: Scope) -> InstanceT:
    reused: InstanceT | None = parent.reused(d)
    if reused is not None:
        return reused
    scope = Scope(parent)
    exports: dict[str, ExternT] = {}
    uses: dict[str, Use] = {}
    for decl in d.decls:
        _resolve_decl(scope, decl, exports, None, uses)
    instance = InstanceT(exports, tuple(scope.introduced), scope.export_names, uses)
    if not instance.introduces:  # resources are new in each use: only resource-free types are shared
        parent.remember(d, scope, instance)
    return instance


def _resolve_component_type(d: ComponentType, parent: Scope) -> ComponentT:
    reused: ComponentT | None = parent.reused(d)
    if reused is not None:
        return reused
    scope = Scope(parent)
    imports: dict[str, ExternT] = {}
    exports: dict[str, ExternT] = {}
    params: list[Resource] = []
    fresh: list[Resource] = []
    for decl in d.decls:
        before = len(scope.introduced)
        _resolve_decl(scope, decl, exports, imports)
        (params if isinstance(decl, ImportDecl) else fresh).extend(scope.introduced[before:])
    component = ComponentT(
        imports, exports, tuple(params), tuple(fresh), scope.import_names, scope.export_names
    )
    if not params and not fresh:
        parent.remember(d, scope, component)
    return component


# -- core module types -----------------------------------------------------------------------
def _core_extern(t: CoreExternType, types: list[SubType | ModuleT]) -> CoreExternT:
    if isinstance(t, CoreFuncRef | TagType):
        func = _at(types, t.type_index, "core type")
        if not isinstance(func, SubType):
            raise ComponentTypeError(f"core type index {t.type_index} is not a function type")
        return CoreFuncT(func) if isinstance(t, CoreFuncRef) else CoreTagT(func)
    return t


def _resolve_module_type(t: CoreModuleType, parent: Scope) -> ModuleT:
    types: list[SubType | ModuleT] = []
    imports: dict[tuple[str, str], CoreExternT] = {}
    exports: dict[str, CoreExternT] = {}
    for decl in t.decls:
        if isinstance(decl, RecGroup):
            types.extend(decl.types)
        elif isinstance(decl, CoreOuterAlias):
            types.append(_at(parent.outer(decl.count - 1).core_types, decl.index, "outer core type"))
        elif isinstance(decl, CoreImport):
            imports[(decl.module, decl.name)] = _core_extern(decl.type, types)
        else:
            assert isinstance(decl, CoreExportDecl)
            exports[decl.name] = _core_extern(decl.type, types)
    return ModuleT(imports, exports)


def module_type(module: CoreModule) -> ModuleT:
    """The type of a core module, from its lazily read interface."""
    info = module_info(module)
    types: list[SubType | ModuleT] = list(info.types)
    imports = {(i.module, i.name): _core_extern(i.type, types) for i in info.imports}
    exports = {e.name: _core_extern(info.export_type(e), types) for e in info.exports}
    return ModuleT(imports, exports)


# -- components ------------------------------------------------------------------------------
def instantiate(component: ComponentT, args: Mapping[str, ExternT], *, where: str = "") -> InstanceT:
    """The instance that instantiating ``component`` with ``args`` produces (arguments type-checked)."""
    mapping: dict[Resource, Resource] = {}
    for name, expected in component.imports.items():
        arg = args.get(name)
        if arg is None:
            raise ComponentTypeError(f"{where}missing instantiation argument `{name}`")
        try:
            check_subtype(arg, expected, bindable=component.params, mapping=mapping, path=[name])
        except TypeMismatchError as err:
            raise ComponentTypeError(f"{where}argument {err}") from err
    if not mapping and not component.fresh:  # nothing to substitute: the exports as declared
        return _name_resources(InstanceT(dict(component.exports), names=component.export_names))
    mapping.update({r: Resource(r.name) for r in component.fresh})
    exports = {n: substitute(t, mapping) for n, t in component.exports.items()}
    return _name_resources(InstanceT(exports, names=component.export_names))


def _name_resources(instance: InstanceT) -> InstanceT:
    """Name still-unnamed resources after the type exports that carry them."""
    for name, export in instance.exports.items():
        if isinstance(export, TypeDefT) and isinstance(export.type, Resource):
            export.type.named(name)
    return instance


def _ascribe(actual: ExternT, ascribed: ExternType, scope: Scope, name: str) -> ExternT:
    declared_before = len(scope.introduced)
    expected = scope.extern(ascribed, name)
    abstract = scope.introduced[declared_before:]
    del scope.introduced[declared_before:]
    try:
        mapping = check_subtype(actual, expected, bindable=abstract, path=[name])
    except TypeMismatchError as err:
        raise ComponentTypeError(f"export {err}") from err
    return substitute(expected, mapping)


_SectionHandler = Callable[[Scope, Any, dict[str, ExternT], dict[str, ExternT]], None]


def _imports(
    scope: Scope, section: ImportSection, imports: dict[str, ExternT], _: dict[str, ExternT]
) -> None:
    for imp in section.imports:
        t = scope.extern(imp.type, imp.name.name)
        scope.declare(imp.type, t)
        if type(t) is InstanceT:  # its types are that interface's (see ``Scope.origins``)
            scope.instance_names[len(scope.instances) - 1] = imp.name.name
        imports[imp.name.name] = t
        if imp.name.attributes:
            scope.keep_name(imp.name, False)


def _exports(
    scope: Scope, section: ExportSection, _: dict[str, ExternT], exports: dict[str, ExternT]
) -> None:
    for export in section.exports:
        name = export.name.name
        t = scope.item_type(export.item)
        if export.type is not None:
            t = _ascribe(t, export.type, scope, name)
        if isinstance(t, TypeDefT):
            t = TypeDefT(_type_named(t.type, name))
        scope.declare(_sort_extern(export), t)
        exports[name] = t
        if export.name.attributes:
            scope.keep_name(export.name, True)


#: An extern type of each exportable sort (only its kind matters to :meth:`Scope.declare`).
_SORT_EXTERNS: dict[Sort, ExternType] = {
    Sort.FUNC: FuncExtern(0),
    Sort.INSTANCE: InstanceExtern(0),
    Sort.COMPONENT: ComponentExtern(0),
    Sort.CORE_MODULE: ModuleExtern(0),
    Sort.TYPE: TypeExtern(EqBound(0)),
    Sort.VALUE: ValueExtern(PrimValType.BOOL),
}


def _sort_extern(export: Export) -> ExternType:
    return _SORT_EXTERNS[export.item.sort]


def _instances(
    scope: Scope, section: InstanceSection, _i: dict[str, ExternT], _e: dict[str, ExternT]
) -> None:
    for instance in section.instances:
        if isinstance(instance, Instantiate):
            component = _at(scope.components, instance.component, "component")
            args = {a.name: scope.item_type(a.item) for a in instance.args}
            try:
                scope.instances.append(instantiate(component, args))
            except ComponentTypeError as err:  # the message is built only when needed
                raise ComponentTypeError(f"instance {len(scope.instances)}: {err}") from err
        else:
            assert isinstance(instance, InlineExports)
            names = {
                e.name.name: ExternName(e.name.name, e.name.attributes, e.name.form) for e in instance.exports
            }
            scope.instances.append(
                InstanceT(
                    {e.name.name: scope.item_type(e.item) for e in instance.exports},
                    names={n: x for n, x in names.items() if x.attributes},
                )
            )


def _canons(scope: Scope, section: CanonSection, _i: dict[str, ExternT], _e: dict[str, ExternT]) -> None:
    for canon in section.functions:
        if isinstance(canon, CanonLift):
            func = scope.type_at(canon.type_index)
            if not isinstance(func, FuncT):
                raise ComponentTypeError(f"canon lift: type index {canon.type_index} is not a function type")
            scope.funcs.append(func)


def _aliases(scope: Scope, section: AliasSection, _i: dict[str, ExternT], _e: dict[str, ExternT]) -> None:
    for alias in section.aliases:
        scope.alias(alias)


def _core_module(
    scope: Scope, section: CoreModuleSection, _i: dict[str, ExternT], _e: dict[str, ExternT]
) -> None:
    scope.modules.append(section.module)  # typed only if exported: see Scope.item_type


def _types(scope: Scope, section: TypeSection, _i: dict[str, ExternT], _e: dict[str, ExternT]) -> None:
    scope.types.extend(scope.deftype(t) for t in section.types)


def _core_types(
    scope: Scope, section: CoreTypeSection, _i: dict[str, ExternT], _e: dict[str, ExternT]
) -> None:
    for core in section.types:
        scope.core_type(core)


def _components(
    scope: Scope, section: ComponentSection, _i: dict[str, ExternT], _e: dict[str, ExternT]
) -> None:
    scope.components.append(_resolve_nested(section, scope))


def _values(scope: Scope, section: ValueSection, _i: dict[str, ExternT], _e: dict[str, ExternT]) -> None:
    scope.values.extend(scope.valtype(v.type) for v in section.values)


def _start(scope: Scope, section: StartSection, _i: dict[str, ExternT], _e: dict[str, ExternT]) -> None:
    func = _at(scope.funcs, section.start.func, "function")
    if func.result is not None and section.start.results:
        scope.values.append(func.result)


def _resolve_component(component: Component, scope: Scope) -> ComponentT:
    imports: dict[str, ExternT] = {}
    exports: dict[str, ExternT] = {}
    handlers = _HANDLERS
    for section in component.sections:
        handler = handlers.get(type(section))
        if handler is not None:  # the rest (custom sections, core instances) adds no types
            handler(scope, section, imports, exports)
    if not scope.introduced:  # no resources at all (most small components)
        return ComponentT(imports, exports, (), (), scope.import_names, scope.export_names)
    params = [r for t in imports.values() for r in _introduced_by(t, scope)]
    fresh = [r for r in scope.introduced if r not in params]
    return ComponentT(
        imports,
        exports,
        tuple(dict.fromkeys(params)),
        tuple(fresh),
        scope.import_names,
        scope.export_names,
    )


def _introduced_by(t: ExternT, scope: Scope) -> list[Resource]:
    if isinstance(t, InstanceT):
        return list(t.introduces)
    if isinstance(t, TypeDefT) and isinstance(t.type, Resource) and t.type in scope.introduced:
        return [t.type]
    return []


def _resolve_nested(section: ComponentSection, parent: Scope) -> ComponentT:
    inner = section.component
    if not isinstance(inner, Component):
        from ..binary import decode

        inner = decode(inner)
    reused: ComponentT | None = parent.reused(inner)
    if reused is not None:
        return reused
    scope = Scope(parent)
    ctype = _resolve_component(inner, scope)
    parent.remember(inner, scope, ctype)
    return ctype


#: What each kind of section adds to a component's index spaces, imports and exports.
_HANDLERS: dict[type[Any], _SectionHandler] = {
    AliasSection: _aliases,
    CoreModuleSection: _core_module,
    TypeSection: _types,
    ImportSection: _imports,
    ExportSection: _exports,
    InstanceSection: _instances,
    CanonSection: _canons,
    CoreTypeSection: _core_types,
    ComponentSection: _components,
    ValueSection: _values,
    StartSection: _start,
}
