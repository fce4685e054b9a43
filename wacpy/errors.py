"""Every exception wacpy raises on bad input, under one base class."""

from __future__ import annotations


class WacpyError(Exception):
    """Base class of every error wacpy reports about its input.

    The message is one line; ``details`` may hold more (what a tool printed), which
    ``wacpy --verbose`` shows.
    """

    details: str | None = None


class DecodeError(WacpyError):
    """Malformed component binary: says what was expected and at which byte offset.

    >>> str(DecodeError("expected a section id", 12))
    'at byte offset 12 (0xc): expected a section id'
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"at byte offset {offset} ({offset:#x}): {message}")
        self.message = message
        self.offset = offset


class EncodeError(WacpyError):
    """An AST that cannot be written as a component binary (a value out of range, a bad width)."""


class ComponentTypeError(WacpyError):
    """A component whose index spaces or types do not resolve (it would not validate)."""


class TypeMismatchError(WacpyError):
    """A type is not a subtype of the one expected; ``path`` locates the mismatch inside it.

    >>> str(TypeMismatchError(["call-tool", "result", "ok", 'field "content"'], "expected list<u8>, found string"))
    'call-tool: result: ok: field "content": expected list<u8>, found string'
    """

    def __init__(self, path: list[str], message: str) -> None:
        super().__init__(": ".join([*path, message]))
        self.path = path
        self.message = message


class CompositionError(WacpyError):
    """Base class of every error the composition graph reports."""


class UnknownItemError(CompositionError):
    """A package, node, import or export name that does not exist."""


class ArgumentTypeMismatchError(CompositionError):
    """An instantiation argument whose type is not a subtype of the import it satisfies."""


class ArgumentAlreadyPassedError(CompositionError):
    """An instantiation argument passed twice."""


class UnknownArgumentError(CompositionError):
    """An instantiation argument naming an import the component does not have."""


class MissingArgumentError(CompositionError):
    """An import left unsatisfied while the graph is encoded with imports disallowed."""


class CycleError(CompositionError):
    """An argument that would make an instance depend on itself."""


class ExportNameClashError(CompositionError):
    """Two exports of the graph under one name."""


class ImportMergeConflictError(CompositionError):
    """Imports of one name (or semver-compatible names) whose types cannot be merged."""


class NotAnInstanceError(CompositionError):
    """An export aliased out of a node that is not an instance."""


class InvalidNameError(CompositionError):
    """An import or export name that is not a valid component-model name."""


class UnsupportedCompositionError(CompositionError):
    """A composition wacpy cannot encode yet; the message says which part."""


class ValidationError(CompositionError):
    """The encoded composition failed ``wasm-tools validate``; carries its message."""


class UnusedPlugError(CompositionError):
    """A plug whose exports satisfy no import of the root or of another plug in use."""


class GraphFileError(CompositionError):
    """A graph file that is not valid TOML or does not describe a graph; names the key path."""


class ImportUsesLocalResourceError(CompositionError):
    """An unsatisfied import whose type needs a resource defined inside the composition."""


class OutputError(WacpyError):
    """An output file that cannot be written, or whose path names one of the command's inputs."""


class RegistryError(WacpyError):
    """Base class of every error about component aliases, profiles, OCI packages and their cache."""


class ConfigError(RegistryError):
    """A registry config or lock file that cannot be read or does not describe a registry; names
    the file and, where known, the line."""


class SpecError(RegistryError):
    """A component spec that is not a path, an alias, a profile or an OCI reference."""


class AliasCycleError(SpecError):
    """Aliases that lead back to themselves; ``cycle`` lists the names in order."""

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(f"alias cycle: {' -> '.join(cycle)}")
        self.cycle = cycle


class ProfileCycleError(SpecError):
    """Profiles whose bases lead back to themselves; ``cycle`` lists the names in order."""

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(f"profile base cycle: {' -> '.join(cycle)}")
        self.cycle = cycle


class OciError(RegistryError):
    """A push or pull that an OCI registry refused or answered wrongly; names the reference."""


class RegistryUnavailableError(OciError):
    """A registry that could not be reached (refused, timed out, TLS failure)."""


class RegistryAuthError(OciError):
    """A registry that asked for credentials and accepted none of those given."""


class PackageNotFoundError(OciError):
    """A repository, tag or digest the registry does not have."""


class DigestMismatchError(OciError):
    """Content whose size or sha256 digest is not what its descriptor or reference says."""


class CacheError(RegistryError):
    """The content cache could not be written or, with ``--offline``, lacks what is needed."""


class LockDriftError(RegistryError):
    """With ``--locked``: a registry input missing from ``wacpy.lock`` or moved since it was pinned."""
