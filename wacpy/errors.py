"""Every exception wacpy raises on bad input, under one base class."""

from __future__ import annotations


class WacpyError(Exception):
    """Base class of every error wacpy reports about its input.

    The message is one line; ``details`` may hold more (what a tool printed), which
    ``wacpy --verbose`` shows.
    """

    details: str | None = None


class DecodeError(WacpyError):
    """Malformed component binary: says what was expected and at which byte offset. Fields:
    ``message`` (without the offset), ``offset``, ``component`` (the registered component's
    name, when a graph was registering one).

    >>> str(DecodeError("expected a section id", 12))
    'at byte offset 12 (0xc): expected a section id'
    """

    def __init__(self, message: str, offset: int, *, component: str | None = None) -> None:
        super().__init__(f"at byte offset {offset} ({offset:#x}): {message}")
        self.message = message
        self.offset = offset
        self.component = component


class EncodeError(WacpyError):
    """An AST that cannot be written as a component binary (a value out of range, a bad width)."""


class ComponentTypeError(WacpyError):
    """A component whose index spaces or types do not resolve (it would not validate). Fields:
    ``component`` (the registered component's name, when a graph was registering one)."""

    def __init__(self, message: str, *, component: str | None = None) -> None:
        super().__init__(message)
        self.component = component


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
    """Base class of every error the composition graph reports.

    Each subclass carries the offending items as attributes (listed in its docstring) besides
    the message: ``err.name``, ``err.node``, ``err.package``, ...; an attribute that does not
    apply to one occurrence is None.
    """

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        for cls in type(self).__mro__:
            for key in getattr(cls, "__annotations__", {}):
                setattr(self, key, fields.pop(key, getattr(self, key, None)))
        if fields:
            raise TypeError(f"{type(self).__name__} has no fields {sorted(fields)}")


class _NamesAnImport:
    """An error whose ``name`` is an import's name: also readable as ``import_name``."""

    name: str

    @property
    def import_name(self) -> str:
        return self.name


class UnknownItemError(CompositionError):
    """A package, node, import or export name that does not exist. Fields: ``item`` (what was
    asked for)."""

    item: object


class PackageAlreadyRegisteredError(CompositionError):
    """A package registered twice under one name and version. Fields: ``package`` (the key,
    ``name`` or ``name@version``), ``existing`` (the registered package's id)."""

    package: str
    existing: object


class ArgumentTypeMismatchError(_NamesAnImport, CompositionError):
    """An instantiation argument whose type is not a subtype of the import it satisfies.
    Fields: ``node`` (the instance), ``name`` (the argument, also ``import_name``), ``path``
    (where in the type)."""

    node: object
    name: str
    path: list[str]


class ArgumentAlreadyPassedError(_NamesAnImport, CompositionError):
    """An instantiation argument passed twice. Fields: ``node``, ``name`` (also ``import_name``)."""

    node: object
    name: str


class UnknownArgumentError(_NamesAnImport, CompositionError):
    """An instantiation argument naming an import the component does not have. Fields:
    ``node``, ``name`` (also ``import_name``), ``package`` (the instantiated package's name)."""

    node: object
    name: str
    package: str


class MissingArgumentError(CompositionError):
    """Imports left unsatisfied while the graph is encoded with imports disallowed. Fields:
    ``missing`` (``(instance node, argument name)`` pairs)."""

    missing: list[tuple[object, str]]


class CycleError(CompositionError):
    """An argument that would make an instance depend on itself. Fields: ``node`` (where the
    cycle closes), ``argument`` (the node passed, when passing closed it)."""

    node: object
    argument: object


class ExportNameClashError(CompositionError):
    """Two exports of the graph under one name. Fields: ``name`` (also ``export_name``),
    ``existing`` (the name it clashes with), ``node`` (the node already exported)."""

    name: str
    existing: str
    node: object

    @property
    def export_name(self) -> str:
        return self.name


class ImportMergeConflictError(_NamesAnImport, CompositionError):
    """Imports of one name (or semver-compatible names) whose types cannot be merged. Fields:
    ``name`` (the import, also ``import_name``), ``node`` (the instance whose need conflicts),
    ``path``."""

    name: str
    node: object
    path: list[str]


class ImportAlreadyExistsError(ImportMergeConflictError):
    """An explicit import under a name the graph already imports. Fields: ``name``, ``node``
    (the existing import node)."""


class ImplicitImportConflictError(ImportMergeConflictError):
    """An import an instance leaves unsatisfied, named like an explicit import whose type does
    not satisfy it (a composed component has one import per name, so the two are one import).
    Fields: ``name``, ``node`` (the instance), ``package``, ``import_node`` (the explicit one),
    ``path``."""

    package: str
    import_node: object


class NotAnInstanceError(CompositionError):
    """An export aliased out of a node that is not an instance, or an argument set on a node
    that is not an instantiation. Fields: ``node``, ``kind`` (what the node is)."""

    node: object
    kind: str


class InvalidNameError(CompositionError):
    """An import, export or package name that is not valid. Fields: ``name``, ``kind``
    (``import``, ``export``, ``package``)."""

    name: str
    kind: str


class UnsupportedCompositionError(CompositionError):
    """A composition wacpy cannot encode yet; the message says which part. Fields: ``node``
    (the instance concerned) and ``name`` (the import), where one is known."""

    node: object
    name: str


class ValidationError(CompositionError):
    """The encoded composition failed ``wasm-tools validate``. Fields: ``tool_message`` (what
    the tool said)."""

    tool_message: str


class UnusedPlugError(CompositionError):
    """Plugs whose exports satisfy no import of the root or of another plug in use. Fields:
    ``plugs`` (their names, in the order given)."""

    plugs: list[str]


class GraphFileError(CompositionError):
    """A graph file that is not valid TOML or does not describe a graph; names the key path."""


class ImportUsesLocalResourceError(_NamesAnImport, CompositionError):
    """An unsatisfied import whose type needs a resource defined inside the composition.
    Fields: ``node`` (the instance), ``name`` (the import, also ``import_name``), ``resource``
    (its name)."""

    node: object
    name: str
    resource: str


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
