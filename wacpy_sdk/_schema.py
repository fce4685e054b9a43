"""JSON Schema (2020-12) from Python type hints, and JSON values checked and converted to those types.

Both walk a type the same way, so what the schema promises is what the converter accepts:

>>> json_schema(list[int])
{'type': 'array', 'items': {'type': 'integer'}}
>>> convert([1, 2.0], list[int])
[1, 2]
>>> convert([1, "2"], list[int])
Traceback (most recent call last):
wacpy_sdk._schema.ArgumentError: [1]: expected integer, got string
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import inspect
import json
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping, MutableSequence, Sequence, Set
from typing import Any, Literal, Union

__all__ = [
    "MISSING",
    "ArgumentError",
    "Field",
    "FieldInfo",
    "convert",
    "json_schema",
    "parse_json",
    "to_json",
]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    """What :func:`Field` records: a default, a description and constraints."""

    default: Any = MISSING
    description: str | None = None
    title: str | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None


def Field(  # noqa: N802 - used like a class, as in pydantic
    default: Any = MISSING,
    *,
    description: str | None = None,
    title: str | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> Any:
    """A parameter's or field's default, description and constraints (``ge``: >=, ``lt``: <, ...).

    Use it in ``Annotated[int, Field(description="How many days", ge=1)]`` or as a default:
    ``days: int = Field(3, description="How many days")`` (typed ``Any`` so that it fits any
    parameter type).
    """
    return FieldInfo(default, description, title, ge, gt, le, lt, min_length, max_length, pattern)


class ArgumentError(ValueError):
    """A JSON value that does not fit its type; ``path`` locates it (``items[2].name``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


_NONE_TYPE = type(None)
_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)
_SEQUENCES = (list, tuple, set, frozenset, Sequence, MutableSequence, Set, Iterable)
_REQUIRED_WRAPPERS: tuple[Any, ...] = (
    (typing.Required, typing.NotRequired, typing.ReadOnly)
    if hasattr(typing, "ReadOnly")
    else (typing.Required, typing.NotRequired)
)


def _split(tp: Any) -> tuple[Any, list[Any]]:
    """The type under ``Annotated`` (and ``Required``/``NotRequired``), and the metadata."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            metadata.extend(tp.__metadata__)
            tp = tp.__origin__
        elif origin in _REQUIRED_WRAPPERS:
            tp = typing.get_args(tp)[0]
        elif hasattr(tp, "__supertype__"):  # typing.NewType
            tp = tp.__supertype__
        else:
            return tp, metadata


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _class_doc(cls: type) -> str | None:
    """A class's own docstring, not the one dataclasses or Enum make up."""
    doc = cls.__dict__.get("__doc__")
    if not doc or doc.startswith(f"{cls.__name__}(") or doc == "An enumeration.":
        return None
    return inspect.cleandoc(doc)


def is_object_type(tp: Any) -> bool:
    """Whether ``tp`` is a dataclass or TypedDict: a JSON object with named fields."""
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or typing.is_typeddict(tp))


def _fields(tp: type) -> list[tuple[str, Any, Any, str | None]]:
    """``(name, hint, default, description)`` of a dataclass's init fields or a TypedDict's keys."""
    hints = typing.get_type_hints(tp, include_extras=True)
    if dataclasses.is_dataclass(tp):
        out = []
        for f in dataclasses.fields(tp):
            if not f.init:
                continue
            default = f.default
            if default is dataclasses.MISSING:
                default = MISSING if f.default_factory is dataclasses.MISSING else _FACTORY
            out.append((f.name, hints[f.name], default, f.metadata.get("description")))
        return out
    # With postponed annotations (PEP 563) TypedDict cannot see `NotRequired`; the hints can.
    required = set(getattr(tp, "__required_keys__", hints))
    for key, hint in hints.items():
        while typing.get_origin(hint) is typing.Annotated:
            hint = hint.__origin__
        if typing.get_origin(hint) is typing.NotRequired:
            required.discard(key)
        elif typing.get_origin(hint) is typing.Required:
            required.add(key)
    return [(k, h, MISSING if k in required else _FACTORY, None) for k, h in hints.items()]


_FACTORY: Any = object()  # a default that exists but is not a value we can show


def _literal_schema(values: Sequence[Any]) -> dict[str, Any]:
    kinds = {_json_type(v) for v in values}
    schema: dict[str, Any] = {}
    if len(kinds) == 1:
        schema["type"] = kinds.pop()
    schema["enum"] = list(values)
    return schema


def _apply(schema: dict[str, Any], metadata: list[Any]) -> dict[str, Any]:
    """The schema with the descriptions and constraints of ``Annotated`` metadata."""
    for item in metadata:
        if isinstance(item, str):
            schema = {**schema, "description": item}
        elif isinstance(item, FieldInfo):
            schema = {**schema, **_field_keywords(item, schema)}
    return schema


