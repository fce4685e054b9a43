"""TOML text parsed with :mod:`tomllib`, errors naming the file and line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The document in ``text`` (read from ``path``); a syntax error is a one-line
    :class:`ConfigError` ``PATH:LINE: not valid TOML: ...``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _POSITION.search(message)
        where = f"{path}:{found[1]}" if found else str(path)
        reason = _POSITION.sub("", message).strip()
        raise ConfigError(f"{where}: not valid TOML: {reason[:1].lower()}{reason[1:]}") from None


def read_text(path: Path) -> str | None:
    """The text of ``path``, or ``None`` when there is no such file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text (byte offset {err.start})") from None
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
