# pyright: reportPrivateUsage=false
"""What the sync and async clients share (standard library and httpx only).

This file is copied verbatim into every generated package as ``_base.py``:
configuration (base URL, environments, credentials from the documented
environment variables, ``with_options``), authentication schemes, the retry
policy, logging (``<PACKAGE>_LOG=info|debug``, credentials redacted) and
response decoding.  No I/O happens here (``_http.py`` sends).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import json
import logging
import os
import random
import sys
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, ClassVar, TypeVar

import httpx

from . import _auth, _request
from . import _runtime as _rt
from ._errors import (
    ApiConnectionError,
    ApiTimeoutError,
    RawResponse,
    ResponseDecodeError,
    captured,
    error_for,
    retry_after,
)
from ._request import Call, Options, Timeout

T = TypeVar("T")
__all__ = ["Base", "deprecated", "warn_deprecated"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
DEFAULT_TIMEOUT = 30.0
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)
"""httpx's pool size, keeping every connection alive: with httpx's own 20, a
1,000-wide async burst of 15,000 requests opened 14,191 connections; 1,548
with 100."""
SECRET_HEADERS = frozenset(
    ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]
)
_SECRET_WORDS = ("key", "token", "secret", "password", "auth", "signature")

Send = Callable[[httpx.Request], httpx.Response]
Middleware = Callable[[httpx.Request, Send], httpx.Response]
"""``middleware(request, call_next) -> response``, once per attempt."""
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]
AsyncMiddleware = Callable[[httpx.Request, AsyncSend], Awaitable[httpx.Response]]
_UNSET: Any = object()

if TYPE_CHECKING:
    from typing_extensions import Self
if sys.version_info >= (3, 13):
    from warnings import deprecated
elif TYPE_CHECKING:
    from typing_extensions import deprecated
else:

    def deprecated(message: str, /, *, category: Any = DeprecationWarning) -> Any:
        """``warnings.deprecated`` (Python 3.13) for older Pythons."""

        def decorate(function: Any) -> Any:
            if inspect.iscoroutinefunction(function):

                @functools.wraps(function)
                async def awaiting(*args: Any, **kwargs: Any) -> Any:
                    warnings.warn(message, category, stacklevel=2)
                    return await function(*args, **kwargs)

                return awaiting

            @functools.wraps(function)
            def calling(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, category, stacklevel=2)
                return function(*args, **kwargs)

            return calling

        return decorate


def warn_deprecated(what: str) -> None:
    """A ``DeprecationWarning`` for a deprecated parameter the caller passed."""
    warnings.warn(f"{what} is deprecated", DeprecationWarning, stacklevel=3)


_PACKAGE = __name__.rpartition(".")[0] or __name__
log = logging.getLogger(_PACKAGE)


def _redact_headers(headers: httpx.Headers, secret: frozenset[str]) -> dict[str, str]:
    return {
        k: "[redacted]" if k.lower() in secret or _secretish(k) else v
        for k, v in headers.items()
    }


def _secretish(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def _redact_url(url: httpx.URL, secret: frozenset[str]) -> str:
    params = [
        (k, "[redacted]" if k.lower() in secret or _secretish(k) else v)
        for k, v in url.params.multi_items()
    ]
    return str(url.copy_with(params=params)) if params else str(url)


@dataclass(frozen=True)
class _Config:
    """What ``with_options`` may change; the connection pool is shared."""

    base_url: str
    timeout: Timeout
    max_retries: int
    retry_all_methods: bool
    headers: Mapping[str, str]


class Base:
    """Configuration shared by the sync and async clients (no I/O here).

    Generated subclasses set what the docs say: ``default_base_url``, the
    API key's header or query name, the OAuth token URL, the environment
    variables that hold credentials (``credential_env``) and the prefix of
    the client's own variables (``env_prefix``: ``<PREFIX>_BASE_URL``,
    ``<PREFIX>_LOG``); they attach their services in ``_services``.
    """

    default_base_url: ClassVar[str | None] = None
    api_key_name: ClassVar[str] = "X-API-Key"
    api_key_in: ClassVar[str] = "header"
    token_url: ClassVar[str | None] = None
    credential_env: ClassVar[Mapping[str, str]] = {}
    env_prefix: ClassVar[str] = ""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        environment: Any = None,
        api_key: str | None = None,
        api_key_header: str | None = None,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        scope: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry_all_methods: bool = False,
        headers: Mapping[str, str] | None = None,
        middleware: Any = (),
        limits: httpx.Limits | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if http_client is not None and limits is not None:
            raise TypeError(
                "limits= is for the pool this client makes: set it on http_client"
            )
        self._owned = http_client is None
        self._connect(http_client, transport, limits or DEFAULT_LIMITS)
        url = base_url or getattr(environment, "value", environment)
        url = url or self._env("BASE_URL") or self.default_base_url
        if not url:
            variable = f" or set ${self.env_prefix}_BASE_URL" if self.env_prefix else ""
            raise TypeError(
                f"{type(self).__name__}() needs base_url= (the API's docs name no "
                f"base URL){variable}"
            )
        self._config = _Config(
            str(url).rstrip("/"), timeout, max_retries, retry_all_methods,
            dict(headers or {}),
        )  # fmt: skip
        self._middleware = tuple(middleware)
        given = {"api_key": api_key, "token": token, "username": username}
        given |= {"password": password, "client_id": client_id}
        given |= {"client_secret": client_secret}
        found = {
            k: v if v is not None else self._credential(k) for k, v in given.items()
        }
        self._secret_names = SECRET_HEADERS | {self.api_key_name.lower()}
        self._auth = _auth.combine(
            self._schemes(found, api_key_header, token_url, scope)
        )
        self._logging()
        self._services()

    # configuration -------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> Timeout:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    @property
    def retry_all_methods(self) -> bool:
        return self._config.retry_all_methods

    def with_options(
        self,
        *,
        base_url: str = _UNSET,
        timeout: Timeout = _UNSET,
        max_retries: int = _UNSET,
        retry_all_methods: bool = _UNSET,
        headers: Mapping[str, str] = _UNSET,
    ) -> Self:
        """A client like this one with some options changed; it shares the
        connection pool (closing it does not close the pool)."""
        changes = {"base_url": base_url, "timeout": timeout, "headers": headers}
        changes |= {"max_retries": max_retries, "retry_all_methods": retry_all_methods}
        given: dict[str, Any] = {k: v for k, v in changes.items() if v is not _UNSET}
        if "base_url" in given:
            given["base_url"] = str(given["base_url"]).rstrip("/")
        if "headers" in given:
            given["headers"] = {**self._config.headers, **given["headers"]}
        other = copy.copy(self)
        other._config = _Config(**{**self._config.__dict__, **given})
        other._owned = False
        other._services()
        return other

    def _env(self, name: str) -> str | None:
        return os.environ.get(f"{self.env_prefix}_{name}") if self.env_prefix else None

    def _credential(self, name: str) -> str | None:
        variable = self.credential_env.get(name)
        return os.environ.get(variable) if variable else None

    def _schemes(
        self,
        found: Mapping[str, str | None],
        header: str | None,
        token_url: str | None,
        scope: str | None,
    ) -> list[httpx.Auth]:
        out: list[httpx.Auth] = []
        if found["api_key"] is not None:
            name = header or self.api_key_name
            self._secret_names |= {name.lower()}
            out.append(_auth.ApiKey(found["api_key"], name, self.api_key_in))
        if found["token"] is not None:
            out.append(_auth.Bearer(found["token"]))
        if found["username"] is not None:
            out.append(_auth.Basic(found["username"], found["password"] or ""))
        if found["client_id"] is not None and found["client_secret"] is not None:
            url = token_url or self.token_url
            if url and url.startswith("/"):  # a documented endpoint of this API
                url = self._config.base_url + url
            if not url:
                raise TypeError(
                    f"{type(self).__name__}() needs token_url for OAuth client "
                    "credentials (the docs name no token endpoint)"
                )
            out.append(
                _auth.ClientCredentials(
                    found["client_id"], found["client_secret"], url, scope
                )
            )
        return out

    def _logging(self) -> None:
        level = (self._env("LOG") or "").upper()
        if level in ("INFO", "DEBUG") and not log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
            log.addHandler(handler)
            log.setLevel(level)

    def _services(self) -> None:
        """Attach the API's services (generated subclasses override this)."""

    def _connect(self, client: Any, transport: Any, limits: httpx.Limits) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # one call --------------------------------------------------------------

    def _request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        call: Call,
        opened: list[IO[bytes]],
    ) -> httpx.Request:
        config = self._config
        return _request.build(
            client, config.base_url, config.headers, config.timeout, call, opened
        )

    def _retries(self, call: Call) -> int:
        chosen = call.options.max_retries
        return self._config.max_retries if chosen is None else chosen

    def _should_retry(self, call: Call, attempt: int) -> bool:
        if attempt >= self._retries(call):
            return False
        if self._config.retry_all_methods or call.idempotency_header:
            return True  # an idempotency key makes a repeated POST safe
        return call.method.upper() in IDEMPOTENT_METHODS

    def _transport_retry(
        self,
        call: Call,
        attempt: int,
        exc: httpx.TransportError,
        request: httpx.Request,
    ) -> float:
        """Seconds to wait before retrying after a transport failure (or raise)."""
        url = _redact_url(request.url, self._secret_names)
        log.info("%s %s failed: %s (attempt %d)", request.method, url, exc, attempt + 1)
        if not self._should_retry(call, attempt):
            raise _transport_error(exc, request) from exc
        return _delay(attempt, None)

    def _response_retry(
        self, call: Call, attempt: int, raw: RawResponse
    ) -> float | None:
        """Seconds to wait before retrying this response, or None to keep it."""
        if raw.status_code in RETRY_STATUSES and self._should_retry(call, attempt):
            return _delay(attempt, raw.headers)
        return None

    def _raw(
        self,
        request: httpx.Request,
        response: httpx.Response,
        attempt: int,
        start: float,
    ) -> RawResponse:
        raw = RawResponse(
            request.method, str(request.url), response.status_code,
            response.headers, response.content,
        )  # fmt: skip
        if log.isEnabledFor(logging.INFO):
            self._log(request, raw, attempt, start)
        seen = captured.get()
        if seen is not None:
            seen.append(raw)
        return raw

    def _log(
        self, request: httpx.Request, raw: RawResponse, attempt: int, start: float
    ) -> None:
        url = _redact_url(request.url, self._secret_names)
        took = (time.monotonic() - start) * 1000
        rid = f" [request id {raw.request_id}]" if raw.request_id else ""
        log.info("%s %s -> %d in %.0f ms (attempt %d)%s", request.method, url,
                 raw.status_code, took, attempt + 1, rid)  # fmt: skip
        if log.isEnabledFor(logging.DEBUG):
            log.debug("request headers: %s",
                      _redact_headers(request.headers, self._secret_names))  # fmt: skip
            log.debug("response headers: %s",
                      _redact_headers(raw.headers, self._secret_names))  # fmt: skip

    @staticmethod
    def _decode(raw: RawResponse, call: Call, decode: Callable[[Any], T]) -> T:
        if raw.status_code >= 400:
            raise error_for(raw)
        if call.binary:
            return decode(raw.content)
        if call.text and "json" not in raw.headers.get("content-type", ""):
            return decode(raw.text)
        if not raw.content.strip():
            return decode(None)
        try:
            data = json.loads(raw.content)
        except ValueError:
            raise ResponseDecodeError(raw, "not JSON") from None
        try:
            return decode(data)
        except _rt.DecodeError as exc:
            raise ResponseDecodeError(raw, str(exc)) from exc

    @staticmethod
    def _generic(
        method: str,
        path: str,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        options: Options,
    ) -> Call:
        return Call(
            method.upper(), path, query=query or {}, headers=headers or {},
            body=body, has_body=body is not None, text=True, options=options,
        )  # fmt: skip


def _delay(attempt: int, headers: httpx.Headers | None) -> float:
    asked = retry_after(headers) if headers is not None else None
    if asked is not None:
        return min(asked, MAX_RETRY_AFTER)
    backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def _transport_error(
    exc: httpx.TransportError, request: httpx.Request
) -> ApiConnectionError:
    timed_out = isinstance(exc, httpx.TimeoutException)
    kind = ApiTimeoutError if timed_out else ApiConnectionError
    return kind(f"{type(exc).__name__}: {exc}", request.method, str(request.url))


def close_all(opened: list[IO[bytes]]) -> None:
    for handle in opened:
        with contextlib.suppress(OSError):
            handle.close()
