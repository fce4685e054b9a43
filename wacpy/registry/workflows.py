"""What the CLI does with specs: resolve them, compose, record the inputs, pin them; push and pull.

The composition library (:mod:`wacpy.compose`, :mod:`wacpy.mcp`) takes bytes and paths only;
these functions are the layer between it and component specs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attrs import frozen

from ..compose import compose, load_graph
from ..errors import RegistryError, SpecError
from ..mcp import compose_handler, compose_server
from ..mcp.server import OnDuplicate, Store, Transport
from ._atomic import atomic_write
from .config import DEFAULT_NAMESPACES, RegistryConfig, load_config
from .lock import LOCK_NAME
from .paths import config_dir
from .provenance import record_inputs
from .resolve import ResolvedComponent, Resolver
from .spec import NameSpec, PackageSpec, PathSpec, Reference, ReferenceSpec, parse_spec

if TYPE_CHECKING:
    from .oci import PushResult

DEFAULT_SERVER_OUTPUT = "mcp-server.wasm"


@frozen
class Fetch:
    """How registry content is fetched: ``offline`` (cache only), ``locked`` (refuse drift from
    the lock file) and ``lock`` (the lock file; by default chosen per command)."""

    offline: bool = False
    locked: bool = False
    lock: Path | None = None


@frozen
class Composed:
    data: bytes
    output: Path
    inputs: tuple[ResolvedComponent, ...]
    lock: Path | None  # the lock file written, if any


def profile_output_path(config: RegistryConfig, profile: str) -> Path:
    """Where ``compose server PROFILE`` writes without ``-o``: the profile's output (relative:
    under the config folder's ``composed/``), else ``composed/PROFILE.wasm``."""
    output = Path(config.profile_output(profile) or f"{profile}.wasm").expanduser()
    return output if output.is_absolute() else config_dir() / "composed" / output


def _resolver(fetch: Fetch, config: RegistryConfig | None) -> Resolver:
    return Resolver(
        config if config is not None else load_config(), offline=fetch.offline, locked=fetch.locked
    )


def _use_lock(resolver: Resolver, fetch: Fetch, default: Path) -> None:
    """Point ``resolver`` at the lock file: ``fetch.lock``, else ``default``."""
    resolver.use_lock(fetch.lock or default)


def _default_lock(resolver: Resolver) -> Path:
    """Beside the profile (in the config folder) when one was used, else in the current folder."""
    return (config_dir() if resolver.profile is not None else Path.cwd()) / LOCK_NAME


def _overrides(resolver: Resolver, overrides: Mapping[str, str]) -> dict[str, bytes]:
    return {name: resolver.resolve(spec).data for name, spec in overrides.items()}


def _finish(resolver: Resolver, data: bytes, output: Path) -> Composed:
    inputs = tuple(resolver.resolved)
    changed = resolver.finish()
    return Composed(record_inputs(data, inputs), output, inputs, resolver.lock_path if changed else None)


def server_from_specs(
    specs: Sequence[str],
    *,
    output: str | None = None,
    transport: Transport = "both",
    overrides: Mapping[str, str] | None = None,
    validate: bool = True,
    fetch: Fetch = Fetch(),
    config: RegistryConfig | None = None,
    on_duplicate: OnDuplicate = "warn",
    dedup: bool = True,
    store: Store = "none",
) -> Composed:
    """An MCP server from specs; without ``output``, a profile's output (or ``mcp-server.wasm``)."""
    resolver = _resolver(fetch, config)
    expanded = resolver.expand(specs)
    _use_lock(resolver, fetch, _default_lock(resolver))
    components = resolver.resolve_all(expanded)
    data = compose_server(
        [c.data for c in components],
        transport=transport,
        overrides=_overrides(resolver, overrides or {}),
        validate=validate,
        labels=[c.label for c in components],
        on_duplicate=on_duplicate,
        dedup=dedup,
        store=store,
    )
    if output is not None:
        target = Path(output)
    elif resolver.profile is not None:
        target = profile_output_path(resolver.config, resolver.profile)
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target = Path(DEFAULT_SERVER_OUTPUT)
    return _finish(resolver, data, target)


def handler_from_specs(
    specs: Sequence[str],
    *,
    output: str,
    overrides: Mapping[str, str] | None = None,
    validate: bool = True,
    fetch: Fetch = Fetch(),
    config: RegistryConfig | None = None,
    dedup: bool = True,
) -> Composed:
    """A reusable handler sub-chain from specs."""
    resolver = _resolver(fetch, config)
    expanded = resolver.expand(specs)
    _use_lock(resolver, fetch, _default_lock(resolver))
    components = resolver.resolve_all(expanded)
    data = compose_handler(
        [c.data for c in components],
        overrides=_overrides(resolver, overrides or {}),
        validate=validate,
        labels=[c.label for c in components],
        dedup=dedup,
    )
    return _finish(resolver, data, Path(output))


