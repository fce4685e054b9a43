"""The ``wacpy registry`` and ``wacpy pkg`` commands, and the registry options of composing commands:
parse, call :mod:`wacpy.registry`, print."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .registry import (
    Composed,
    Fetch,
    add_component,
    add_namespace,
    add_profile,
    describe,
    load_config,
    pull_to_file,
    push_file,
    recorded_inputs_of,
    remove_component,
    remove_namespace,
    remove_profile,
)


def fetch_options(parser: argparse.ArgumentParser) -> None:
    """``--offline``, ``--locked`` and ``--lock`` for commands that take component specs."""
    group = parser.add_argument_group("registry components")
    group.add_argument("--offline", action="store_true", help="use only the cache for OCI components")
    group.add_argument(
        "--locked", action="store_true", help="refuse OCI components missing from, or moved since, wacpy.lock"
    )
    group.add_argument(
        "--lock",
        type=Path,
        metavar="FILE",
        help="the lock file (default: wacpy.lock beside the graph or profile, or here)",
    )


def fetch_of(args: argparse.Namespace) -> Fetch:
    return Fetch(offline=args.offline, locked=args.locked, lock=args.lock)


def report_lock(composed: Composed) -> None:
    if composed.lock is not None:
        print(f"pinned the registry components in {composed.lock}")


def _cmd_component_add(args: argparse.Namespace) -> int:
    config = add_component(args.name, args.spec)
    print(f"{args.name} = {config.components[args.name]}")
    return 0


def _cmd_component_list(args: argparse.Namespace) -> int:
    for name, spec in sorted(load_config().components.items()):
        print(f"{name} = {spec}")
    return 0


def _cmd_component_remove(args: argparse.Namespace) -> int:
    remove_component(args.name, force=args.force)
    print(f"removed alias {args.name}")
    return 0


def _cmd_profile_add(args: argparse.Namespace) -> int:
    config = add_profile(args.name, args.specs, output=args.output, base=args.base)
    print(f"{args.name}: {' '.join(config.profile_components(args.name))}")
    return 0


def _cmd_profile_list(args: argparse.Namespace) -> int:
    print("\n".join(describe(load_config(), components=False)))
    return 0


def _cmd_profile_remove(args: argparse.Namespace) -> int:
    remove_profile(args.name, force=args.force)
    print(f"removed profile {args.name}")
    return 0


def _cmd_namespace_add(args: argparse.Namespace) -> int:
    add_namespace(args.namespace, args.registry)
    print(f"{args.namespace}:NAME@VERSION -> {args.registry.strip('/')}/NAME:VERSION")
    return 0


def _cmd_namespace_remove(args: argparse.Namespace) -> int:
    remove_namespace(args.namespace)
    print(f"removed namespace {args.namespace}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    both = not args.components and not args.profiles
    print(
        "\n".join(describe(load_config(), components=both or args.components, profiles=both or args.profiles))
    )
    return 0


def _cmd_push(args: argparse.Namespace) -> int:
    result = push_file(args.file, args.ref)
    print(f"pushed {result.reference} ({result.layer.size} bytes)")
    return 0


def _cmd_inputs(args: argparse.Namespace) -> int:
    for entry in recorded_inputs_of(args.file):
        print(f"{entry['label']}: {entry['spec']} -> {entry['origin']} (sha256:{entry['sha256']})")
    return 0


def _cmd_pull(args: argparse.Namespace) -> int:
    path, component = pull_to_file(args.ref, args.output, fetch=Fetch(offline=args.offline))
    print(f"wrote {path} ({len(component.data)} bytes) from {component.origin}")
    return 0


def _registry_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    registry = commands.add_parser("registry", help="component aliases, profiles and namespace registries")
    kinds = registry.add_subparsers(dest="kind", required=True)

    component = kinds.add_parser("component", help="aliases: short names for component specs")
    actions = component.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="save NAME for SPEC (a path, ns:name@version, a reference or an alias)"
    )
    add.add_argument("name")
    add.add_argument("spec")
    add.set_defaults(run=_cmd_component_add)
    actions.add_parser("list", help="list the aliases").set_defaults(run=_cmd_component_list)
    remove = actions.add_parser("remove", help="forget an alias")
    remove.add_argument("name")
    remove.add_argument("--force", action="store_true", help="even if an alias or profile uses it")
    remove.set_defaults(run=_cmd_component_remove)

    profile = kinds.add_parser("profile", help="profiles: saved lists of components for `compose server`")
    actions = profile.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="save (or replace) profile NAME")
    add.add_argument("name")
    add.add_argument("specs", nargs="*", metavar="SPEC", help="components, after those of the base")
    add.add_argument("-o", "--output", help="where `compose server NAME` writes (relative: under composed/)")
    add.add_argument("-b", "--base", help="a profile whose components come first")
    add.set_defaults(run=_cmd_profile_add)
    actions.add_parser("list", help="list the profiles").set_defaults(run=_cmd_profile_list)
    remove = actions.add_parser("remove", help="forget a profile")
    remove.add_argument("name")
    remove.add_argument("--force", action="store_true", help="even if another profile inherits from it")
    remove.set_defaults(run=_cmd_profile_remove)

    namespace = kinds.add_parser("namespace", help="which registry serves namespace:name@version specs")
    actions = namespace.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="map NAMESPACE to REGISTRY (host[:port][/prefix])")
    add.add_argument("namespace")
    add.add_argument("registry")
    add.set_defaults(run=_cmd_namespace_add)
    remove = actions.add_parser("remove", help="forget a namespace's registry")
    remove.add_argument("namespace")
    remove.set_defaults(run=_cmd_namespace_remove)

    info = kinds.add_parser("info", help="show the aliases, profiles and namespaces")
    info.add_argument("-c", "--components", action="store_true", help="aliases and namespaces only")
    info.add_argument("-p", "--profiles", action="store_true", help="profiles only")
    info.set_defaults(run=_cmd_info)


def _pkg_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pkg = commands.add_parser("pkg", help="push and pull components as Wasm OCI artifacts")
    actions = pkg.add_subparsers(dest="action", required=True)
    push = actions.add_parser("push", help="push FILE to REF (ns:name@version or host[:port]/repo:tag)")
    push.add_argument("file")
    push.add_argument("ref")
    push.set_defaults(run=_cmd_push)
    pull = actions.add_parser("pull", help="pull REF into FILE (verified, through the cache)")
    pull.add_argument("ref")
    pull.add_argument("-o", "--output", help="where to write it (default: NAME.wasm here)")
    pull.add_argument("--offline", action="store_true", help="use only the cache")
    pull.set_defaults(run=_cmd_pull)
    inputs = actions.add_parser("inputs", help="what a component composed by wacpy was made from")
    inputs.add_argument("file")
    inputs.set_defaults(run=_cmd_inputs)


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``registry`` and ``pkg`` to the CLI's commands."""
    _registry_commands(commands)
    _pkg_commands(commands)
