"""Keep pytest (with --doctest-modules) out of sources that run elsewhere: ``fixtures/content.py``
imports componentize-py bindings that exist only inside the built component, and
``sdk_client.py`` imports the MCP Python SDK, installed only in its own virtual environment."""

collect_ignore = ["fixtures", "sdk_client.py", "sdk_client_2026.py"]