def _field_keywords(f: FieldInfo, schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if f.title is not None:
        out["title"] = f.title
    if f.description is not None:
        out["description"] = f.description
    for key, value in (
        ("minimum", f.ge),
        ("exclusiveMinimum", f.gt),
        ("maximum", f.le),
        ("exclusiveMaximum", f.lt),
    ):
        if value is not None:
            out[key] = value
    array = schema.get("type") == "array"
    if f.min_length is not None:
        out["minItems" if array else "minLength"] = f.min_length
    if f.max_length is not None:
        out["maxItems" if array else "maxLength"] = f.max_length
    if f.pattern is not None:
        out["pattern"] = f.pattern
    return out


class SchemaBuilder:
    """Schemas for several types sharing one ``$defs`` (used only for recursive types)."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[type, str] = {}
        self._expanding: list[type] = []
        self._recursive: set[type] = set()

    def document(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A top-level schema: ``schema`` with the ``$defs`` it refers to."""
        return {**schema, "$defs": dict(self.defs)} if self.defs else schema

    def _ref(self, tp: type) -> dict[str, Any]:
        if tp not in self._names:
            name, n = tp.__name__, 2
            while name in self._names.values():
                name, n = f"{tp.__name__}{n}", n + 1
            self._names[tp] = name
        return {"$ref": f"#/$defs/{self._names[tp]}"}

    def schema(self, hint: Any) -> dict[str, Any]:
        tp, metadata = _split(hint)
        return _apply(self._bare(tp), metadata)

    def _bare(self, tp: Any) -> dict[str, Any]:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp is Any or tp is object:
            return {}
        if tp is None or tp is _NONE_TYPE:
            return {"type": "null"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is str:
            return {"type": "string"}
        if origin is Literal:
            return _literal_schema(args)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            schema = _literal_schema([m.value for m in tp])
            doc = _class_doc(tp)
            return {"title": tp.__name__, **schema, **({"description": doc} if doc else {})}
        if origin in _UNION_TYPES:
            return {"anyOf": [self.schema(a) for a in args]}
        if tp in (list, tuple, set, frozenset) or origin in _SEQUENCES:
            return self._array(tp, origin, args)
        if tp is dict or origin in (dict, Mapping):
            if args and _split(args[0])[0] is not str:
                raise TypeError(f"dictionary keys must be str for JSON, not {args[0]!r}")
            return {"type": "object", **({"additionalProperties": self.schema(args[1])} if args else {})}
        if is_object_type(tp):
            return self._object(tp)
        raise TypeError(
            f"no JSON Schema for {tp!r}: use str, int, float, bool, None, list, dict, "
            "Literal, Enum, a dataclass or a TypedDict"
        )

    def _array(self, tp: Any, origin: Any, args: tuple[Any, ...]) -> dict[str, Any]:
        if (origin or tp) is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            items = [self.schema(a) for a in args]
            return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}
        schema: dict[str, Any] = {"type": "array"}
        if args:
            schema["items"] = self.schema(args[0])
        if (origin or tp) in (set, frozenset, Set):
            schema["uniqueItems"] = True
        return schema

    def _object(self, tp: type) -> dict[str, Any]:
        if tp in self._names and self._names[tp] in self.defs:
            return self._ref(tp)
        if tp in self._expanding:
            self._recursive.add(tp)
            return self._ref(tp)
        self._expanding.append(tp)
        try:
            schema = self.object_schema(_fields(tp))
        finally:
            self._expanding.pop()
        doc = _class_doc(tp)
        if doc:
            schema = {**schema, "description": doc}
        if tp in self._recursive:
            ref = self._ref(tp)
            self.defs[self._names[tp]] = schema
            return ref
        return schema

    def object_schema(self, fields: Iterable[tuple[str, Any, Any, str | None]]) -> dict[str, Any]:
        """An object schema from ``(name, hint, default, description)`` fields."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        for name, hint, default, description in fields:
            prop = self.schema(hint)
            if description is not None:
                prop = {**prop, "description": description}
            if default is MISSING:
                required.append(name)
            elif default is not _FACTORY:
                with contextlib.suppress(TypeError, ValueError):
                    prop = {**prop, "default": to_json(default)}
            properties[name] = prop
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema


def json_schema(hint: Any) -> dict[str, Any]:
    """The JSON Schema (2020-12) of the values of a type hint.

    >>> from typing import Annotated, Literal
    >>> json_schema(Annotated[Literal["c", "f"], "Temperature unit"])
    {'type': 'string', 'enum': ['c', 'f'], 'description': 'Temperature unit'}
    """
    builder = SchemaBuilder()
    return builder.document(builder.schema(hint))


# --------------------------------------------------------------------------------------------------
# JSON text to JSON values


@dataclasses.dataclass(frozen=True)
class _Unrepresentable:
    """A JSON number Python cannot hold as is: an integer past the interpreter's digit limit, or a
    number beyond a double's range (which ``float`` would make infinite)."""

    kind: Literal["integer", "number"]
    digits: int


def _parse_int(text: str) -> int | _Unrepresentable:
    try:
        return int(text)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return _Unrepresentable("integer", len(text.lstrip("-")))


def _parse_float(text: str) -> float | _Unrepresentable:
    value = float(text)
    return value if math.isfinite(value) else _Unrepresentable("number", len(text))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _children(value: Any, path: str) -> Iterable[tuple[Any, str]]:
    if isinstance(value, list):
        return ((item, _join(path, i)) for i, item in enumerate(value))
    if isinstance(value, dict):
        return ((item, _join(path, key)) for key, item in value.items())
    return ()


def _check_numbers(value: Any, path: str) -> None:
    """:class:`ArgumentError` at the first number of ``value`` Python could not hold as is."""
    pending = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, _Unrepresentable):
            if item.kind == "integer":
                raise ArgumentError(where, f"integer too large ({item.digits} digits)")
            raise ArgumentError(where, "number out of range (beyond a 64-bit float)")
        pending.extend(reversed(list(_children(item, where))))


