"""TOML files whose errors name the line: ``tomllib`` keeps no positions, so a small scan of the
text finds the line of a key from its table and name.

>>> doc = TomlText("a.toml", 'x = 1\\n[[item]]\\nname = "a"\\n[[item]]\\nnmae = "b"\\n', {})
>>> doc.line_of(("item", 1), "nmae"), doc.line_of((), "x"), doc.line_of(("other",), "y")
(5, 1, None)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .errors import WacpyError

__all__ = ["TomlText", "load_toml"]

TablePath = tuple[str | int, ...]
_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY_PART = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*(\.)?')


def _key_parts(dotted: str) -> list[str]:
    """``a."b.c".d`` as ``["a", "b.c", "d"]`` (quotes removed; escapes are left as written)."""
    parts, at = [], 0
    while at < len(dotted):
        match = _KEY_PART.match(dotted, at)
        if match is None:
            break
        parts.append(match.group(1).strip("\"'"))
        at = match.end()
        if match.group(2) is None:
            break
    return parts


def _key_pattern(key: str) -> str:
    quoted = re.escape(key)
    return rf"(?:(?<![\w-]){quoted}(?![\w-])|\"{quoted}\"|'{quoted}')\s*[=.]"


@frozen
class TomlText:
    """A parsed TOML file with its text, to say on which line a key is."""

    path: str | Path
    text: str
    data: dict[str, Any]

    def _tables(self) -> Iterator[tuple[TablePath, int, int]]:
        """``(table path, first line, end line)`` of each table (1-based, end exclusive); the
        top-level table first. ``[[name]]`` tables are ``(name, index)``."""
        lines = self.text.splitlines()
        counts: dict[tuple[str, ...], int] = {}
        path: TablePath = ()
        start = 1
        for number, line in enumerate(lines, 1):
            header = _HEADER.match(line)
            if header is None:
                continue
            yield path, start, number
            names = tuple(_key_parts(header.group(2)))
            if header.group(1) == "[[":
                index = counts.get(names, 0)
                counts[names] = index + 1
                path = (*names, index)
            else:
                path = names
            start = number
        yield path, start, len(lines) + 1

    def line_of(self, table: Sequence[str | int], key: str) -> int | None:
        """The line of ``key`` in ``table``: a key of the table itself, else one written inside an
        inline table of it, else the header of a table ``[table.key]`` or ``[[table.key]]``;
        ``None`` when the scan cannot tell."""
        lines = self.text.splitlines()
        tables = list(self._tables())
        wanted = tuple(table)
        for path, start, end in tables:
            if path != wanted:
                continue
            region = range(start + (1 if path else 0), end)
            for pattern in (rf"^\s*{_key_pattern(key)}", _key_pattern(key)):
                for number in region:
                    if re.search(pattern, lines[number - 1]):
                        return number
            break
        for path, start, _ in tables:
            if path and path[: len(wanted) + 1] == (*wanted, key):
                return start
        return None

    def at(self, table: Sequence[str | int], key: str) -> str:
        """``FILE:LINE`` of a key (``FILE`` alone when its line is unknown), for error messages."""
        line = self.line_of(table, key)
        return f"{self.path}:{line}" if line is not None else str(self.path)

    def check_keys(
        self,
        value: Mapping[str, Any],
        allowed: Iterable[str],
        table: Sequence[str | int],
        where: str,
        error: type[WacpyError],
    ) -> None:
        """``error`` naming the first key of ``value`` not in ``allowed``, with its line."""
        names = list(allowed)
        for key in value:
            if key not in names:
                label = f"{where}: " if where else ""
                raise error(
                    f"{self.at(table, key)}: {label}unknown key `{key}` (expected {', '.join(names)})"
                )


def load_toml(path: str | Path, error: type[WacpyError]) -> TomlText:
    """The TOML file ``path`` parsed; ``error`` when it cannot be read or is not valid TOML."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise error(f"cannot read {path}: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise error(f"{path}: not valid TOML: not UTF-8 text ({err.reason} at byte {err.start})") from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{path}: not valid TOML: {err}") from err
    return TomlText(path, text, data)
