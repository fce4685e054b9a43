"""The ``wacpy`` command line: parse arguments, call the library, print."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import traceback
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from . import cli_auth, cli_registry
from ._files import read_component, refuse_overwriting_inputs, write_atomic
from .authoring import LANGUAGES, TEMPLATES, build_project, new_project
from .binary import decode
from .binary.ast import Component
from .compose.graphfile import read_graph_file
from .errors import WacpyError
from .inspection import format_summary, summarize
from .mcp import (
    STORES,
    ServeOptions,
    ServerCompositionWarning,
    keeps_state,
    parse_timeout,
    run_commands,
    serve_argv,
    stdio_argv,
    store_notes,
)
from .mcp.precompile import check_precompiled, precompile, precompiled_path
from .registry import graph_from_file, handler_from_specs, plug_from_specs, server_from_specs
from .registry.workflows import Composed
from .tools import wasmtime_path
from .tuning import gc_paused

#: The longest error line printed without --verbose.
MAX_ERROR_LINE = 400


def _cmd_inspect(args: argparse.Namespace) -> int:
    data = read_component(args.file)
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
    write_atomic(path, data)
    print(f"wrote {path} ({len(data)} bytes)")


def _cmd_plug(args: argparse.Namespace) -> int:
    refuse_overwriting_inputs(args.output, _local_files([args.root, *args.plugs]))
    fetch = cli_registry.fetch_of(args)
    composed = plug_from_specs(
        args.root, args.plugs, output=args.output, validate=not args.no_validate, fetch=fetch
    )
    _write_composed(composed)
    return 0


def _cmd_compose_graph(args: argparse.Namespace) -> int:
    graph_file = read_graph_file(args.graph)
    refuse_overwriting_inputs(args.output, graph_file.inputs)
    fetch = cli_registry.fetch_of(args)
    composed = graph_from_file(args.graph, output=args.output, validate=not args.no_validate, fetch=fetch)
    _write_composed(composed, graph_file.inputs)
    return 0


def _local_files(specs: Iterable[str]) -> list[str]:
    """The specs that name files here (the others are aliases, profiles or registry packages)."""
    return [spec for spec in specs if os.path.isfile(spec)]


def _write_composed(composed: Composed, also: Iterable[str | Path] = ()) -> None:
    """Write a composition, unless its output is one of the files it was made from (aliases and
    profiles resolve to those only now)."""
    origins = [c.origin for c in composed.inputs if os.path.isfile(c.origin)]
    refuse_overwriting_inputs(composed.output, [*origins, *also])
    _write_output(str(composed.output), composed.data)
    cli_registry.report_lock(composed)


def _chain_inputs(args: argparse.Namespace, overrides: dict[str, str]) -> Iterable[str]:
    return [*args.components, *overrides.values()]


def _overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, path = pair.partition("=")
        if not sep or not name or not path:
            raise WacpyError(f"--override expects NAME=SPEC, got `{pair}`")
        overrides[name] = path
    return overrides


def _cmd_compose_server(args: argparse.Namespace) -> int:
    overrides = _overrides(args.override)
    if args.output is not None:
        refuse_overwriting_inputs(args.output, _local_files(_chain_inputs(args, overrides)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ServerCompositionWarning)
        composed = server_from_specs(
            args.components,
            output=args.output,
            transport=args.transport,
            overrides=overrides,
            validate=not args.no_validate,
            fetch=cli_registry.fetch_of(args),
            on_duplicate=args.on_duplicate,
            dedup=not args.no_dedup,
            store=args.store,
        )
    for warning in caught:
        print(f"wacpy: warning: {warning.message}", file=sys.stderr)
    _write_composed(composed)
    cwasm = _precompile(composed.output, composed.data, args) if args.precompile else None
    _print_run_commands(str(composed.output), composed.data, args, cwasm)
    return 0


def _precompile(path: str | Path, data: bytes, args: argparse.Namespace, output: str | None = None) -> str:
    """Compile ``path`` with ``wasmtime compile`` for serving with ``args``' timeout."""
    print(f"precompiling {path} (wasmtime compile) ...", file=sys.stderr)
    timeout = parse_timeout(args.timeout)
    record = precompile(
        path, data, wasmtime=wasmtime_path(), epoch_interruption=timeout is not None, output=output
    )
    return str(record.cwasm)


