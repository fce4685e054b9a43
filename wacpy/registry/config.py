"""The registry config file: component aliases, profiles and namespace registries.

.. code-block:: toml

    [components]                     # alias = spec (a path, an OCI spec or another alias)
    calc = "/home/me/calc.wasm"
    strings = "acme:string-tools@1.0.0"

    [profiles.dev]                   # a saved list of specs, and where `compose server dev` writes
    components = ["calc", "strings"]
    output = "dev.wasm"              # relative: under the config folder's composed/

    [profiles.prod]
    base = "dev"                     # inherits dev's components, which come first
    components = ["monitor"]

    [namespaces]                     # namespace = registry host[:port] and repository prefix
    acme = "127.0.0.1:5000/acme"     # acme:calc@1.0.0 -> 127.0.0.1:5000/acme/calc:1.0.0

It is read with :mod:`tomllib` and edited with :mod:`tomlkit` (so the user's comments and layout
survive), under a file lock, re-read inside the lock and replaced atomically: concurrent edits
lose nothing, and a failed edit leaves the file as it was. A file that does not parse is never
overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import tomlkit
from attrs import frozen

from ..errors import AliasCycleError, ConfigError, ProfileCycleError, SpecError
from ._atomic import atomic_write, locked
from ._toml import parse_toml, read_text
from .paths import config_path
from .spec import NameSpec, PackageSpec, PathSpec, Reference, check_name, package_reference, parse_spec

#: Namespaces with a registry even when the config names none (the seed's packages live there).
DEFAULT_NAMESPACES: Mapping[str, str] = {"wasmcp": "ghcr.io/wasmcp"}
_TOP_LEVEL = ("components", "profiles", "namespaces")
_PROFILE_KEYS = ("components", "output", "base")


@frozen
class Profile:
    """A saved list of component specs; its base's components come first."""

    name: str
    components: tuple[str, ...]
    output: str | None = None
    base: str | None = None


@frozen
class RegistryConfig:
    """The parsed config file (empty when the file does not exist)."""

    path: Path
    components: Mapping[str, str]
    profiles: Mapping[str, Profile]
    namespaces: Mapping[str, str]

    def registry_for(self, namespace: str) -> str | None:
        """``host[:port][/prefix]`` of ``namespace``: the config's, else a built-in default."""
        return self.namespaces.get(namespace, DEFAULT_NAMESPACES.get(namespace))

    def package_reference(self, spec: PackageSpec) -> Reference:
        """Where ``namespace:name@version`` lives: its namespace's registry, then the name."""
        prefix = self.registry_for(spec.namespace)
        if prefix is None:
            raise SpecError(
                f"`{spec}`: no registry for namespace `{spec.namespace}`; map it with "
                f"`wacpy registry namespace add {spec.namespace} HOST[:PORT][/PREFIX]`"
            )
        return package_reference(spec, prefix)

    def alias_chain(self, name: str) -> list[str]:
        """``name`` and the aliases it leads to, ending at the first spec that is not an alias.

        Raises :class:`AliasCycleError` with the cycle when the chain comes back to itself.
        """
        chain = [name]
        while chain[-1] in self.components:
            target = self.components[chain[-1]]
            if target in chain:
                raise AliasCycleError([*chain[chain.index(target) :], target])
            chain.append(target)
        return chain

    def profile_line(self, name: str) -> list[Profile]:
        """The profile ``name`` and its bases, the root base first; refuses base cycles."""
        line = self._base_line(name)
        missing = next((n for n in line if n not in self.profiles), None)
        if missing is not None:
            index = line.index(missing)
            base_of = f" (the base of `{line[index - 1]}`)" if index else ""
            raise SpecError(f"no profile named `{missing}`{base_of}")
        return [self.profiles[n] for n in reversed(line)]

    def _base_line(self, name: str) -> list[str]:
        """``name`` and its bases in order, up to a missing one; raises :class:`ProfileCycleError`."""
        line = [name]
        while line[-1] in self.profiles:
            base = self.profiles[line[-1]].base
            if base is None:
                break
            if base in line:
                raise ProfileCycleError([*line[line.index(base) :], base])
            line.append(base)
        return line

    def check_cycles(self) -> None:
        """Raise on an alias or profile-base cycle (dangling names are left to resolution)."""
        for alias in self.components:
            self.alias_chain(alias)
        for profile in self.profiles:
            self._base_line(profile)

    def profile_components(self, name: str) -> list[str]:
        """Every spec of profile ``name``, inherited ones first."""
        return [spec for profile in self.profile_line(name) for spec in profile.components]

    def profile_output(self, name: str) -> str | None:
        """The output of ``name``, or of its nearest base that names one."""
        return next((p.output for p in reversed(self.profile_line(name)) if p.output), None)

    def users_of(self, name: str) -> list[str]:
        """What refers to alias or profile ``name``: aliases, profiles listing it, profiles based on it."""
        users = [f"alias `{a}`" for a, target in self.components.items() if target == name and a != name]
        for profile in self.profiles.values():
            if profile.base == name:
                users.append(f"profile `{profile.name}` (its base)")
            elif name in profile.components:
                users.append(f"profile `{profile.name}`")
        return users


