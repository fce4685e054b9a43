"""wacpy: compose WebAssembly components into MCP servers, in pure Python.

>>> from wacpy import decode, encode
>>> data = bytes.fromhex("0061736d0d000100")  # an empty component
>>> encode(decode(data)) == data
True
"""

from .binary import decode, encode, iter_sections
from .binary.ast import Component
from .errors import DecodeError, EncodeError, WacpyError

__all__ = ["Component", "DecodeError", "EncodeError", "WacpyError", "decode", "encode", "iter_sections"]
__version__ = "0.1.0"
