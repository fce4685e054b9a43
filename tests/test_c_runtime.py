"""The C runtime of ``middleware-src/include`` (float formatting, JSON reading and writing, the author
SDK's argument lookups), through ``tests/mcp/runtime_harness.c`` compiled to a core module and run
under wasmtime.
"""

from __future__ import annotations

import base64
import json
import math
import random
import struct
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from wasmtime import Engine, Func, Instance, Memory, Module, Store

from wacpy._zig import zig_cc

ROOT = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent / "mcp" / "runtime_harness.c"
INCLUDE = [ROOT / "middleware-src" / "include", ROOT / "wacpy" / "authoring" / "include"]
MAX_DEPTH = 128  # WACPY_JSON_MAX_DEPTH


@dataclass
class Harness:
    store: Store
    memory: Memory
    exports: dict[str, Func]

    def call(self, name: str, *args: float) -> int:
        result = self.exports[name](self.store, *args)
        assert isinstance(result, int)
        return result

    def put(self, data: bytes) -> int:
        """Write ``data`` at the input area; its length."""
        self.memory.write(self.store, data, self.call("in_ptr"))
        return len(data)

    def output(self, n: int) -> bytes:
        start = self.call("out_ptr")
        return bytes(self.memory.read(self.store, start, start + n))

    def text(self, name: str, *args: float) -> str | None:
        n = self.call(name, *args)
        return None if n < 0 else self.output(n).decode()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    work = tmp_path_factory.mktemp("runtime")
    core = work / "runtime_harness.wasm"
    done = zig_cc([HARNESS], core, cache_dir=ROOT / ".cache" / "zig", include=INCLUDE, flags=("-Werror",))
    assert done.returncode == 0, done.stderr
    engine = Engine()
    store = Store(engine)
    instance = Instance(store, Module.from_file(engine, str(core)), [])
    exports = instance.exports(store)
    memory = exports["memory"]
    assert isinstance(memory, Memory)
    funcs = {name: f for name, f in exports.items() if isinstance(f, Func)}
    return Harness(store, memory, funcs)


# -- floats -------------------------------------------------------------------------------------


def shortest_digits(x: float) -> tuple[str, int]:
    """Python's shortest round-trip digits of ``x > 0`` (from ``repr``), and the decimal point's
    place: ``x = 0.DIGITS * 10**point``."""
    _, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    stripped = digits.strip("0")
    leading = len(digits) - len(digits.lstrip("0"))
    return stripped, len(digits) + exponent - leading


def random_doubles(count: int, seed: int) -> list[float]:
    """Finite doubles from random bit patterns (every exponent, subnormals included), and random
    short decimals (the values a tool writes as priorities and progress)."""
    rng = random.Random(seed)
    values: list[float] = []
    while len(values) < count:
        (x,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        if math.isfinite(x):
            values.append(x)
        values.append(float(f"{rng.randrange(10 ** rng.randrange(1, 8))}e{rng.randrange(-30, 30)}"))
    return values


EDGE_DOUBLES = [
    5e-324, 1e-323, 2.2250738585072009e-308, 2.2250738585072014e-308, 2.225073858507201e-308, 2.0**-1022,
    2.0**-1074 * 3, 4.9406564584124654e-324 * 12345, 1.7976931348623157e308, 8.98846567431158e307, 1e21, 1e22,
    1.5e21, 9.999999999999999e20, 1e20, 1e-7, 1e-6, 1.5e-6, 123e-20, 0.1, 0.2, 0.3, 0.30000000000000004, 1 / 3,
    2 / 3, 4.35, 5e-5, 2.0**53, 2.0**53 + 2, 2.0**63, 2.0**64, 2.0**64 + 2**12, 18446744073709549568.0,
    9007199254740993.0, 1e300, 1.2345678901234567e-300, 1e15 + 0.3, 123456789012345.6, 0.5, 1.0, 7.0e-10,
]  # fmt: skip


def check_shortest(harness: Harness, x: float) -> None:
    n = harness.call("digits", abs(x))
    raw = harness.output(n + 4)
    assert (raw[:n].decode(), int.from_bytes(raw[n:], "little", signed=True)) == shortest_digits(abs(x)), x


def check_text(harness: Harness, x: float) -> None:
    """The JSON text of ``x``: integers below 2^64 exactly, else the shortest digits, in plain
    notation from 1e-6 up to 1e21 and in exponent notation outside."""
    text = harness.text("f64", x)
    assert text is not None and float(text) == x, (x, text)
    if x == int(x) and abs(x) < 2**64:
        assert text == str(int(x))
        return
    digits, point = shortest_digits(abs(x))
    mantissa, _, exponent = text.lstrip("-").partition("e")
    assert mantissa.replace(".", "").strip("0") == digits, (x, text)
    assert bool(exponent) == (point > 21 or point <= -6), (x, text)
    assert text.startswith("-") == (x < 0)


@pytest.mark.parametrize("seed", range(4))
def test_random_doubles_get_the_shortest_digits_python_finds(harness: Harness, seed: int) -> None:
    for x in random_doubles(2500, seed):
        if x != 0:
            check_shortest(harness, x)
        check_text(harness, x)


def test_edge_doubles(harness: Harness) -> None:
    for x in EDGE_DOUBLES:
        for signed in (x, -x):
            check_shortest(harness, signed)
            check_text(harness, signed)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-7.25, "-7.25"), (0.1, "0.1"), (1 / 3, "0.3333333333333333"),
        (5e-324, "5e-324"), (-5e-324, "-5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (2.0**64, "18446744073709552000"), (2.0**63, "9223372036854775808"), (1e-7, "1e-7"),
        (1e-6, "0.000001"), (123e-20, "1.23e-18"), (0.30000000000000004, "0.30000000000000004"),
        (math.nan, "null"), (math.inf, "null"), (-math.inf, "null"),
    ],
)  # fmt: skip
def test_float_text(harness: Harness, value: float, text: str) -> None:
    assert harness.text("f64", value) == text


