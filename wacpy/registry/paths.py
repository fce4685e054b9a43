"""Where wacpy keeps its registry config and its content cache (XDG base directories)."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec: a relative path in these variables is invalid and must be ignored.
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / "wacpy"


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/wacpy`` (default ``~/.config/wacpy``): config.toml, composed profiles."""
    return _xdg("XDG_CONFIG_HOME", ".config")


def config_path() -> Path:
    """The registry config file, ``config.toml`` in :func:`config_dir`."""
    return config_dir() / "config.toml"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/wacpy`` (default ``~/.cache/wacpy``): pulled content, by digest."""
    return _xdg("XDG_CACHE_HOME", ".cache")
