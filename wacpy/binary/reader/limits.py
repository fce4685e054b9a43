"""The counts wasm-tools' parser (wasmparser 0.262) refuses to read past, one constant per kind.

A count over its limit is malformed input there, so the readers reject it too, at the offset of
the count, before reading any item.
"""

from __future__ import annotations

CANONICAL_OPTIONS = 10
INSTANTIATION_ARGS = 100_000
INLINE_EXPORTS = 100_000
START_ARGS = 1_000
START_RESULTS = 1_000
FUNCTION_PARAMS = 1_000
FUNCTION_RESULTS = 1_000
COMPONENT_TYPE_DECLS = 1_000_000
INSTANCE_TYPE_DECLS = 1_000_000
MODULE_TYPE_DECLS = 100_000
RECORD_FIELDS = 10_000
VARIANT_CASES = 10_000
TUPLE_TYPES = 10_000
FLAG_NAMES = 1_000
ENUM_CASES = 10_000
REC_GROUP_TYPES = 1_000_000
SUPERTYPES = 1
STRUCT_FIELDS = 10_000
#: Nested core modules and components (``MAX_WASM_MODULE_SIZE``, 1 GiB).
NESTED_SIZE = 1 << 30