# -- the JSON depth limit --------------------------------------------------------------------------


def nested(depth: int, open_: str = "[", close: str = "]", middle: str = "") -> bytes:
    return (open_ * depth + middle + close * depth).encode()


def test_the_reader_accepts_nesting_up_to_the_limit(harness: Harness) -> None:
    for depth in (1, MAX_DEPTH - 1, MAX_DEPTH):
        assert harness.call("valid", harness.put(nested(depth))) == 1, depth
        assert harness.call("valid", harness.put(nested(depth, '{"a":', "}", "1"))) == 1, depth
    assert harness.call("valid", harness.put(nested(MAX_DEPTH + 1))) == 0
    assert harness.call("valid", harness.put(nested(MAX_DEPTH + 1, '{"a":', "}", "1"))) == 0
    assert harness.call("valid", harness.put(nested(100_000)[:100_000])) == 0


def lookup(harness: Harness, name: str, arguments: bytes, key: str) -> str | None:
    length = harness.put(arguments + b"\0" + key.encode() + b"\0")
    return harness.text(name, length - len(key) - 2, len(arguments) + 1)


def test_the_sdk_finds_arguments_nested_up_to_the_limit(harness: Harness) -> None:
    inner = nested(MAX_DEPTH - 1)  # inside the arguments object: 128 deep in all
    assert lookup(harness, "member", b'{"a":' + inner + b"}", "a") == inner.decode()
    assert lookup(harness, "member", b'{"a":' + nested(MAX_DEPTH) + b"}", "a") is None
    too_deep = b'{"s":"x","a":' + nested(MAX_DEPTH) + b"}"
    n = harness.call("arg_string", harness.put(too_deep + b"\0s\0") - 3, len(too_deep) + 1)
    assert harness.output(-1 - n).decode() == "s: missing required argument"


# -- strings ------------------------------------------------------------------------------------

STRINGS = [
    "", "plain", 'quote " backslash \\ slash /', "controls \x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f",
    "unicode é 日本 \u2028 \U0001f600", "x" * 10_000,
]  # fmt: skip


@pytest.mark.parametrize("text", STRINGS, ids=range(len(STRINGS)))
def test_strings_escape_and_decode_back(harness: Harness, text: str) -> None:
    escaped = harness.text("escape", harness.put(text.encode()))
    assert escaped is not None and json.loads(escaped) == text
    assert harness.text("unescape", harness.put(escaped.encode())) == text
    assert harness.text("unescape", harness.put(json.dumps(text).encode())) == text  # \uXXXX escapes


def test_short_escapes_where_json_has_them(harness: Harness) -> None:
    assert harness.text("escape", harness.put(b'\x01\b\t\n\f\r"\\/')) == '"\\u0001\\b\\t\\n\\f\\r\\"\\\\/"'


def test_surrogates(harness: Harness) -> None:
    assert harness.text("unescape", harness.put(b'"\\ud83d\\ude00"')) == "\U0001f600"
    for lone in (b'"\\ud800"', b'"\\udc00x"', b'"\\ud800\\u0041"'):
        assert harness.call("unescape", harness.put(lone)) == -1
    assert lookup(harness, "arg_string", b'{"s":"\\ud800"}', "s") is None


def test_keys_match_after_decoding_and_the_first_repeat_wins_in_the_sdk(harness: Harness) -> None:
    assert lookup(harness, "member", b'{"\\u0061":1}', "a") == "1"
    assert lookup(harness, "member", b' {"a":1,"a":2} ', "a") == "1"
    assert lookup(harness, "member", b'{"ab":1}', "a") is None
    assert lookup(harness, "member", b'{"a":1', "a") is None  # not JSON
    assert lookup(harness, "member", b'[{"a":1}]', "a") is None


def test_base64(harness: Harness) -> None:
    for n in range(12):
        data = bytes(range(250, 250 - n, -1))
        assert harness.text("base64", harness.put(data)) == json.dumps(base64.b64encode(data).decode())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b' { "a" : [ 1 , "x y" ] }\n', '{"a":[1,"x y"]}'), (b'"\\" "', '"\\" "'), (b"[1,]", None),
        (b"", None), (b"\xff", None), (b'"\xc3\xa9"', '"\u00e9"'),
    ],
)  # fmt: skip
def test_minified(harness: Harness, text: bytes, expected: str | None) -> None:
    assert harness.text("minified", harness.put(text)) == expected
