"""The component type model: resolve a component's imports and exports, check subtyping, print WIT."""

from .model import ComponentT, ExternT, FuncT, InstanceT, ModuleT, Resource, TypeDefT, ValueExternT, ValueT
from .resolve import component_type, instantiate
from .subtype import check_subtype
from .wit_text import describe_extern, describe_value, render_component

__all__ = [
    "ComponentT",
    "ExternT",
    "FuncT",
    "InstanceT",
    "ModuleT",
    "Resource",
    "TypeDefT",
    "ValueExternT",
    "ValueT",
    "check_subtype",
    "component_type",
    "describe_extern",
    "describe_value",
    "instantiate",
    "render_component",
]
