"""Component specs beyond paths: aliases, profiles and OCI packages (``wacpy registry``, ``wacpy pkg``).

* :mod:`.config`: the config file (aliases, profiles, namespace registries), edited under a lock;
* :mod:`.spec`: what a spec is (path, alias or profile name, ``ns:name@version``, OCI reference);
* :mod:`.resolve`: the one resolver every command and graph file uses;
* :mod:`.oci`: push and pull Wasm OCI artifacts through ``oras``;
* :mod:`.cache`: content by digest under ``$XDG_CACHE_HOME/wacpy``; :mod:`.lock`: ``wacpy.lock``;
* :mod:`.provenance`: what went into a composed component; :mod:`.workflows`: the commands' work.
"""

from .cache import ContentCache
from .config import (
    Profile,
    RegistryConfig,
    add_component,
    add_namespace,
    add_profile,
    load_config,
    remove_component,
    remove_namespace,
    remove_profile,
)
from .lock import LOCK_NAME, Pin, read_lock
from .provenance import recorded_inputs, recorded_inputs_of
from .resolve import ResolvedComponent, Resolver
from .spec import Reference, parse_reference, parse_spec
from .workflows import (
    Composed,
    Fetch,
    describe,
    graph_from_file,
    handler_from_specs,
    plug_from_specs,
    pull_to_file,
    push_file,
    server_from_specs,
)

__all__ = [
    "LOCK_NAME",
    "Composed",
    "ContentCache",
    "Fetch",
    "Pin",
    "Profile",
    "Reference",
    "RegistryConfig",
    "ResolvedComponent",
    "Resolver",
    "add_component",
    "add_namespace",
    "add_profile",
    "describe",
    "graph_from_file",
    "handler_from_specs",
    "load_config",
    "parse_reference",
    "parse_spec",
    "plug_from_specs",
    "pull_to_file",
    "push_file",
    "read_lock",
    "recorded_inputs",
    "recorded_inputs_of",
    "remove_component",
    "remove_namespace",
    "remove_profile",
    "server_from_specs",
]
