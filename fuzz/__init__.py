"""Fuzzing harness for wacpy: ``python -m fuzz TARGET [options]`` (see ``fuzz/README.md``).

Four targets: ``decode`` (coverage-guided, atheris), ``roundtrip`` (inputs from the wasm-tools
generators and the test strategies), ``differential`` (our decoder beside wasm-tools' parser and
validator on mutated components) and ``compose`` (random composition graphs). Findings land under
``fuzz-results/<target>/<timestamp>/``, minimized, each with a one-line reproduction command.

Nothing here imports :mod:`wacpy` at import time: the ``decode`` workers must instrument it for
coverage before the first import.
"""
