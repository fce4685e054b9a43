"""The ``wacpy:mcp`` WIT package as user components see it.

``wit/mcp.wit`` holds what an author needs (the shared types, ``context`` and the capability
interfaces with their ``*-provider`` worlds) and nothing that needs WASI, so it resolves on its own;
the framework's own interfaces and worlds are in ``wit/framework.wit``, which user builds never
read. The package ships a copy, ``wacpy/wit/mcp.wit`` (kept equal by ``python -m testkit.cbindgen``).
Components built against it compose with the framework components built against the whole package:
the interfaces are the same.
"""

from __future__ import annotations

from importlib import resources as package_files

__all__ = ["mcp_wit", "provider_wit"]


def mcp_wit() -> str:
    """The text of ``wit/mcp.wit`` as shipped in this installation."""
    return package_files.files("wacpy").joinpath("wit", "mcp.wit").read_text(encoding="utf-8")


def provider_wit() -> str:
    """The WIT user components are built against: the shipped ``mcp.wit``, which needs no WASI.

    >>> wit = provider_wit()
    >>> "interface tools {" in wit, "interface context-factory" in wit, "wasi:" in wit
    (True, False, False)
    """
    return mcp_wit()