def plug_from_specs(
    root: str,
    plugs: Sequence[str],
    *,
    output: str,
    validate: bool = True,
    fetch: Fetch = Fetch(),
    config: RegistryConfig | None = None,
) -> Composed:
    """``root``'s imports satisfied by ``plugs``' exports, all given as specs."""
    resolver = _resolver(fetch, config)
    expanded = resolver.expand(plugs)
    _use_lock(resolver, fetch, _default_lock(resolver))
    root_component = resolver.resolve(root)
    plug_components = resolver.resolve_all(expanded)
    data = compose(root_component.data, [p.data for p in plug_components], validate=validate)
    return _finish(resolver, data, Path(output))


def graph_from_file(
    path: str | Path,
    *,
    output: str,
    validate: bool = True,
    fetch: Fetch = Fetch(),
    config: RegistryConfig | None = None,
) -> Composed:
    """The composition a graph file describes, its ``[components]`` given as specs; the lock file
    is ``wacpy.lock`` beside the graph file."""
    path = Path(path)
    resolver = _resolver(fetch, config)
    _use_lock(resolver, fetch, path.parent / LOCK_NAME)
    graph = load_graph(path, components=resolver.component_bytes)
    return _finish(resolver, graph.encode(validate=validate), Path(output))


# --------------------------------------------------------------------------------------------------
# Push and pull


def registry_reference(spec: str, config: RegistryConfig | None = None) -> tuple[str, Reference]:
    """The OCI reference a registry spec (or an alias of one) names, and the spec it ends at."""
    config = config if config is not None else load_config()
    parsed = parse_spec(spec)
    terminal = spec
    if isinstance(parsed, NameSpec):
        terminal = config.alias_chain(parsed.name)[-1]
        parsed = parse_spec(terminal)
    if isinstance(parsed, ReferenceSpec):
        return terminal, parsed.reference
    if isinstance(parsed, PackageSpec):
        return terminal, config.package_reference(parsed)
    what = "a file path" if isinstance(parsed, PathSpec) else "not an alias of a registry spec"
    raise SpecError(f"`{spec}` is {what}: expected namespace:name@version or host[:port]/repository:tag")


def push_file(path: str | Path, spec: str, *, config: RegistryConfig | None = None) -> PushResult:
    """Push a component file to the registry ``spec`` names (which needs a version or tag)."""
    _, reference = registry_reference(spec, config)
    if reference.tag is None:
        raise SpecError(f"`{spec}`: give a version to push to (namespace:name@version)")
    from .oci import OciClient

    return OciClient().push(Path(path), reference)


def pull_to_file(
    spec: str, output: str | None = None, *, fetch: Fetch = Fetch(), config: RegistryConfig | None = None
) -> tuple[Path, ResolvedComponent]:
    """Pull a registry spec through the cache and write the component to ``output`` (atomically;
    default ``LABEL.wasm``)."""
    resolver = _resolver(fetch, config)
    registry_reference(spec, resolver.config)  # refuses paths and profiles with a clear message
    component = resolver.resolve(spec)
    target = Path(output or f"{component.label}.wasm")
    try:
        atomic_write(target, component.data)
    except OSError as err:
        raise RegistryError(f"cannot write {target}: {err.strerror or err}") from None
    return target, component


def describe(config: RegistryConfig, *, components: bool = True, profiles: bool = True) -> list[str]:
    """The lines ``wacpy registry info`` prints: aliases, profiles (with what they expand to) and
    namespace registries."""
    lines = [f"config: {config.path}"]
    if components:
        lines.append("components:" if config.components else "components: none")
        lines += [f"  {name} = {spec}" for name, spec in sorted(config.components.items())]
    if profiles:
        lines.append("profiles:" if config.profiles else "profiles: none")
        for name, profile in sorted(config.profiles.items()):
            base = f" (base {profile.base})" if profile.base else ""
            output = profile_output_path(config, name)
            lines.append(f"  {name}{base} -> {output}")
            lines.append(f"    {' '.join(config.profile_components(name))}")
    if components:
        namespaces = {**DEFAULT_NAMESPACES, **config.namespaces}
        lines.append("namespaces:")
        lines += [f"  {ns} = {target}" for ns, target in sorted(namespaces.items())]
    return lines
