"""Alias definitions: items reached through an instance export or an enclosing scope."""

from __future__ import annotations

from attrs import frozen

from .common import Sort


@frozen
class ExportAlias:
    """``(alias export i "name" (sort))`` from a component instance."""

    sort: Sort
    instance: int
    name: str


@frozen
class CoreExportAlias:
    """``(alias core export i "name" (core sort))`` from a core instance."""

    sort: Sort
    instance: int
    name: str


@frozen
class OuterAlias:
    """``(alias outer count index (sort))`` from an enclosing scope."""

    sort: Sort
    count: int
    index: int


Alias = ExportAlias | CoreExportAlias | OuterAlias
