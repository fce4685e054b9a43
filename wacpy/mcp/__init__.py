"""MCP servers from components: the framework components and the server composer."""

from .server import (
    CAPABILITIES,
    FRAMEWORK,
    ServerCompositionError,
    compose_handler,
    compose_server,
    framework_component,
    interface,
    run_commands,
)

__all__ = [
    "CAPABILITIES",
    "FRAMEWORK",
    "ServerCompositionError",
    "compose_handler",
    "compose_server",
    "framework_component",
    "interface",
    "run_commands",
]
