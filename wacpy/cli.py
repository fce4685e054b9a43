"""The ``wacpy`` command line: parse arguments, call the library, print."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli_registry
from .authoring import LANGUAGES, TEMPLATES, build_project, new_project
from .errors import WacpyError
from .inspect import format_summary, summarize
from .mcp import run_commands
from .registry import graph_from_file, handler_from_specs, plug_from_specs, server_from_specs


def _read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise WacpyError(f"cannot read {path}: {err.strerror or err}") from err


def _cmd_inspect(args: argparse.Namespace) -> int:
    data = _read_input(args.file)
    try:
        summary = summarize(data)
    except WacpyError as err:
        raise WacpyError(f"{args.file}: {err}") from err
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
    else:
        print(format_summary(summary))
    return 0


def _write_output(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as err:
        raise WacpyError(f"cannot write {path}: {err.strerror or err}") from err
    print(f"wrote {path} ({len(data)} bytes)")


def _cmd_plug(args: argparse.Namespace) -> int:
    fetch = cli_registry.fetch_of(args)
    composed = plug_from_specs(
        args.root, args.plugs, output=args.output, validate=not args.no_validate, fetch=fetch
    )
    _write_output(str(composed.output), composed.data)
    cli_registry.report_lock(composed)
    return 0


def _cmd_compose_graph(args: argparse.Namespace) -> int:
    fetch = cli_registry.fetch_of(args)
    composed = graph_from_file(args.graph, output=args.output, validate=not args.no_validate, fetch=fetch)
    _write_output(str(composed.output), composed.data)
    cli_registry.report_lock(composed)
    return 0


def _overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, path = pair.partition("=")
        if not sep or not name or not path:
            raise WacpyError(f"--override expects NAME=SPEC, got `{pair}`")
        overrides[name] = path
    return overrides


def _cmd_compose_server(args: argparse.Namespace) -> int:
    composed = server_from_specs(
        args.components,
        output=args.output,
        transport=args.transport,
        overrides=_overrides(args.override),
        validate=not args.no_validate,
        fetch=cli_registry.fetch_of(args),
    )
    _write_output(str(composed.output), composed.data)
    cli_registry.report_lock(composed)
    print("run it with:")
    for command in run_commands(str(composed.output), args.transport):
        print(f"  {command}")
    return 0


def _cmd_compose_handler(args: argparse.Namespace) -> int:
    composed = handler_from_specs(
        args.components,
        output=args.output,
        overrides=_overrides(args.override),
        validate=not args.no_validate,
        fetch=cli_registry.fetch_of(args),
    )
    _write_output(str(composed.output), composed.data)
    cli_registry.report_lock(composed)
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    root = new_project(args.name, language=args.language, template=args.template, parent=args.dir)
    print(f"created {root} ({args.language}, {args.template})")
    print("build it with:")
    print(f"  cd {root} && wacpy build")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    result = build_project(args.path, output=args.output)
    print(f"wrote {result.output} ({result.size} bytes) in {result.seconds:.1f} s")
    print(f"exports: {', '.join(e for e in result.exports if e.startswith('wacpy:mcp/'))}")
    print("compose a server with:")
    print(f"  wacpy compose server {os.path.relpath(result.output)} -o server.wasm")
    return 0


def _output_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    help = "where to write the composed component"
    if not required:
        help += " (default: the profile's output, else mcp-server.wasm)"
    parser.add_argument("-o", "--output", required=required, help=help)
    parser.add_argument("--no-validate", action="store_true", help="skip `wasm-tools validate` of the result")
    cli_registry.fetch_options(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wacpy", description="Compose WebAssembly components into MCP servers."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="show a component's sections, imports and exports")
    inspect.add_argument("file", help="a component .wasm file")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of text")
    inspect.set_defaults(run=_cmd_inspect)

    plug = commands.add_parser(
        "plug", help="satisfy a root component's imports with plug components' exports"
    )
    plug.add_argument("root", help="the component whose imports are satisfied (a path, alias or OCI spec)")
    plug.add_argument("plugs", nargs="+", help="components whose exports satisfy them (a chain, in order)")
    _output_options(plug)
    plug.set_defaults(run=_cmd_plug)

    compose_cmd = commands.add_parser("compose", help="compose components into one")
    kinds = compose_cmd.add_subparsers(dest="kind", required=True)
    graph = kinds.add_parser("graph", help="compose as a graph file (TOML) describes")
    graph.add_argument("graph", help="the graph file")
    _output_options(graph)
    graph.set_defaults(run=_cmd_compose_graph)

    server = kinds.add_parser("server", help="an MCP server: components chained behind the transport")
    server.add_argument(
        "components",
        nargs="+",
        help="components exporting wacpy:mcp tools/resources/prompts/completions: paths, aliases, "
        "profiles, ns:name@version or host[:port]/repo:tag",
    )
    server.add_argument("--transport", choices=["http", "stdio", "both"], default="both")
    server.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="NAME=SPEC",
        help="use SPEC instead of the framework component NAME (e.g. transport=my-transport.wasm)",
    )
    _output_options(server, required=False)
    server.set_defaults(run=_cmd_compose_server)

    handler = kinds.add_parser(
        "handler", help="a reusable sub-chain that exports the handler and imports the next"
    )
    handler.add_argument("components", nargs="+")
    handler.add_argument("--override", action="append", default=[], metavar="NAME=SPEC")
    _output_options(handler)
    handler.set_defaults(run=_cmd_compose_handler)

    new = commands.add_parser("new", help="create a component project (MCP tools, resources or prompts)")
    new.add_argument("name", help="the component's name, kebab-case (the project folder and NAME.wasm)")
    new.add_argument("-l", "--language", choices=LANGUAGES, default="python")
    new.add_argument("-t", "--template", choices=TEMPLATES, default="tools")
    new.add_argument("--dir", default=".", help="where to create the project folder (default: here)")
    new.set_defaults(run=_cmd_new)

    build = commands.add_parser("build", help="build a component project into NAME.wasm")
    build.add_argument("path", nargs="?", default=".", help="the project folder (default: here)")
    build.add_argument(
        "-o", "--output", help="where to write the component (default: NAME.wasm in the project)"
    )
    build.set_defaults(run=_cmd_build)
    cli_registry.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; bad input prints one line on stderr and exits 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except WacpyError as err:
        print(f"wacpy: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug in wacpy: still one line, unless debugging
        if os.environ.get("WACPY_DEBUG"):
            raise
        print(
            f"wacpy: internal error: {type(err).__name__}: {err} (set WACPY_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
