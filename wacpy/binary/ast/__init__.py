"""Immutable AST of the component binary format, shared by the reader and the writer."""

from .aliases import *  # noqa: F403
from .canonicals import *  # noqa: F403
from .common import *  # noqa: F403
from .core_types import *  # noqa: F403
from .exports import *  # noqa: F403
from .imports import *  # noqa: F403
from .instances import *  # noqa: F403
from .names import *  # noqa: F403
from .sections import *  # noqa: F403
from .start import *  # noqa: F403
from .types import *  # noqa: F403
from .values import *  # noqa: F403
