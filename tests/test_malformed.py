"""Malformed component binaries raise DecodeError naming the byte offset and what was expected."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wacpy import CompositionGraph, DecodeError, ValidationError, decode, encode
from wacpy.binary.ast import Component, CoreModule, CoreModuleSection, without_sources
from wacpy.binary.modules import module_info, read_module_info
from wacpy.inspection import summarize
from wacpy.tools import ExternalToolError, run_wasm_tools

PRE = bytes.fromhex("0061736d0d000100")


def section(section_id: int, body: bytes) -> bytes:
    assert len(body) < 0x80
    return bytes([section_id, len(body)]) + body


def nested(depth: int) -> bytes:
    """A component nested ``depth`` levels deep (each level one component section)."""
    inner = PRE
    for _ in range(depth):
        size = len(inner)
        prefix = bytearray()
        while True:
            byte = size & 0x7F
            size >>= 7
            prefix.append(byte | (0x80 if size else 0))
            if not size:
                break
        inner = PRE + b"\x04" + bytes(prefix) + inner
    return inner


def deep_instance_types(depth: int) -> bytes:
    """A type section whose one type nests instance types inside component types ``depth`` deep."""
    body = b"\x42\x00"  # (instance)
    for _ in range(depth):
        body = b"\x41\x01\x01" + body  # (component (type <body>))
    payload = b"\x01" + body
    size = len(payload)
    leb = bytearray()
    while True:
        byte, size = size & 0x7F, size >> 7
        leb.append(byte | (0x80 if size else 0))
        if not size:
            break
    return PRE + b"\x07" + bytes(leb) + payload


MOD = b"\x00asm\x01\x00\x00\x00"  # a core module preamble

# (name, input, expected message fragment, expected offset)
CASES = [
    ("empty file", b"", "preamble", 0),
    ("bad magic", b"\x00wasm\x0d\x00\x01\x00", "bad magic number", 0),
    ("core module", b"\x00asm\x01\x00\x00\x00", "core module (layer 0)", 0),
    ("wrong layer", b"\x00asm\x0d\x00\x02\x00", "unsupported layer", 6),
    ("wrong version", b"\x00asm\x0c\x00\x01\x00", "unsupported component version", 4),
    ("unknown section id", PRE + b"\x0d\x00", "invalid leading byte 0x0d for section id", 8),
    ("section past the end", PRE + b"\x07\x05\x01", "runs past the end", 10),
    ("overlong u32", PRE + b"\x07\x80\x80\x80\x80\x80\x00", "integer representation too long", 9),
    ("u32 too large", PRE + b"\x07\xff\xff\xff\xff\x7f", "integer too large for u32", 9),
    ("huge count", PRE + section(7, b"\xff\xff\xff\xff\x0f"), "cannot fit", 10),
    (
        "unknown type opcode",
        PRE + section(7, b"\x01\x3e"),
        "invalid leading byte 0x3e for component type",
        11,
    ),
    ("bad utf-8 name", PRE + section(10, b"\x01\x00\x02\xc3\x28\x01\x00"), "not valid UTF-8", 13),
    (
        "trailing bytes in section",
        PRE + section(7, b"\x01\x73\x00"),
        "unexpected bytes at the end of section 7",
        12,
    ),
    ("bad extern name form", PRE + section(10, b"\x01\x07\x01a\x01\x00"), "extern name", 11),
    ("bad sort", PRE + section(6, b"\x01\x09\x00\x00\x01a"), "invalid leading byte 0x09 for sort", 11),
    ("bad canon", PRE + section(8, b"\x01\x3f"), "canonical function", 11),
    ("bad canon option", PRE + section(8, b"\x01\x01\x00\x00\x01\x0a"), "canonical option", 15),
    ("variant case without zero", PRE + section(7, b"\x01\x71\x01\x01a\x00\x05"), "variant case", 16),
    ("truncated name", PRE + section(10, b"\x01\x00\x09ab"), "needs 9 bytes", 12),
    ("bad core type", PRE + section(3, b"\x01\x00\x4e"), "non-final sub type", 12),
    # nested core modules: the preamble and the section headers are checked, bodies stay unread
    ("module preamble is a component's", PRE + section(1, PRE), "expected a version header for a module", 10),
    ("module magic", PRE + section(1, b"\x00wasn\x01\x00\x00\x00"), "bad magic number", 10),
    ("module version", PRE + section(1, b"\x00asm\x02\x00\x00\x00"), "unknown core module version", 14),
    ("short module", PRE + section(1, b"\x00asm"), "core module preamble", 10),
    (
        "module section order",
        PRE + section(1, MOD + b"\x01\x01\x00\x0b\x01\x00\x01\x01\x00"),
        "out of order",
        26,
    ),
    (
        "module tag after global",
        PRE + section(1, MOD + b"\x06\x01\x00\x0d\x01\x00"),
        "section 13 is out of order",
        23,
    ),
    ("module section id", PRE + section(1, MOD + b"\x0e\x00"), "malformed section id 14", 18),
    (
        "module section past its end",
        PRE + section(1, MOD + b"\x01\x05\x00"),
        "runs past the end of the core module",
        19,
    ),
    ("module in a module", PRE + section(1, MOD + MOD), "found a wasm magic number", 18),
    (
        "functions without code",
        PRE + section(1, MOD + b"\x03\x02\x01\x00"),
        "1 functions but has 0 function bodies",
        22,
    ),
    ("code without functions", PRE + section(1, MOD + b"\x0a\x01\x00\x0a\x01\x00"), "out of order", 23),
    ("code count differs", PRE + section(1, MOD + b"\x03\x01\x00\x0a\x01\x01"), "0 functions but has 1", 23),
    ("data count differs", PRE + section(1, MOD + b"\x0c\x01\x02\x0b\x01\x01"), "data count is 2", 24),
    # counts over wasm-tools' parser limits, reported at the count
    (
        "start results",
        PRE + bytes.fromhex("09060000ffffff00"),
        "2097151 start results are more than the 1000",
        12,
    ),
    ("start arguments", PRE + bytes.fromhex("090400e9070000"), "1001 start arguments", 11),
    (
        "canon options",
        PRE + section(8, b"\x01\x00\x00\x00\x0b" + b"\x00" * 11 + b"\x00"),
        "11 canonical options",
        14,
    ),
    ("flag names", PRE + section(7, b"\x01\x6e\xe9\x07"), "1001 flags are more than the 1000", 12),
    ("function params", PRE + section(7, b"\x01\x40\xe9\x07"), "1001 function parameters", 12),
    (
        "supertypes",
        PRE + section(3, b"\x01\x00\x50\x02\x00\x00\x60\x00\x00"),
        "2 supertypes are more than the 1",
        13,
    ),
    ("long name", PRE + b"\x0a\x07\x01\x00\xa1\x8d\x06aa", "longer than 100000 bytes", 14),
    ("nesting bomb", nested(150), "nested more than 100 levels", None),
    ("type nesting bomb", deep_instance_types(150), "nested more than 100 levels", None),
]


@pytest.mark.parametrize(("data", "fragment", "offset"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_input_names_offset_and_expectation(data: bytes, fragment: str, offset: int | None) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert fragment in str(caught.value)
    if offset is not None:
        assert caught.value.offset == offset
    assert f"at byte offset {caught.value.offset}" in str(caught.value)
    assert_register_refuses(data, caught.value)


def assert_register_refuses(data: bytes, decoding: DecodeError) -> None:
    """``register`` reports the same error, or, when it lies in bytes its interface-only decode
    steps over (a core module's sections, core instances, custom sections: typing does not need
    them), validating a composition of the component reports it."""
    graph = CompositionGraph()
    try:
        package = graph.register("c", data)
    except DecodeError as err:
        assert err.offset == decoding.offset
        return
    graph.instantiate(package)
    with pytest.raises(ValidationError):
        graph.encode()


def test_nesting_within_the_limit_decodes() -> None:
    data = nested(90)
    assert encode(without_sources(decode(data))) == data


def test_a_malformed_name_section_is_kept_as_custom_data() -> None:
    bad_names = b"\x0ecomponent-name" + b"\x07\x05\x00"  # subsection 7 does not exist
    data = PRE + section(0, bad_names)
    component = decode(data)
    assert type(component.sections[0]).__name__ == "CustomSection"
    assert encode(component) == data


def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        if rng.random() < 0.3:
            mutated = mutated[: rng.randrange(len(mutated))]
        out.append(bytes(mutated))
    return out


def check_decode_is_clean(data: bytes) -> None:
    """Either a DecodeError, or a component that re-encodes to exactly the same bytes."""
    try:
        component = decode(data)
    except DecodeError:
        return
    assert encode(component) == data


def test_bit_flips_and_truncations_only_raise_decode_error(small_component: bytes) -> None:
    for mutated in _mutations(small_component, seed=7, count=3000):
        check_decode_is_clean(mutated)


def test_every_truncation_inside_a_section_raises_decode_error(small_component: bytes) -> None:
    boundaries = {s.offset + s.size for s in summarize(small_component).sections} | {8}
    for end in range(len(small_component)):
        if end in boundaries:
            check_decode_is_clean(small_component[:end])
        else:
            with pytest.raises(DecodeError):
                decode(small_component[:end])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_after_the_preamble(tail: bytes) -> None:
    check_decode_is_clean(PRE + tail)


def _spliced_mutants(component_bytes: bytes, seeds: range) -> list[bytes]:
    """The component with its first core module replaced by ``wasm-tools mutate`` outputs."""
    component = decode(component_bytes)
    index, first = next((i, s) for i, s in enumerate(component.sections) if isinstance(s, CoreModuleSection))
    mutants = []
    for seed in seeds:
        try:
            mutated = run_wasm_tools("mutate", "-", "--seed", str(seed), stdin=bytes(first.module.data))
        except ExternalToolError:
            continue  # wasm-mutate found nothing to change for this seed
        sections = list(component.sections)
        sections[index] = CoreModuleSection(CoreModule(mutated))
        mutants.append(encode(Component(tuple(sections))))
    return mutants


def test_wasm_tools_mutate_outputs_decode_cleanly(c_component_bytes: bytes) -> None:
    mutants = _spliced_mutants(c_component_bytes, range(40))
    assert len(mutants) >= 20
    rng = random.Random(11)
    for mutant in mutants:
        check_decode_is_clean(mutant)
        for _ in range(5):
            flipped = bytearray(mutant)
            position = rng.randrange(8, len(mutant))
            flipped[position] ^= 0xFF
            check_decode_is_clean(bytes(flipped))


def test_module_interface_reader_only_raises_decode_error(c_component_bytes: bytes) -> None:
    component = decode(c_component_bytes)
    module = next(s.module for s in component.sections if isinstance(s, CoreModuleSection))
    assert module_info(module).exports
    for mutated in _mutations(bytes(module.data), seed=3, count=2000):
        with contextlib.suppress(DecodeError):
            read_module_info(mutated)
