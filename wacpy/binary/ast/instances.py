"""Core and component instance definitions."""

from __future__ import annotations

from attrs import frozen

from .common import CoreSortIndex, ExternName, SortIndex


@frozen
class CoreInstantiateArg:
    """``(with "name" (instance i))``."""

    name: str
    instance: int


@frozen
class CoreInstantiate:
    module: int
    args: tuple[CoreInstantiateArg, ...]


@frozen
class CoreInlineExport:
    name: str
    item: CoreSortIndex


@frozen
class CoreInlineExports:
    exports: tuple[CoreInlineExport, ...]


CoreInstance = CoreInstantiate | CoreInlineExports


@frozen
class InstantiateArg:
    name: str
    item: SortIndex


@frozen
class Instantiate:
    component: int
    args: tuple[InstantiateArg, ...]


@frozen
class InlineExport:
    name: ExternName
    item: SortIndex


@frozen
class InlineExports:
    exports: tuple[InlineExport, ...]


Instance = Instantiate | InlineExports
