"""The ``wacpy:mcp`` WIT package as user components see it: without the parts that need WASI.

``wit/mcp.wit`` ships inside wacpy (``wacpy/wit/mcp.wit``). Its ``context-factory`` interface uses
``wasi:io/streams``, and the ``transport`` and ``context-provider`` worlds need WASI too, so
resolving the whole package needs the WASI WIT packages, which no Python package ships. A user
component imports only ``types`` and ``context`` and exports capability interfaces, none of which
touch WASI: :func:`provider_wit` drops every top-level item that refers to ``wasi:`` or to an item
already dropped, and the rest resolves on its own. Interfaces keep their names and contents, so
components built against it compose with the framework components built against the whole package.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources as package_files

from attrs import frozen

__all__ = ["WitItem", "mcp_wit", "provider_wit", "split_items"]

_HEADER = re.compile(r"(interface|world)\s+(%?[a-z][a-z0-9-]*)\s*\{")


def mcp_wit() -> str:
    """The text of ``wit/mcp.wit`` as shipped in this installation."""
    return package_files.files("wacpy").joinpath("wit", "mcp.wit").read_text(encoding="utf-8")


@frozen
class WitItem:
    """One top-level item of a WIT file: its text (with the doc comments before it), its kind
    (``interface``, ``world`` or ``other``), its name, and its code without comments."""

    text: str
    kind: str
    name: str
    code: str


def _code_and_ends(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, character)`` of the code of ``text``, comments left out."""
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        else:
            yield i, text[i]
            i += 1


def split_items(text: str) -> list[WitItem]:
    """The top-level items of a WIT file, in order; their texts concatenate to ``text``."""
    items: list[WitItem] = []
    start, depth, code = 0, 0, []
    for offset, char in _code_and_ends(text):
        code.append(char)
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == 0 and char in "};":
            end = text.find("\n", offset)
            end = len(text) if end < 0 else end + 1
            item_code = "".join(code)
            header = _HEADER.search(item_code)
            kind, name = (header.group(1), header.group(2).lstrip("%")) if header else ("other", "")
            items.append(WitItem(text[start:end], kind, name, item_code))
            start, code = end, []
    if text[start:].strip():
        items.append(WitItem(text[start:], "other", "", "".join(code)))
    elif start < len(text):
        items.append(WitItem(text[start:], "other", "", ""))
    return items


def _refers_to(code: str, name: str) -> bool:
    return re.search(rf"(?<![\w:/-])%?{re.escape(name)}(?![\w-])", code) is not None


def provider_wit(text: str | None = None) -> str:
    """``text`` (default: the shipped ``mcp.wit``) without the items that need WASI.

    >>> wit = provider_wit()
    >>> "interface tools {" in wit, "interface context-factory" in wit, "wasi:" in wit
    (True, False, False)
    """
    items = split_items(mcp_wit() if text is None else text)
    dropped: set[str] = set()
    changed = True
    while changed:
        changed = False
        for item in items:
            if item.kind == "other" or item.name in dropped:
                continue
            body = item.code[item.code.index("{") :]
            if "wasi:" in body or any(_refers_to(body, d) for d in dropped if d != item.name):
                dropped.add(item.name)
                changed = True
    kept = [i.text for i in items if i.kind == "other" or i.name not in dropped]
    return "".join(kept)