def _print_run_commands(
    path: str, data: bytes | Component, args: argparse.Namespace, cwasm: str | None
) -> None:
    component = data if isinstance(data, Component) else decode(data)
    print("run it with:")
    if keeps_state(component):
        print(f"  mkdir -p {shlex.quote(args.state_dir)}   # where its sessions live (wacpy serve makes it)")
    for command in run_commands(path, component, _serve_options(args), precompiled=cwasm):
        print(f"  {command}")
    print(f"  (or: wacpy serve {path})")
    for note in store_notes(component):
        print(f"note: {note}")


def _cmd_precompile(args: argparse.Namespace) -> int:
    data = read_component(args.file)
    output = args.output or str(precompiled_path(args.file))
    refuse_overwriting_inputs(output, [args.file])
    component = _decoded(args.file, data)
    cwasm = _precompile(args.file, data, args, output)
    _print_run_commands(args.file, component, args, cwasm)
    return 0


def _decoded(path: str, data: bytes) -> Component:
    """The component ``data`` read from ``path``; a decode error names the file."""
    try:
        return decode(data)
    except WacpyError as err:
        raise WacpyError(f"{path}: {err}") from err


def _serve_options(args: argparse.Namespace) -> ServeOptions:
    return ServeOptions(
        timeout=parse_timeout(args.timeout),
        reuse=args.reuse,
        address=args.addr,
        concurrency=args.concurrency,
        state_dir=args.state_dir,
    )


def _usable_precompiled(args: argparse.Namespace, data: bytes, wasmtime: str) -> str | None:
    """The ``.cwasm`` beside the served file when it was compiled from it for this wasmtime and
    timeout; otherwise ``None``, saying why on stderr if there is one that cannot be used."""
    if args.stdio or args.no_precompiled:
        return None
    epoch = parse_timeout(args.timeout) is not None
    cwasm, why_not = check_precompiled(args.file, data, wasmtime=wasmtime, epoch_interruption=epoch)
    if why_not is not None:
        print(f"wacpy: note: {why_not}; serving {args.file} (compiled at start)", file=sys.stderr)
    elif cwasm is not None:
        print(f"wacpy: serving the precompiled {cwasm}", file=sys.stderr)
    return None if cwasm is None else str(cwasm)


def _make_state_dir(path: str) -> None:
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WacpyError(f"--state-dir {path}: cannot create it ({err.strerror or err})") from err


def _cmd_serve(args: argparse.Namespace) -> int:
    data = read_component(args.file)
    component = _decoded(args.file, data)
    wasmtime = wasmtime_path()
    if keeps_state(component) and not args.dry_run:
        _make_state_dir(args.state_dir)
    for note in store_notes(component):
        print(f"wacpy: note: {note}", file=sys.stderr)
    if args.stdio:
        argv = stdio_argv(wasmtime, args.file, component, args.state_dir)
    else:
        cwasm = _usable_precompiled(args, data, wasmtime)
        argv = serve_argv(wasmtime, args.file, component, _serve_options(args), precompiled=cwasm)
    argv[2:2] = args.wasmtime_args  # after `wasmtime serve` / `wasmtime run`
    if args.dry_run:
        print(shlex.join(argv))
        return 0
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 0  # not reached


