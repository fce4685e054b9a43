"""A tiny componentize-py app implementing `wacpy:pyapp/calc` (see app.wit).

Built with: componentize-py -d app.wit -w py-app componentize app -o app.wasm
"""

from componentize_py_types import Err
from wit_world import exports
from wit_world.exports.calc import Expr, Op


class Calc(exports.Calc):
    def eval(self, e: Expr) -> int:
        if e.op == Op.ADD:
            return e.lhs + e.rhs
        if e.op == Op.SUB:
            return e.lhs - e.rhs
        if e.op == Op.MUL:
            return e.lhs * e.rhs
        if e.rhs == 0:
            raise Err("division by zero")
        return int(e.lhs / e.rhs)

    def greet(self, name: str) -> str:
        return f"Hello, {name}!"

    def total(self, values: list[float]) -> float | None:
        if not values:
            return None
        return sum(values)
