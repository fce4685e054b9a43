"""Subtype checks between model types, binding abstract resources as they are met.

Follows wasm-tools' rules: an instance may export more than expected; function and value types must
match exactly (names included); resources match by identity, except that a resource in ``bindable``
(an import parameter of the component being instantiated) is bound to the first resource it meets.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ..binary.ast.core_types import GlobalType, MemoryType, TableType
from ..binary.ast.types import PrimValType
from ..errors import TypeMismatchError
from .model import (
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
)
from .wit_text import describe_extern, describe_value


def check_subtype(
    actual: ExternT,
    expected: ExternT,
    *,
    bindable: Collection[Resource] = (),
    mapping: dict[Resource, Resource] | None = None,
    path: list[str] | None = None,
) -> dict[Resource, Resource]:
    """Raise :class:`TypeMismatchError` unless ``actual`` can stand where ``expected`` is required.

    Returns the resource bindings made (``mapping``, updated in place when given).
    """
    if not bindable and not mapping and actual == expected:
        return {} if mapping is None else mapping  # equal types, nothing to bind: the common case
    checker = _Checker(set(bindable), {} if mapping is None else mapping)
    checker.extern(actual, expected, list(path or []))
    return checker.mapping


class _Checker:
    def __init__(self, bindable: set[Resource], mapping: dict[Resource, Resource]) -> None:
        self.bindable = bindable
        self.mapping = mapping

    def fail(self, path: list[str], message: str) -> TypeMismatchError:
        return TypeMismatchError(path, message)

    def resource(self, actual: Resource, expected: Resource, path: list[str]) -> None:
        bound = self.mapping.get(expected)
        if bound is None and expected in self.bindable:
            self.mapping[expected] = actual
            return
        target = expected if bound is None else bound
        if target is not actual:
            raise self.fail(
                path, f"expected resource {target.name}, found resource {actual.name} (a different resource)"
            )

    def extern(self, a: ExternT, e: ExternT, path: list[str]) -> None:
        if a is e and not self.bindable and not self.mapping:
            return  # a type is a subtype of itself when nothing binds and nothing is bound
        if isinstance(e, InstanceT) and isinstance(a, InstanceT):
            self.instance(a, e, path)
        elif isinstance(e, FuncT) and isinstance(a, FuncT):
            self.func(a, e, path)
        elif isinstance(e, TypeDefT) and isinstance(a, TypeDefT):
            self.type_def(a, e, path)
        elif isinstance(e, ValueExternT) and isinstance(a, ValueExternT):
            self.value(a.type, e.type, path)
        elif isinstance(e, ComponentT) and isinstance(a, ComponentT):
            self.component(a, e, path)
        elif isinstance(e, ModuleT) and isinstance(a, ModuleT):
            self.module(a, e, path)
        else:
            raise self.fail(path, f"expected {describe_extern(e)}, found {describe_extern(a)}")

    def type_def(self, a: TypeDefT, e: TypeDefT, path: list[str]) -> None:
        """Named types: resources by identity, value types by structure, function, instance and
        component types by subtyping (as wasm-tools compares ``(type (eq i))`` bounds)."""
        at, et = a.type, e.type
        if isinstance(et, Resource) and isinstance(at, Resource):
            self.resource(at, et, path)
        elif isinstance(et, _TYPE_KINDS) or isinstance(at, _TYPE_KINDS):
            if type(at) is not type(et):
                raise self.fail(path, f"expected {describe_extern(e)}, found {describe_extern(a)}")
            self.extern(at, et, path)  # type: ignore[arg-type]
        elif isinstance(et, Resource) or isinstance(at, Resource):
            raise self.fail(path, f"expected {describe_extern(e)}, found {describe_extern(a)}")
        else:
            self.value(at, et, path)

    def instance(self, a: InstanceT, e: InstanceT, path: list[str]) -> None:
        for name, expected in e.exports.items():
            actual = a.exports.get(name)
            if actual is None:
                raise self.fail(path, f"missing export `{name}`")
            self.extern(actual, expected, [*path, name])

    def component(self, a: ComponentT, e: ComponentT, path: list[str]) -> None:
        # e's imports must satisfy a's imports; then a's exports must satisfy e's exports.
        inner = _Checker(set(a.params), dict(self.mapping))
        for name, a_import in a.imports.items():
            e_import = e.imports.get(name)
            if e_import is None:
                raise self.fail(path, f"unexpected import `{name}`")
            inner.extern(e_import, a_import, [*path, f"import {name}"])
        outer = _Checker(set(e.fresh) | self.bindable, self.mapping)
        from .substitute import substitute

        for name, e_export in e.exports.items():
            a_export = a.exports.get(name)
            if a_export is None:
                raise self.fail(path, f"missing export `{name}`")
            outer.extern(substitute(a_export, inner.mapping), e_export, [*path, name])

    def module(self, a: ModuleT, e: ModuleT, path: list[str]) -> None:
        """``a`` may import less and export more; what an import needs is checked the other way
        round (the provider of ``e``'s imports must satisfy ``a``'s)."""
        for key, a_import in a.imports.items():
            e_import = e.imports.get(key)
            where = [*path, f"core import `{key[0]}` `{key[1]}`"]
            if e_import is None:
                raise self.fail(where, "not among the imports expected")
            _check_core_extern(e_import, a_import, where, self.fail)
        for name, e_export in e.exports.items():
            a_export = a.exports.get(name)
            if a_export is None:
                raise self.fail(path, f"missing core export `{name}`")
            _check_core_extern(a_export, e_export, [*path, f"core export `{name}`"], self.fail)

    def func(self, a: FuncT, e: FuncT, path: list[str]) -> None:
        if a.is_async != e.is_async:
            kind = ("async", "sync") if e.is_async else ("sync", "async")
            raise self.fail(path, f"expected {kind[0]} function, found {kind[1]} function")
        if len(a.params) != len(e.params):
            raise self.fail(path, f"expected {len(e.params)} parameters, found {len(a.params)}")
        for (an, at), (en, et) in zip(a.params, e.params, strict=True):
            if an != en:
                raise self.fail(path, f"expected parameter named `{en}`, found `{an}`")
            if at is not et:  # the same object (a primitive, a shared definition) always matches
                self.value(at, et, [*path, f"param {an}"])
        if (a.result is None) != (e.result is None):
            raise self.fail(
                path, "expected a result, found none" if a.result is None else "expected no result, found one"
            )
        if a.result is not e.result and a.result is not None and e.result is not None:
            self.value(a.result, e.result, [*path, "result"])

    def value(self, a: ValueT, e: ValueT, path: list[str]) -> None:
        if a is e:
            return
        if isinstance(e, PrimValType) or isinstance(a, PrimValType) or type(a) is not type(e):
            if a != e:
                raise self.mismatch(a, e, path)
            return
        if not self._same_shape(a, e, path):
            raise self.mismatch(a, e, path)

    def mismatch(self, a: ValueT, e: ValueT, path: list[str]) -> TypeMismatchError:
        return self.fail(path, f"expected {describe_value(e)}, found {describe_value(a)}")

    def _same_shape(self, a: ValueT, e: ValueT, path: list[str]) -> bool:
        """Compare two value types of the same class; False for a mismatch at this level."""
        if isinstance(e, RecordT) and isinstance(a, RecordT):
            return self.labelled(a.fields, e.fields, path, "field")
        if isinstance(e, VariantT) and isinstance(a, VariantT):
            return self.labelled(a.cases, e.cases, path, "case")
        if isinstance(e, ListT) and isinstance(a, ListT):
            if a.length != e.length:
                return False
            self.value(a.element, e.element, [*path, "element"])
        elif isinstance(e, OptionT) and isinstance(a, OptionT):
            self.value(a.type, e.type, [*path, "some"])
        elif isinstance(e, TupleT) and isinstance(a, TupleT):
            if len(a.types) != len(e.types):
                return False
            for i, (at, et) in enumerate(zip(a.types, e.types, strict=True)):
                self.value(at, et, [*path, f"tuple field {i}"])
        elif isinstance(e, FlagsT | EnumT) and isinstance(a, FlagsT | EnumT):
            return a.labels == e.labels
        elif isinstance(e, ResultT) and isinstance(a, ResultT):
            return self.optional(a.ok, e.ok, [*path, "ok"]) and self.optional(a.err, e.err, [*path, "err"])
        elif isinstance(e, OwnT | BorrowT) and isinstance(a, OwnT | BorrowT):
            self.resource(a.resource, e.resource, path)
        elif isinstance(e, StreamT | FutureT) and isinstance(a, StreamT | FutureT):
            return self.optional(a.element, e.element, [*path, "element"])
        elif isinstance(e, MapT) and isinstance(a, MapT):
            self.value(a.key, e.key, [*path, "key"])
            self.value(a.value, e.value, [*path, "value"])
        return True

    def labelled(
        self,
        a: tuple[tuple[str, ValueT | None], ...],
        e: tuple[tuple[str, ValueT | None], ...],
        path: list[str],
        what: str,
    ) -> bool:
        if len(a) != len(e) or any(an != en for (an, _), (en, _) in zip(a, e, strict=True)):
            return False
        return all(
            self.optional(at, et, [*path, f'{what} "{name}"'])
            for (name, at), (_, et) in zip(a, e, strict=True)
        )

    def optional(self, a: ValueT | None, e: ValueT | None, path: list[str]) -> bool:
        """Compare optional parts; False when exactly one is present."""
        if a is None or e is None:
            return a is None and e is None
        self.value(a, e, path)
        return True


#: Types that an import or export may name and that are compared by subtyping, not structure.
_TYPE_KINDS = (FuncT, InstanceT, ComponentT)


def _check_core_extern(
    a: CoreExternT, e: CoreExternT, path: list[str], fail: Callable[[list[str], str], TypeMismatchError]
) -> None:
    """Core subtyping as wasm-tools applies it between module types: function and tag types
    match, tables and memories may be larger (limits), globals match exactly."""
    if isinstance(a, CoreFuncT | CoreTagT) and type(a) is type(e):
        assert isinstance(e, CoreFuncT | CoreTagT)
        if a.type.composite != e.type.composite:
            raise fail(path, "function types differ")
    elif isinstance(a, TableType) and isinstance(e, TableType):
        if (a.element, a.shared, a.table64) != (e.element, e.shared, e.table64):
            raise fail(path, "table element types, shared flags or index types differ")
        _check_limits(a, e, path, fail, "table")
    elif isinstance(a, MemoryType) and isinstance(e, MemoryType):
        if (a.shared, a.memory64, a.page_size_log2 or 16) != (e.shared, e.memory64, e.page_size_log2 or 16):
            raise fail(path, "memory shared flags, index types or page sizes differ")
        _check_limits(a, e, path, fail, "memory")
    elif isinstance(a, GlobalType) and isinstance(e, GlobalType):
        if a != e:
            raise fail(path, "global types differ (content type and mutability must match)")
    else:
        raise fail(path, f"expected a core {_core_kind(e)}, found a core {_core_kind(a)}")


def _check_limits(
    a: TableType | MemoryType,
    e: TableType | MemoryType,
    path: list[str],
    fail: Callable[[list[str], str], TypeMismatchError],
    what: str,
) -> None:
    """At least ``e``'s minimum, and a maximum no larger than ``e``'s when ``e`` has one."""
    if a.minimum < e.minimum or (e.maximum is not None and (a.maximum is None or a.maximum > e.maximum)):
        raise fail(path, f"{what} limits {_limits(a)} do not fit {_limits(e)}")


def _limits(t: TableType | MemoryType) -> str:
    return f"{t.minimum}.." + ("" if t.maximum is None else str(t.maximum))


def _core_kind(t: CoreExternT) -> str:
    return {CoreFuncT: "func", CoreTagT: "tag", TableType: "table", MemoryType: "memory"}.get(
        type(t), "global"
    )