# --------------------------------------------------------------------------------------------------
# Reading


def _line_of(text: str, table: str, key: str | None) -> int | None:
    """The line (1-based) where ``key`` is set in ``[table]`` (or the table's header); best effort."""
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    line_key = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=') if key else None
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if header.match(line):
            if line_key is None:
                return number
            in_table = True
        elif line.lstrip().startswith("["):
            in_table = False
        elif in_table and line_key is not None and line_key.match(line):
            return number
    return None


class _Checker:
    """Type checks for one file, each error naming the file, the line and the key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, table: str, key: str | None, message: str) -> ConfigError:
        line = _line_of(self.text, table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        dotted = f"{table}.{key}" if key else table
        return ConfigError(f"{where}: {dotted}: {message}")

    def table(self, doc: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = doc.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, None, "expected a table")
        return value

    def string(self, value: Any, table: str, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(table, key, "expected a string")
        return value

    def name(self, name: str, table: str, what: str) -> str:
        try:
            check_name(name, what)
        except SpecError as err:
            raise self.fail(table, name, str(err)) from None
        return name


def _profile(check: _Checker, name: str, value: Any) -> Profile:
    table = f"profiles.{name}"
    if not isinstance(value, dict):
        raise check.fail("profiles", name, "expected a table")
    unknown = sorted(set(value) - set(_PROFILE_KEYS))
    if unknown:
        raise check.fail(table, unknown[0], f"unknown key (expected {', '.join(_PROFILE_KEYS)})")
    components = value.get("components", [])
    if not isinstance(components, list) or not all(isinstance(c, str) for c in components):
        raise check.fail(table, "components", "expected a list of strings")
    output = value.get("output")
    base = value.get("base")
    return Profile(
        name,
        tuple(components),
        None if output is None else check.string(output, table, "output"),
        None if base is None else check.string(base, table, "base"),
    )


def parse_config(path: Path, text: str) -> RegistryConfig:
    """Parse config text; every error is a :class:`ConfigError` naming ``path`` and the line."""
    doc = parse_toml(path, text)
    check = _Checker(path, text)
    unknown = sorted(set(doc) - set(_TOP_LEVEL))
    if unknown:
        raise check.fail(unknown[0], None, f"unknown table (expected {', '.join(_TOP_LEVEL)})")
    components = {
        check.name(name, "components", "alias"): check.string(spec, "components", name)
        for name, spec in check.table(doc, "components").items()
    }
    profiles = {
        check.name(name, "profiles", "profile"): _profile(check, name, value)
        for name, value in check.table(doc, "profiles").items()
    }
    namespaces = {
        name: check.string(target, "namespaces", name)
        for name, target in check.table(doc, "namespaces").items()
    }
    both = sorted(set(components) & set(profiles))
    if both:
        raise check.fail("components", both[0], "is both an alias and a profile")
    return RegistryConfig(path, components, profiles, namespaces)


def load_config(path: Path | None = None) -> RegistryConfig:
    """The config at ``path`` (default :func:`~wacpy.registry.paths.config_path`); a missing file is
    an empty config."""
    path = path or config_path()
    text = read_text(path)
    return parse_config(path, text or "")


# --------------------------------------------------------------------------------------------------
# Editing


def edit_config(
    path: Path | None, change: Callable[[RegistryConfig, tomlkit.TOMLDocument], None]
) -> RegistryConfig:
    """Apply ``change`` to the config under its lock: it gets the current config (to check against)
    and the document (to edit); the result is checked as a whole, then written atomically."""
    path = path or config_path()
    with locked(path):
        text = read_text(path) or ""
        current = parse_config(path, text)
        doc = tomlkit.parse(text)
        change(current, doc)
        new_text = tomlkit.dumps(doc)
        updated = parse_config(path, new_text)
        updated.check_cycles()
        try:
            atomic_write(path, new_text.encode())
        except OSError as err:
            raise ConfigError(f"cannot write {path}: {err.strerror or err}") from None
    return updated


def _table(doc: tomlkit.TOMLDocument, name: str, *, super_table: bool = False) -> Any:
    if name not in doc:
        doc.add(name, tomlkit.table(is_super_table=super_table))
    return doc[name]


def _stored_spec(spec: str, base_dir: Path) -> str:
    """A spec as saved: paths made absolute (and checked to exist), the rest as written."""
    parsed = parse_spec(spec)
    if not isinstance(parsed, PathSpec):
        return spec
    path = (base_dir / Path(parsed.path).expanduser()).resolve()
    if not path.is_file():
        raise SpecError(f"`{spec}`: no such file ({path})")
    return str(path)


def add_component(
    name: str, spec: str, *, path: Path | None = None, base_dir: Path | None = None
) -> RegistryConfig:
    """Save alias ``name`` for ``spec``: a path (stored absolute), an OCI spec or another alias."""
    check_name(name, "alias")
    stored = _stored_spec(spec, base_dir or Path.cwd())

    def change(current: RegistryConfig, doc: tomlkit.TOMLDocument) -> None:
        if name in current.profiles:
            raise SpecError(f"`{name}` is already a profile; aliases and profiles share one namespace")
        if isinstance(parse_spec(stored), NameSpec) and stored != name:
            if stored in current.profiles:
                raise SpecError(f"`{stored}` is a profile; an alias names one component")
            if stored not in current.components:
                raise SpecError(f"`{stored}` is not a file, an OCI spec or a known alias")
        _table(doc, "components")[name] = stored

    return edit_config(path, change)


def _remove(table: str, name: str, what: str, force: bool, path: Path | None) -> RegistryConfig:
    def change(current: RegistryConfig, doc: tomlkit.TOMLDocument) -> None:
        existing = current.components if table == "components" else current.profiles
        if name not in existing:
            raise SpecError(f"no {what} named `{name}`")
        users = current.users_of(name)
        if users and not force:
            raise SpecError(
                f"{what} `{name}` is used by {', '.join(users)}; pass --force to remove it anyway"
            )
        del doc[table][name]

    return edit_config(path, change)


def remove_component(name: str, *, force: bool = False, path: Path | None = None) -> RegistryConfig:
    """Delete alias ``name``; refuses while an alias or profile refers to it, unless ``force``."""
    return _remove("components", name, "alias", force, path)


def add_profile(
    name: str,
    specs: list[str],
    *,
    output: str | None = None,
    base: str | None = None,
    path: Path | None = None,
    base_dir: Path | None = None,
) -> RegistryConfig:
    """Save (or replace) profile ``name``: ``specs`` in order, after those of ``base``."""
    check_name(name, "profile")
    if not specs and base is None:
        raise SpecError(f"profile `{name}` needs at least one component or a base")
    stored = [_stored_spec(spec, base_dir or Path.cwd()) for spec in specs]

    def change(current: RegistryConfig, doc: tomlkit.TOMLDocument) -> None:
        if name in current.components:
            raise SpecError(f"`{name}` is already an alias; aliases and profiles share one namespace")
        if base is not None and base not in current.profiles:
            raise SpecError(f"no profile named `{base}` to use as the base of `{name}`")
        entry = tomlkit.table()
        if base is not None:
            entry["base"] = base
        entry["components"] = stored
        if output is not None:
            entry["output"] = output
        _table(doc, "profiles", super_table=True)[name] = entry

    return edit_config(path, change)


def remove_profile(name: str, *, force: bool = False, path: Path | None = None) -> RegistryConfig:
    """Delete profile ``name``; refuses while another profile inherits from it, unless ``force``."""
    return _remove("profiles", name, "profile", force, path)


def add_namespace(namespace: str, registry: str, *, path: Path | None = None) -> RegistryConfig:
    """Map ``namespace`` (of ``namespace:name@version`` specs) to ``host[:port][/prefix]``."""
    if parse_spec(f"{namespace}:x") != PackageSpec(namespace, "x"):
        raise SpecError(f"namespace `{namespace}` is not lower-case kebab-case")
    package_reference(PackageSpec(namespace, "x", "1"), registry)  # checks the registry's form

    def change(current: RegistryConfig, doc: tomlkit.TOMLDocument) -> None:
        _table(doc, "namespaces")[namespace] = registry

    return edit_config(path, change)


def remove_namespace(namespace: str, *, path: Path | None = None) -> RegistryConfig:
    """Forget the registry of ``namespace``."""

    def change(current: RegistryConfig, doc: tomlkit.TOMLDocument) -> None:
        if namespace not in current.namespaces:
            raise SpecError(f"no registry is set for namespace `{namespace}`")
        del doc["namespaces"][namespace]

    return edit_config(path, change)
