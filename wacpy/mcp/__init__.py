"""MCP servers from components: the framework components and the server composer."""

from .serve import (
    ServeOptions,
    keeps_state,
    parse_timeout,
    run_commands,
    serve_argv,
    stdio_argv,
    store_notes,
)
from .server import (
    CAPABILITIES,
    FRAMEWORK,
    STORES,
    DuplicateItemError,
    ServerCompositionError,
    ServerCompositionWarning,
    compose_handler,
    compose_server,
    framework_component,
    interface,
    server_record,
)

__all__ = [
    "STORES",
    "keeps_state",
    "server_record",
    "CAPABILITIES",
    "FRAMEWORK",
    "DuplicateItemError",
    "ServerCompositionError",
    "ServerCompositionWarning",
    "compose_handler",
    "compose_server",
    "framework_component",
    "interface",
    "ServeOptions",
    "parse_timeout",
    "run_commands",
    "serve_argv",
    "stdio_argv",
    "store_notes",
]
