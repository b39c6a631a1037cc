# pyright: reportPrivateUsage=false
"""What the sync and async clients share: their configuration (stdlib, httpx).

This file is copied verbatim into every generated package as ``_base.py``:
the base URL (environments, ``$<PACKAGE>_BASE_URL``), credentials (and the
documented environment variables that hold them), authentication schemes,
the defaults every call starts from (headers with the ``User-Agent``,
``timeout``, ``max_retries``, ``api_version``) and ``with_options``, the
redaction of credentials and logging (``<PACKAGE>_LOG=info|debug``).  How a
call is checked, retried and decoded is in ``_calls.py``; no I/O happens in
either (``_http.py`` sends).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import logging
import os
import sys
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from . import _auth, _transfer
from ._errors import HTTPX_LOG_FILTER, InvalidRequestError, Redactor
from ._request import Timeout

__all__ = ["Base", "deprecated", "log", "merged", "warn_deprecated"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a whole call may take, retries included."""
DEFAULT_MAX_RESPONSE_SIZE = 100 * 1024 * 1024
"""Bytes a response body may have, after decompression (``max_response_size``)."""
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)
"""httpx's pool size, keeping every connection alive: with httpx's own 20, a
1,000-wide async burst of 15,000 requests opened 14,191 connections; 1,548
with 100."""
_HELD = ("api_key", "token", "password", "client_secret")
"""The credentials that are secrets (never shown, also as values in text)."""

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


def merged(base: Mapping[str, str], more: Mapping[str, str]) -> dict[str, str]:
    """``base`` updated with ``more``, header names compared ignoring case."""
    replaced = {name.lower() for name in more}
    kept = {k: v for k, v in base.items() if k.lower() not in replaced}
    return kept | dict(more)


def warn_deprecated(what: str) -> None:
    """A ``DeprecationWarning`` for a deprecated parameter the caller passed."""
    warnings.warn(f"{what} is deprecated", DeprecationWarning, stacklevel=3)


_PACKAGE = __name__.rpartition(".")[0] or __name__
log = logging.getLogger(_PACKAGE)


def _watch_httpx_log(redactor: Redactor) -> None:
    """Hide this client's credentials in httpx's own log lines too."""
    httpx_log = logging.getLogger("httpx")
    if HTTPX_LOG_FILTER not in httpx_log.filters:
        httpx_log.addFilter(HTTPX_LOG_FILTER)
    HTTPX_LOG_FILTER.watch(redactor)