def _cmd_compose_handler(args: argparse.Namespace) -> int:
    overrides = _overrides(args.override)
    refuse_overwriting_inputs(args.output, _local_files(_chain_inputs(args, overrides)))
    composed = handler_from_specs(
        args.components,
        output=args.output,
        overrides=overrides,
        validate=not args.no_validate,
        fetch=cli_registry.fetch_of(args),
        dedup=not args.no_dedup,
    )
    _write_composed(composed)
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    root = new_project(args.name, language=args.language, template=args.template, parent=args.dir)
    print(f"created {root} ({args.language}, {args.template})")
    print("build it with:")
    print(f"  cd {root} && wacpy build")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    result = build_project(args.path, output=args.output)
    for warning in result.warnings:
        print(f"wacpy: warning: {warning}", file=sys.stderr)
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


def _dedup_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-dedup",
        action="store_true",
        help="embed every component's core modules as they are (by default identical ones are stored once)",
    )


def _serving_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        default="30s",
        help="stop a request whose guest code runs longer (e.g. 30s, 500ms, 2m; none: no limit; default 30s)",
    )
    parser.add_argument(
        "--reuse", type=int, default=1000, metavar="N", help="requests one instance may answer (default 1000)"
    )
    parser.add_argument("--addr", default="127.0.0.1:8080", help="where to listen (default 127.0.0.1:8080)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=100,
        metavar="N",
        help="live instances the runtime's pools must hold at once (default 100)",
    )
    parser.add_argument(
        "--state-dir",
        default="./state",
        metavar="DIR",
        help="where a server composed with --store filesystem keeps its sessions (default ./state)",
    )


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, like every other error (``--help`` shows the usage)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"wacpy: error: {message} (see `{self.prog} --help`)\n")


_VERBOSE_HELP = "on errors, show the whole story: the traceback, and what a failing tool printed"


