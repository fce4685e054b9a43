"""Write MCP components: new projects from templates (``wacpy new``) and their builds (``wacpy build``).

>>> from wacpy.authoring import TEMPLATES, LANGUAGES
>>> LANGUAGES, TEMPLATES
(('python', 'c'), ('tools', 'resources', 'prompts'))
"""

from .build import BuildResult, build_project
from .project import (
    LANGUAGES,
    TEMPLATE_EXPORTS,
    TEMPLATES,
    AuthoringError,
    Language,
    Project,
    Template,
    load_project,
    new_project,
)
from .wit import provider_wit

__all__ = [
    "LANGUAGES",
    "TEMPLATES",
    "TEMPLATE_EXPORTS",
    "AuthoringError",
    "BuildResult",
    "Language",
    "Project",
    "Template",
    "build_project",
    "load_project",
    "new_project",
    "provider_wit",
]
