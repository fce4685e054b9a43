"""MCP servers from components: the framework components and the server composer."""

from .serve import ServeOptions, parse_timeout, run_commands, serve_argv, stdio_argv
from .server import (
    CAPABILITIES,
    FRAMEWORK,
    DuplicateItemError,
    ServerCompositionError,
    ServerCompositionWarning,
    compose_handler,
    compose_server,
    framework_component,
    interface,
)

__all__ = [
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
]
