"""wacpy: compose WebAssembly components into MCP servers, in pure Python.

>>> from wacpy import decode, encode
>>> data = bytes.fromhex("0061736d0d000100")  # an empty component
>>> encode(decode(data)) == data
True
"""

from .binary import decode, encode, iter_sections
from .binary.ast import Component
from .compose import CompositionGraph, EncodeOptions, compose, load_graph
from .errors import (
    ArgumentAlreadyPassedError,
    ArgumentTypeMismatchError,
    ComponentTypeError,
    CompositionError,
    CycleError,
    DecodeError,
    EncodeError,
    ExportNameClashError,
    GraphFileError,
    ImplicitImportConflictError,
    ImportAlreadyExistsError,
    ImportMergeConflictError,
    ImportUsesLocalResourceError,
    InvalidNameError,
    MissingArgumentError,
    NotAnInstanceError,
    OutputError,
    PackageAlreadyRegisteredError,
    TypeMismatchError,
    UnknownArgumentError,
    UnknownItemError,
    UnsupportedCompositionError,
    UnusedPlugError,
    ValidationError,
    WacpyError,
)
from .tuning import gc_paused

__all__ = [
    "ArgumentAlreadyPassedError",
    "ArgumentTypeMismatchError",
    "Component",
    "ComponentTypeError",
    "CompositionError",
    "CompositionGraph",
    "CycleError",
    "DecodeError",
    "EncodeError",
    "EncodeOptions",
    "ExportNameClashError",
    "GraphFileError",
    "ImplicitImportConflictError",
    "ImportAlreadyExistsError",
    "ImportMergeConflictError",
    "ImportUsesLocalResourceError",
    "InvalidNameError",
    "MissingArgumentError",
    "NotAnInstanceError",
    "OutputError",
    "PackageAlreadyRegisteredError",
    "TypeMismatchError",
    "UnknownArgumentError",
    "UnknownItemError",
    "UnsupportedCompositionError",
    "UnusedPlugError",
    "ValidationError",
    "WacpyError",
    "compose",
    "decode",
    "encode",
    "gc_paused",
    "iter_sections",
    "load_graph",
]
__version__ = "0.1.0"
