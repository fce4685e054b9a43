"""Push and pull components as Wasm OCI artifacts (:mod:`.artifact`), through the ``oras`` library.

Registries on loopback are spoken to over plain HTTP (as docker does for localhost), every other
registry over verified TLS. Credentials come from ``WACPY_REGISTRY_USERNAME`` and
``WACPY_REGISTRY_PASSWORD``, else from the docker config (``$DOCKER_CONFIG/config.json`` or
``~/.docker/config.json``, credential helpers included); both Basic and token (Bearer)
challenges are answered. Requests time out and are not retried behind the user's back, so a
registry that is down is an error within seconds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import oras.auth
import oras.container
import oras.provider
import requests
from attrs import frozen

from ..errors import (
    DigestMismatchError,
    OciError,
    PackageNotFoundError,
    RegistryAuthError,
    RegistryUnavailableError,
)
from . import progress
from .artifact import (
    DOCKER_MANIFEST,
    INDEX_MEDIA_TYPES,
    OCI_MANIFEST,
    WASM_CONFIG_MEDIA_TYPE,
    WASM_LAYER_MEDIA_TYPE,
    Descriptor,
    WasmManifest,
    parse_manifest,
    wasm_config,
)
from .cache import BlobSink, sha256_digest
from .spec import Reference

TIMEOUT = (5.0, 60.0)  # seconds to connect, and between bytes
CHUNK = 1 << 20  # upload chunk (and progress step) for layers over the progress threshold
MAX_MANIFEST = 4 << 20  # bytes: a manifest larger than this is not a Wasm artifact's
CREDENTIAL_HINT = (
    "log in with `docker login {host}` or set WACPY_REGISTRY_USERNAME and WACPY_REGISTRY_PASSWORD"
)


@frozen
class PushResult:
    reference: Reference  # with the manifest digest
    layer: Descriptor


# --------------------------------------------------------------------------------------------------
# oras, with timeouts, no hidden retries and both kinds of challenge


class _Session(requests.Session):
    """A session whose requests time out unless told otherwise."""

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, *args, **kwargs)


class _Auth(oras.auth.TokenAuth):  # type: ignore[misc]
    """oras' token auth, which also answers a ``Basic`` challenge (htpasswd registries)."""

    basic = False

    def get_auth_header(self) -> dict[str, str]:
        if self.basic:
            return {"Authorization": f"Basic {self._basic_auth}"}
        return dict(super().get_auth_header())

    @property
    def has_credentials(self) -> bool:
        return bool(getattr(self, "_basic_auth", None))

    def authenticate_request(
        self, original: requests.Response, headers: dict[str, str], refresh: bool = False
    ) -> tuple[dict[str, str], bool]:
        challenge = original.headers.get("Www-Authenticate", "")
        if challenge.lower().startswith("basic"):
            if not self.has_credentials or self.basic:
                return headers, False  # none to give, or the ones given were refused
            self.basic = True
            return {**headers, **self.get_auth_header()}, True
        return super().authenticate_request(original, headers, refresh=True)  # type: ignore[no-any-return]


def _docker_configs() -> list[str]:
    folder = os.environ.get("DOCKER_CONFIG")
    path = Path(folder) / "config.json" if folder else None
    return [str(path)] if path is not None and path.is_file() else []