def parse_json(text: str, path: str = "") -> Any:
    """``text`` parsed as JSON, exactly: ``ValueError`` if it is not JSON (``NaN`` and ``Infinity``
    are not), :class:`ArgumentError` naming the path of a number Python cannot hold as is.

    >>> parse_json('{"count": 1' + '0' * 5000 + '}')
    Traceback (most recent call last):
    wacpy_sdk._schema.ArgumentError: count: integer too large (5001 digits)
    >>> parse_json('[1, {"x": 1e400}]')
    Traceback (most recent call last):
    wacpy_sdk._schema.ArgumentError: [1].x: number out of range (beyond a 64-bit float)
    """
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    _check_numbers(value, path)
    return value


# --------------------------------------------------------------------------------------------------
# JSON values to Python values


def _expected(tp: Any) -> str:
    tp, _ = _split(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    names = {bool: "boolean", int: "integer", float: "number", str: "string", _NONE_TYPE: "null"}
    if tp is None:
        return "null"
    if isinstance(tp, type) and tp in names:
        return names[tp]
    if origin is Literal:
        return "one of " + ", ".join(map(repr, args))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in tp)
    if origin in _UNION_TYPES:
        return " or ".join(_expected(a) for a in args)
    if tp in (list, tuple, set, frozenset) or origin in _SEQUENCES:
        return "array"
    return "object"


def _same(a: Any, b: Any) -> bool:
    """Equal JSON values of the same JSON type (``True`` is not ``1``)."""
    return bool(a == b and _json_type(a) == _json_type(b))


def _takes_json_type(hint: Any, value: Any) -> bool:
    """Whether ``hint`` accepts values of the JSON type of ``value`` (its contents aside)."""
    tp = _split(hint)[0]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    kind = _json_type(value)
    if tp is Any or tp is object:
        return True
    if origin in _UNION_TYPES:
        return any(_takes_json_type(a, value) for a in args)
    if origin is Literal:
        return kind in {_json_type(a) for a in args}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return kind in {_json_type(m.value) for m in tp}
    if tp in (int, float):
        return kind in ("integer", "number")
    return _expected(tp) == kind


def _check(value: Any, f: FieldInfo, path: str) -> None:
    def fail(message: str) -> None:
        raise ArgumentError(path, message)

    if isinstance(value, int | float) and not isinstance(value, bool):
        if f.ge is not None and value < f.ge:
            fail(f"must be >= {f.ge}")
        if f.gt is not None and value <= f.gt:
            fail(f"must be > {f.gt}")
        if f.le is not None and value > f.le:
            fail(f"must be <= {f.le}")
        if f.lt is not None and value >= f.lt:
            fail(f"must be < {f.lt}")
    if isinstance(value, str | list | tuple | set | frozenset | dict):
        unit = "character" if isinstance(value, str) else "item"
        if f.min_length is not None and len(value) < f.min_length:
            fail(f"must have at least {f.min_length} {unit}{'s' if f.min_length != 1 else ''}")
        if f.max_length is not None and len(value) > f.max_length:
            fail(f"must have at most {f.max_length} {unit}{'s' if f.max_length != 1 else ''}")
    if isinstance(value, str) and f.pattern is not None and re.search(f.pattern, value) is None:
        fail(f"must match {f.pattern!r}")


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def convert(value: Any, hint: Any, path: str = "") -> Any:
    """``value`` (parsed JSON) as the Python value of type ``hint``; :class:`ArgumentError` if it
    does not fit. Objects become dataclass instances, enum values members, arrays lists (or tuples
    and sets where the hint says so)."""
    tp, metadata = _split(hint)
    out = _convert(value, tp, path)
    for item in metadata:
        if isinstance(item, FieldInfo):
            _check(out, item, path)
    return out