@dataclass(frozen=True)
class _Config:
    """What ``with_options`` may change; the connection pool is shared."""

    base_url: str
    timeout: Timeout
    max_retries: int
    retry_all_methods: bool
    headers: Mapping[str, str]
    max_response_size: int | None
    api_version: str | None = None

    @functools.cached_property
    def origin(self) -> _transfer.Origin:
        """The base URL's (scheme, host, port): every request goes there."""
        try:
            return _transfer.origin(httpx.URL(self.base_url))
        except httpx.InvalidURL as exc:
            raise InvalidRequestError(f"the base URL is not a URL: {exc}") from None


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
    user_agent: ClassVar[str] = ""
    """``<distribution>/<version> docs2py/<version>``: the product tokens the
    ``User-Agent`` header starts with (httpx's and Python's follow)."""
    takes_api_version: ClassVar[bool] = False
    """Some methods take the API's version (``api_version=`` sets it once)."""

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
        api_version: str | None = None,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
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
        self._check_api_version(api_version)
        agent = {"User-Agent": self._user_agent()}
        self._config = _Config(
            str(url).rstrip("/"), timeout, max_retries, retry_all_methods,
            merged(agent, headers or {}), max_response_size, api_version,
        )  # fmt: skip
        self._middleware = tuple(middleware)
        given = {"api_key": api_key, "token": token, "username": username}
        given |= {"password": password, "client_id": client_id}
        given |= {"client_secret": client_secret}
        found = {
            k: v if v is not None else self._credential(k) for k, v in given.items()
        }
        self._held = tuple(str(found[k]) for k in _HELD if found[k])
        names = {self.api_key_name, api_key_header or self.api_key_name}
        self._redactor = Redactor(names, self._secrets)
        _watch_httpx_log(self._redactor)
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

    @property
    def max_response_size(self) -> int | None:
        return self._config.max_response_size

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers every call sends (the ``User-Agent`` among them)."""
        return self._config.headers

    @property
    def api_version(self) -> str | None:
        """The API version the methods that take one send by default."""
        return self._config.api_version

    def with_options(
        self,
        *,
        base_url: str = _UNSET,
        timeout: Timeout = _UNSET,
        max_retries: int = _UNSET,
        retry_all_methods: bool = _UNSET,
        headers: Mapping[str, str] = _UNSET,
        api_version: str | None = _UNSET,
        max_response_size: int | None = _UNSET,
    ) -> Self:
        """A client like this one with some options changed (``headers`` are
        added to the client's); it shares the connection pool (closing it
        does not close the pool)."""
        changes: dict[str, Any] = {"base_url": base_url, "timeout": timeout}
        changes |= {"max_retries": max_retries, "retry_all_methods": retry_all_methods}
        changes |= {"headers": headers, "max_response_size": max_response_size}
        changes |= {"api_version": api_version}
        given: dict[str, Any] = {k: v for k, v in changes.items() if v is not _UNSET}
        if "base_url" in given:
            given["base_url"] = str(given["base_url"]).rstrip("/")
        if "headers" in given:
            given["headers"] = merged(self._config.headers, given["headers"])
        if "api_version" in given:
            self._check_api_version(given["api_version"])
        other = copy.copy(self)
        other._config = dataclasses.replace(self._config, **given)
        other._owned = False
        other._services()
        return other

    def _user_agent(self) -> str:
        python = ".".join(str(n) for n in sys.version_info[:3])
        runtime = f"httpx/{httpx.__version__} python/{python}"
        return f"{self.user_agent} {runtime}" if self.user_agent else runtime

    def _check_api_version(self, value: str | None) -> None:
        if value is not None and not self.takes_api_version:
            raise TypeError(
                f"{type(self).__name__}(): this API's docs name no API-version "
                "parameter; send a version header with headers={…} instead"
            )

    def _fill(self, option: str, value: Any, required: bool) -> Any:
        """A parameter the client fills when a call leaves it out
        (``Parameter.client_option``): the call's value, else the client's."""
        if value is not None:
            return value
        found = getattr(self._config, option)
        if found is None and required:
            raise TypeError(
                f"this call needs {option}: pass it, or set it once with "
                f"{type(self).__name__}({option}=…)"
            )
        return found

    def _env(self, name: str) -> str | None:
        return os.environ.get(f"{self.env_prefix}_{name}") if self.env_prefix else None

    def _credential(self, name: str) -> str | None:
        variable = self.credential_env.get(name)
        return os.environ.get(variable) if variable else None

    def _secrets(self) -> tuple[str | None, ...]:
        """Every credential the client holds (an OAuth token once fetched)."""
        oauth = self._auth
        if isinstance(oauth, _auth.Chain):
            oauth = oauth.schemes[-1]
        fetched = oauth.token if isinstance(oauth, _auth.ClientCredentials) else None
        return (*self._held, fetched)

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
            out.append(_auth.ApiKey(found["api_key"], name, self.api_key_in))
        if found["token"] is not None:
            out.append(_auth.Bearer(found["token"]))
        if found["username"] is not None:
            out.append(_auth.Basic(found["username"], found["password"] or ""))
        if found["client_id"] is not None and found["client_secret"] is not None:
            url = token_url
            if url and url.startswith("/"):
                url = self._config.base_url + url
            elif url is None and self.token_url:  # an endpoint of this API
                url = self._config.base_url + "/" + self.token_url.lstrip("/")
            if not url:
                raise TypeError(
                    f"{type(self).__name__}() needs token_url for OAuth client "
                    "credentials (the docs name no token endpoint)"
                )
            client = (found["client_id"], found["client_secret"])
            scrub = self._redactor.text
            out.append(_auth.ClientCredentials(*client, url, scope, scrub))
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
        shown = self._redactor.url(httpx.URL(self.base_url))
        return f"{type(self).__name__}(base_url={shown!r})"
