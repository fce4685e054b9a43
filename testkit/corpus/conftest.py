"""Keep pytest (with --doctest-modules) out of the component sources: they import componentize-py
bindings that exist only inside the built component."""

collect_ignore = ["python", "greeter"]
