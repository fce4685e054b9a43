"""How a graph is encoded (:class:`EncodeOptions`, after wac's options of that name) and the
validation strategy it uses (:class:`Validator`): kept out of the graph, which only builds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from attrs import field, frozen

from ..errors import ValidationError
from ..tools import EarlyValidation, ExternalToolError
from ..tools import validate as validate_component


class Validator(Protocol):
    """Checks a composed component; raises :class:`ValidationError` when it is not valid."""

    def validate(self, data: bytes) -> None: ...


@contextmanager
def validation_errors() -> Iterator[None]:
    """Report a failed validation as a :class:`ValidationError` carrying wasm-tools' message."""
    try:
        yield
    except ExternalToolError as err:
        raise ValidationError(
            f"the composed component does not validate: {err}", tool_message=str(err)
        ) from err


class WasmToolsValidator:
    """``wasm-tools validate``, started for each binary."""

    def validate(self, data: bytes) -> None:
        with validation_errors():
            validate_component(data)


class EarlyValidator:
    """``wasm-tools validate -`` started now, before the binary exists, so the tool loads while the
    graph is built; good for one binary. Use as a context manager (the tool is stopped on exit).

    :meth:`validate` is :meth:`send` then :meth:`wait`; a caller with work left that does not
    change the binary (letting the graph go, say) does it between the two.
    """

    def __init__(self) -> None:
        self._tool = EarlyValidation()

    def validate(self, data: bytes) -> None:
        self.send(data)
        self.wait()

    def send(self, data: bytes) -> None:
        """Hand ``data`` to the tool without waiting for its verdict."""
        self._tool.send(data)

    def wait(self) -> None:
        """The verdict on what :meth:`send` handed over; raises :class:`ValidationError`."""
        with validation_errors():
            self._tool.wait()

    def close(self) -> None:
        self._tool.close()

    def __enter__(self) -> EarlyValidator:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@frozen
class EncodeOptions:
    """Options of :meth:`CompositionGraph.encode`.

    ``validate``: check the result with ``validator`` (by default ``wasm-tools validate``).
    ``define_components``: False imports every instantiated component instead of embedding it
    (per package: ``register(..., embed=False)``); ``allow_imports``: False makes an unsatisfied
    argument an error. None leaves either to the graph's attribute of the same name.
    """

    validate: bool = True
    validator: Validator = field(factory=WasmToolsValidator)
    define_components: bool | None = None
    allow_imports: bool | None = None
