"""python-tools: a calculator and a temperature converter, written with wacpy_sdk.

`wacpy build` in this folder makes python-tools.wasm; the functions stay plain Python:

>>> calculate("divide", 1, 4)
0.25
"""

from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Literal

from wacpy_sdk import Context, Field, Server, ToolError

server = Server("python-tools")


@server.tool(title="Calculator", annotations={"readOnlyHint": True})
def calculate(
    operation: Literal["add", "subtract", "multiply", "divide"], a: float, b: float, ctx: Context | None = None
) -> float:
    """Apply an arithmetic operation to two numbers."""
    if ctx is not None:
        ctx.debug(f"{operation} {a} {b}")
    if operation == "add":
        return a + b
    if operation == "subtract":
        return a - b
    if operation == "multiply":
        return a * b
    if b == 0:
        raise ToolError("cannot divide by zero")
    return a / b


@dataclass
class Summary:
    """Statistics of a list of numbers."""

    count: int
    mean: float
    minimum: float
    maximum: float


@server.tool
def summarize(numbers: Annotated[list[float], Field(description="The numbers", min_length=1)]) -> Summary:
    """Count, mean, minimum and maximum of some numbers."""
    return Summary(len(numbers), sum(numbers) / len(numbers), min(numbers), max(numbers))


class Unit(Enum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"
    KELVIN = "kelvin"


def _to_kelvin(value: float, unit: Unit) -> float:
    if unit is Unit.CELSIUS:
        return value + 273.15
    if unit is Unit.FAHRENHEIT:
        return (value - 32) * 5 / 9 + 273.15
    return value


@server.tool
def convert_temperature(
    value: float,
    from_unit: Annotated[Unit, "The unit of value"],
    to_unit: Annotated[Unit, "The unit to convert to"] = Unit.CELSIUS,
) -> float:
    """Convert a temperature between Celsius, Fahrenheit and Kelvin."""
    kelvin = _to_kelvin(value, from_unit)
    if kelvin < 0:
        raise ToolError(f"{value} {from_unit.value} is below absolute zero")
    if to_unit is Unit.CELSIUS:
        return round(kelvin - 273.15, 10)
    if to_unit is Unit.FAHRENHEIT:
        return round((kelvin - 273.15) * 9 / 5 + 32, 10)
    return round(kelvin, 10)
