"""The component binary format: an AST (``ast``), a reader and a writer that mirror each other."""

from .reader.components import decode, iter_sections
from .writer.components import encode

__all__ = ["decode", "encode", "iter_sections"]