def _add_verbose(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--verbose`` on ``parser`` and every subcommand under it, so it may come anywhere."""
    default = False if top else argparse.SUPPRESS
    parser.add_argument("--verbose", action="store_true", default=default, help=_VERBOSE_HELP)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _add_verbose(sub, top=False)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wacpy", description="Compose WebAssembly components into MCP servers.")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="show a component's sections, imports and exports")
    inspect.add_argument("file", help="a component: .wasm, or .wat text (parsed with wasm-tools)")
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
        "--store",
        choices=list(STORES),
        default="none",
        help="where sessions live: none (a stateless server), filesystem (a directory the runtime "
        "preopens at /state; sessions, server-to-client requests, subscriptions), keyvalue (the "
        "host's wasi:keyvalue@0.2.0-draft2 bucket `default`: Spin) or keyvalue-draft "
        "(wasi:keyvalue@0.2.0-draft: wasmCloud)",
    )
    server.add_argument(
        "--on-duplicate",
        choices=["warn", "error", "replace"],
        default="warn",
        help="components listing the same tool/prompt/resource: warn (the first wins), error, or "
        "replace (later components win)",
    )
    server.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="NAME=SPEC",
        help="use SPEC instead of the framework component NAME (e.g. transport=my-transport.wasm)",
    )
    server.add_argument(
        "--precompile",
        action="store_true",
        help="also write the wasmtime compile output (OUTPUT with .cwasm) for a start without compiling",
    )
    _output_options(server, required=False)
    _dedup_option(server)
    _serving_options(server)
    server.set_defaults(run=_cmd_compose_server)

    handler = kinds.add_parser(
        "handler", help="a reusable sub-chain that exports the handler and imports the next"
    )
    handler.add_argument("components", nargs="+")
    handler.add_argument("--override", action="append", default=[], metavar="NAME=SPEC")
    _output_options(handler)
    _dedup_option(handler)
    handler.set_defaults(run=_cmd_compose_handler)

    serve = commands.add_parser(
        "serve",
        help="serve a composed MCP server with wasmtime (HTTP at /mcp, or --stdio)",
        epilog="Options after `--` go to wasmtime: wacpy serve server.wasm -- -C cache-config=cache.toml",
    )
    serve.add_argument("file", help="the composed server (.wasm)")
    serve.set_defaults(wasmtime_args=[])  # what follows `--`: more wasmtime options (see main)
    serve.add_argument("--stdio", action="store_true", help="serve over stdin/stdout (wasmtime run)")
    serve.add_argument(
        "--dry-run", action="store_true", help="print the wasmtime command instead of running it"
    )
    serve.add_argument(
        "--no-precompiled",
        action="store_true",
        help="serve FILE itself even if a precompiled FILE.cwasm made from it is beside it",
    )
    _serving_options(serve)
    serve.set_defaults(run=_cmd_serve)

    compiled = commands.add_parser(
        "precompile",
        help="compile a composed server ahead of time (wasmtime compile), so serving starts at once",
    )
    compiled.add_argument("file", help="the composed server (.wasm)")
    compiled.add_argument("-o", "--output", help="the compiled file (default: FILE with .cwasm)")
    _serving_options(compiled)
    compiled.set_defaults(run=_cmd_precompile)

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
    cli_auth.add_commands(commands)
    _add_verbose(parser, top=True)
    return parser


def one_line(message: str, limit: int = MAX_ERROR_LINE) -> str:
    """A message of several lines (a tool's ``error: ...`` / ``Caused by:`` / ``0: ...``) as one
    line of at most ``limit`` characters.

    >>> one_line("error: bad type\\n\\nCaused by:\\n    0: at offset 12")
    'error: bad type: at offset 12'
    """
    parts = [re.sub(r"^\d+: ", "", line.strip()) for line in message.splitlines()]
    text = ": ".join(p for p in parts if p and p != "Caused by:")
    if len(text) > limit:
        text = text[: limit - 30].rstrip() + " ... (--verbose shows all)"
    return text


def _report(err: BaseException, verbose: bool) -> None:
    """The error on stderr: one line; with ``verbose`` the traceback and details first."""
    if verbose:
        traceback.print_exception(err, file=sys.stderr)
        details = getattr(err, "details", None)
        if details:
            print(details, file=sys.stderr)
    if isinstance(err, WacpyError):
        line = one_line(str(err))
    elif isinstance(err, OSError):
        line = one_line(f"{err.filename + ': ' if err.filename else ''}{err.strerror or err}")
    else:
        hint = "" if verbose else " (run with --verbose for a traceback)"
        line = f"internal error: {type(err).__name__}: {one_line(str(err))}{hint}"
    print(f"wacpy: error: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI: 0 on success; bad input prints one line on stderr and exits 2; Ctrl-C prints
    ``wacpy: interrupted`` and exits 130; a bug in wacpy prints one line and exits 70."""
    given = list(sys.argv[1:] if argv is None else argv)
    passed: list[str] = []
    if "--" in given:  # `wacpy serve FILE -- -C cache-config=x.toml`: the rest is wasmtime's
        passed = given[given.index("--") + 1 :]
        given = given[: given.index("--")]
    try:
        args = build_parser().parse_args(given)
        if passed and args.command != "serve":
            build_parser().error("only `wacpy serve` takes options after `--` (for wasmtime)")
        args.wasmtime_args = passed
    except SystemExit as done:  # --help, or a usage error already printed
        return done.code if isinstance(done.code, int) else 2
    except KeyboardInterrupt:
        print("wacpy: interrupted", file=sys.stderr)
        return 130
    verbose = bool(args.verbose) or bool(os.environ.get("WACPY_DEBUG"))
    try:
        with gc_paused():  # a short-lived process building acyclic objects (see wacpy.tuning)
            return int(args.run(args))
    except KeyboardInterrupt:
        print("wacpy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (`wacpy inspect x | head`): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (WacpyError, OSError) as err:
        _report(err, verbose)
        return 2
    except Exception as err:  # a bug in wacpy: still one line, unless asked for more
        _report(err, verbose)
        return 70


if __name__ == "__main__":
    sys.exit(main())