class _Registry(oras.provider.Registry):  # type: ignore[misc]
    """One registry host, spoken to through oras' blob, manifest and tag operations."""

    def __init__(self, reference: Reference) -> None:
        super().__init__(hostname=reference.registry, insecure=reference.is_loopback, tls_verify=True)
        self.session = _Session()
        self.auth = _Auth()
        self.auth.session = self.session
        self.auth.prefix = self.prefix
        self.auth._tls_verify = True
        self.on_upload: progress.Advance = lambda _: None
        user, password = os.environ.get("WACPY_REGISTRY_USERNAME"), os.environ.get("WACPY_REGISTRY_PASSWORD")
        if user and password:
            self.auth.set_basic_auth(user, password)
        else:
            self.auth.load_configs(container_of(reference), configs=_docker_configs())

    def do_request(
        self,
        url: str,
        method: str = "GET",
        data: dict[str, Any] | bytes | None = None,
        headers: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """One request, answering one authentication challenge; replaces oras' retrying version."""
        sent = {**(headers or {}), **self.auth.get_auth_header()}
        response = self.session.request(method, url, data=data, json=json, headers=sent, stream=stream)
        if response.status_code == 401:
            retry, changed = self.auth.authenticate_request(response, sent)
            if changed:
                response.close()
                response = self.session.request(
                    method, url, data=data, json=json, headers=retry, stream=stream
                )
        if response.status_code in (401, 403):
            raise _RefusedError(response.status_code, _registry_message(response), self.auth.has_credentials)
        if isinstance(data, bytes) and method in ("PUT", "PATCH") and response.ok:
            self.on_upload(len(data))
        return response


class _RefusedError(Exception):
    """A request the registry still refused after the credentials were offered."""

    def __init__(self, status: int, message: str, had_credentials: bool) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message
        self.had_credentials = had_credentials


def container_of(reference: Reference) -> oras.container.Container:
    """oras' view of ``reference`` (set field by field: oras' own parser guesses registries)."""
    container = oras.container.Container("placeholder", registry=reference.registry)
    container.namespace = None
    container.repository = reference.repository
    container.tag = reference.tag or "latest"
    container.digest = reference.digest
    return container


def _reason(err: BaseException) -> str:
    """The innermost OS-level reason of a connection failure (``Connection refused``)."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    text = str(err)
    if "timed out" in text.lower():
        return "timed out"
    return text.split(": ")[-1][:200] or type(err).__name__


def _auth_error(
    reference: Reference, action: str, status: int, message: str, had_credentials: bool
) -> RegistryAuthError:
    detail = f" ({message})" if message else ""
    hint = (
        "the credentials given were refused"
        if had_credentials
        else CREDENTIAL_HINT.format(host=reference.registry)
    )
    return RegistryAuthError(
        f"registry {reference.registry} refused to {action} {reference}: HTTP {status}{detail}; {hint}"
    )


def _registry_message(response: requests.Response) -> str:
    try:
        errors = response.json().get("errors", [])
        messages = [e.get("message") or e.get("code") for e in errors if isinstance(e, dict)]
        return "; ".join(str(m) for m in messages if m)
    except (ValueError, AttributeError):
        return ""


# --------------------------------------------------------------------------------------------------
# The client


class OciClient:
    """Pushes and pulls Wasm artifacts; one connection pool per registry host."""

    def __init__(self) -> None:
        self._registries: dict[str, _Registry] = {}

    def _registry(self, reference: Reference) -> _Registry:
        if reference.registry not in self._registries:
            self._registries[reference.registry] = _Registry(reference)
        return self._registries[reference.registry]

    @contextmanager
    def _talking(self, reference: Reference, action: str) -> Iterator[None]:
        """Turn transport failures and refusals into one-line errors naming the registry."""
        try:
            yield
        except _RefusedError as refused:
            raise _auth_error(
                reference, action, refused.status, refused.message, refused.had_credentials
            ) from None
        except requests.exceptions.SSLError as err:
            raise RegistryUnavailableError(
                f"TLS with registry {reference.registry} failed: {_reason(err)}"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as err:
            if isinstance(err, requests.exceptions.ChunkedEncodingError):
                raise
            raise RegistryUnavailableError(
                f"cannot reach registry {reference.registry}: {_reason(err)}"
            ) from None
        except requests.exceptions.RequestException as err:
            raise OciError(f"{reference}: {err}") from None
        except ValueError as err:  # oras' way of saying a response was not what it expected
            raise OciError(f"registry {reference.registry} could not {action} {reference}: {err}") from None

    def _check(self, response: requests.Response, reference: Reference, action: str) -> None:
        if response.status_code in (200, 201, 202):
            return
        message = _registry_message(response)
        detail = f" ({message})" if message else ""
        if response.status_code in (401, 403):
            has_credentials = self._registry(reference).auth.has_credentials
            raise _auth_error(reference, action, response.status_code, message, has_credentials)
        if response.status_code == 404:
            raise PackageNotFoundError(f"no such package: {reference}{detail}")
        raise OciError(
            f"registry {reference.registry} could not {action} {reference}: HTTP {response.status_code}{detail}"
        )

    def push(
        self, path: Path, reference: Reference, annotations: Mapping[str, str] | None = None
    ) -> PushResult:
        """Push the component at ``path`` as ``reference`` (which needs a tag); returns the pushed
        reference with its manifest digest."""
        if reference.tag is None or reference.digest is not None:
            raise OciError(f"push to a tag, not a digest: {reference}")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise OciError(f"cannot read {path}: {err.strerror or err}") from None
        config_data = json.dumps(wasm_config(data, str(path)), separators=(",", ":")).encode()
        config = Descriptor(WASM_CONFIG_MEDIA_TYPE, sha256_digest(config_data), len(config_data))
        layer = Descriptor(WASM_LAYER_MEDIA_TYPE, sha256_digest(data), len(data))
        registry = self._registry(reference)
        container = container_of(reference)
        with (
            tempfile.TemporaryDirectory(prefix="wacpy-push-") as folder,
            self._talking(reference, "accept a push to"),
        ):
            config_path = Path(folder) / "config.json"
            config_path.write_bytes(config_data)
            with progress.transfer(f"push {reference.repository}", len(data)) as advance:
                registry.on_upload = advance
                chunked = len(data) > progress.THRESHOLD
                response = registry.upload_blob(
                    str(path), container, layer.to_json(), do_chunked=chunked, chunk_size=CHUNK
                )
                registry.on_upload = lambda _: None
            self._check(response, reference, "accept the layer of")
            self._check(
                registry.upload_blob(str(config_path), container, config.to_json()),
                reference,
                "accept the config of",
            )
            manifest: dict[str, Any] = {
                "schemaVersion": 2,
                "mediaType": OCI_MANIFEST,
                "config": config.to_json(),
                "layers": [layer.to_json()],
            }
            if annotations:
                manifest["annotations"] = dict(annotations)
            response = registry.upload_manifest(manifest, container)
            self._check(response, reference, "accept the manifest of")
        digest = response.headers.get("Docker-Content-Digest") or sha256_digest(json.dumps(manifest).encode())
        return PushResult(reference.with_digest(digest), layer)

    def manifest(self, reference: Reference) -> WasmManifest:
        """Fetch and check the manifest of ``reference`` (its digest, if it names one)."""
        registry = self._registry(reference)
        url = f"{registry.prefix}://{container_of(reference).manifest_url()}"
        accept = ", ".join((OCI_MANIFEST, DOCKER_MANIFEST, *INDEX_MEDIA_TYPES))
        with self._talking(reference, "give the manifest of"):
            response = registry.do_request(url, "GET", headers={"Accept": accept}, stream=True)
            with response:
                self._check(response, reference, "give the manifest of")
                data = response.raw.read(MAX_MANIFEST + 1, decode_content=True)
        if len(data) > MAX_MANIFEST:
            raise OciError(f"{reference}: the manifest is larger than {MAX_MANIFEST} bytes")
        digest = sha256_digest(data)
        if reference.digest is not None and digest != reference.digest:
            raise DigestMismatchError(f"{reference}: the registry sent a manifest with digest {digest}")
        return parse_manifest(data, digest, str(reference))

    def download(self, reference: Reference, descriptor: Descriptor, sink: BlobSink) -> None:
        """Stream the blob ``descriptor`` names into ``sink`` (which checks its size as it grows;
        its owner checks the digest when it finishes)."""
        registry = self._registry(reference)
        with self._talking(reference, "give the layer of"):
            response = registry.get_blob(container_of(reference), descriptor.digest, stream=True)
            with response:
                self._check(response, reference, "give the layer of")
                with progress.transfer(f"pull {reference.repository}", descriptor.size) as advance:
                    try:
                        for chunk in response.iter_content(chunk_size=1 << 16):
                            sink.write(chunk)
                            advance(len(chunk))
                    except requests.exceptions.ChunkedEncodingError:
                        raise DigestMismatchError(
                            f"{sink.what}: truncated: the registry closed the connection after "
                            f"{sink.received} of {descriptor.size} bytes"
                        ) from None

    def tags(self, reference: Reference) -> list[str]:
        """The tags of ``reference``'s repository."""
        registry = self._registry(reference)
        with self._talking(reference, "list the tags of"):
            url = f"{registry.prefix}://{container_of(reference).tags_url()}"
            response = registry.do_request(url, "GET")
            self._check(response, reference, "list the tags of")
        tags = response.json().get("tags") or []
        return [t for t in tags if isinstance(t, str)]
