"""What the tests, the benchmarks and the fuzz targets share; none of them imports from ``tests/``.

* :mod:`testkit.corpus`: the test corpus of components (WAT, wit-smith, C, Python, greeter) and the
  public suites, built and cached under ``.cache/corpus``;
* :mod:`testkit.strategies`: hypothesis strategies and seeded generators of component ASTs;
* :mod:`testkit.linkkit`: tiny link components whose ``run`` spells out their wiring, and a runner;
* :mod:`testkit.framework`: the framework components' build from ``middleware-src/`` (zig flags,
  the WASI WIT packages), also run as ``python -m testkit.framework [NAME ...]``;
* :mod:`testkit.components`: the test tool (``fixtures/mcp_tool/tool.c``) built with those flags;
* :mod:`testkit.serving`: ``wasmtime serve`` on a free loopback port and an MCP HTTP client.

Tool locators are wacpy's own (:func:`wacpy.tools.wasm_tools_path`, ``wasmtime_path``). The kit is
imported from a checkout (the repository root on ``sys.path``, as for ``tests``, ``benches`` and
``fuzz``); it is not part of the installed package.
"""