def _shown(value: Any) -> str:
    """``repr(value)``, except for an integer too long for ``repr`` (CPython's digit limit)."""
    try:
        return repr(value)
    except ValueError:
        return "an integer too large to show"


def _mismatch(value: Any, tp: Any, path: str) -> ArgumentError:
    return ArgumentError(path, f"expected {_expected(tp)}, got {_json_type(value)}")


def _convert(value: Any, tp: Any, path: str) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any or tp is object:
        return value
    if tp is None or tp is _NONE_TYPE:
        if value is not None:
            raise _mismatch(value, tp, path)
        return None
    if tp is bool or tp is str:
        if not isinstance(value, tp):
            raise _mismatch(value, tp, path)
        return value
    if tp is int:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _mismatch(value, tp, path)
        return value
    if tp is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _mismatch(value, tp, path)
        if isinstance(value, float) and not math.isfinite(value):
            raise ArgumentError(path, f"expected a finite number, got {value}")
        try:
            return float(value)
        except OverflowError:
            raise ArgumentError(path, "number out of range (beyond a 64-bit float)") from None
    if origin is Literal:
        for option in args:
            if _same(option, value):
                return option
        raise ArgumentError(path, f"expected {_expected(tp)}, got {_shown(value)}")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        for member in tp:
            if _same(member.value, value):
                return member
        raise ArgumentError(path, f"expected {_expected(tp)}, got {_shown(value)}")
    if origin in _UNION_TYPES:
        errors = []
        for option in args:
            try:
                return convert(value, option, path)
            except ArgumentError as err:
                errors.append((option, err))
        # Say what failed inside the arm the value's JSON type chose, if one did.
        closest = next((err for option, err in errors if _takes_json_type(option, value)), None)
        raise closest if closest is not None else _mismatch(value, tp, path)
    if tp in (list, tuple, set, frozenset) or origin in _SEQUENCES:
        return _convert_array(value, tp, origin, args, path)
    if tp is dict or origin in (dict, Mapping):
        if not isinstance(value, dict):
            raise _mismatch(value, tp, path)
        if not args:
            return dict(value)
        return {k: convert(v, args[1], _join(path, k)) for k, v in value.items()}
    if is_object_type(tp):
        if not isinstance(value, dict):
            raise _mismatch(value, tp, path)
        kwargs = convert_fields(value, _fields(tp), path)
        return tp(**kwargs)
    raise TypeError(f"cannot convert JSON to {tp!r}")


def _convert_array(value: Any, tp: Any, origin: Any, args: tuple[Any, ...], path: str) -> Any:
    if not isinstance(value, list):
        raise _mismatch(value, tp, path)
    kind = origin or tp
    if kind is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        if len(value) != len(args):
            raise ArgumentError(path, f"expected {len(args)} items, got {len(value)}")
        return tuple(convert(v, a, _join(path, i)) for i, (v, a) in enumerate(zip(value, args, strict=True)))
    items = [convert(v, args[0], _join(path, i)) if args else v for i, v in enumerate(value)]
    if kind is tuple:
        return tuple(items)
    if kind in (set, Set):
        return set(items)
    if kind is frozenset:
        return frozenset(items)
    return items


def convert_fields(
    value: Mapping[str, Any], fields: Iterable[tuple[str, Any, Any, str | None]], path: str = ""
) -> dict[str, Any]:
    """The fields of a JSON object converted to their types; missing required fields are errors,
    missing optional ones are left out (their defaults apply), unknown keys are ignored."""
    out: dict[str, Any] = {}
    for name, hint, default, _ in fields:
        if name in value:
            out[name] = convert(value[name], hint, _join(path, name))
        elif default is MISSING:
            raise ArgumentError(_join(path, name), "missing required argument")
    return out


# --------------------------------------------------------------------------------------------------
# Python values to JSON values


def to_json(value: Any) -> Any:
    """A Python value as a JSON value: dataclasses and mappings become objects, enums their values,
    sequences and sets arrays.

    >>> import dataclasses
    >>> @dataclasses.dataclass
    ... class Point:
    ...     x: int
    ...     y: int
    >>> to_json({"corners": (Point(0, 0), Point(1, 2))})
    {'corners': [{'x': 0, 'y': 0}, {'x': 1, 'y': 2}]}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value} is not a JSON number")
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
