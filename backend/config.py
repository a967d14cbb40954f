"""Process settings, read once from the environment.

This is the only module in the project that reads environment variables: everything
else receives a :class:`Settings` instance.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

LOG_LEVELS: Final = frozenset({"critical", "error", "warning", "info", "debug", "trace"})
MAX_TIMEOUT: Final = 3600.0  # seconds: the largest timeout a setting may give
# The names a browser on this machine reaches the server by; anything else is refused, so
# that a page whose own name was rebound to 127.0.0.1 (DNS rebinding) cannot drive it.
LOCAL_HOSTS: Final = ("localhost", "127.0.0.1", "::1")
ANY_HOST: Final = "*"
ENGINES: Final = ("compiled", "numpy")
MAX_WORKERS: Final = 256
# A host name, an IPv4 address or an IPv6 address without brackets; no port, no scheme.
HOST_NAME: Final = re.compile(
    r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?"  # a name, or IPv4
    r"|[0-9a-f.]*:[0-9a-f:.]*:[0-9a-f:.]*"  # IPv6: at least two colons ("::1")
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings of one server process."""

    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # SQLite file that keeps jobs across restarts; None keeps them in memory only (the
    # dataclass default, for tests), while from_env() defaults to data/playground.db.
    db_path: str | None = None
    # When set, every state-changing request and every stream must present this token.
    token: str | None = None
    # Origins allowed to call the API from other pages (CORS); empty: same origin only.
    cors_origins: tuple[str, ...] = ()
    # The operator's key: as X-Job-Key it controls (pauses, deletes, …) every job.
    admin_key: str | None = None
    # Seconds a connection has to deliver a request's head, then its body (a 408 and a close
    # past them), and whole seconds an idle keep-alive connection is kept between requests.
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keepalive_timeout: int = 5
    # Host names (any port) that requests may name in their Host header; "*" allows any.
    # from_env() gives the local names plus PLAYGROUND_ALLOWED_HOSTS.
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    # The engine new jobs train with: "compiled" (the numba step, where it is faster) or
    # "numpy" (the reference); and how many worker threads train jobs (None: one per core).
    engine: str = "compiled"
    workers: int | None = None

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("host must not be empty")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {self.port}")
        if self.log_level not in LOG_LEVELS:
            raise ValueError(
                f"log level must be one of {sorted(LOG_LEVELS)}, got {self.log_level!r}"
            )
        for name, value in (
            ("PLAYGROUND_HEADER_TIMEOUT", self.header_timeout),
            ("PLAYGROUND_BODY_TIMEOUT", self.body_timeout),
            ("PLAYGROUND_KEEPALIVE_TIMEOUT", self.keepalive_timeout),
        ):
            if not 0 < value <= MAX_TIMEOUT:
                raise ValueError(f"{name} must be in (0, {MAX_TIMEOUT}] seconds, got {value}")
        if self.engine not in ENGINES:
            raise ValueError(
                f"PLAYGROUND_ENGINE must be one of {list(ENGINES)}, got {self.engine!r}"
            )
        if self.workers is not None and not 1 <= self.workers <= MAX_WORKERS:
            raise ValueError(f"PLAYGROUND_WORKERS must be in 1..{MAX_WORKERS}, got {self.workers}")
        if not self.allowed_hosts:
            raise ValueError("PLAYGROUND_ALLOWED_HOSTS must not be empty: names, or '*' for any")
        for name in self.allowed_hosts:
            if name != ANY_HOST and not HOST_NAME.fullmatch(name):
                raise ValueError(
                    f"PLAYGROUND_ALLOWED_HOSTS: {name!r} is not a host name or address; give "
                    "names without a scheme or port, e.g. '192.168.1.20,laptop.local', or '*' "
                    "for any"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``PLAYGROUND_*`` variables (``os.environ`` by default).

        * ``PLAYGROUND_HOST`` — address to bind (default ``127.0.0.1``)
        * ``PLAYGROUND_PORT`` — TCP port (default ``8000``)
        * ``PLAYGROUND_LOG_LEVEL`` — uvicorn log level (default ``info``)
        * ``PLAYGROUND_DB`` — SQLite file for jobs (default ``data/playground.db``; an empty
          value keeps jobs in memory only)
        * ``PLAYGROUND_TOKEN`` — token required for state changes and streams (default: none)
        * ``PLAYGROUND_CORS_ORIGINS`` — comma-separated origins allowed by CORS (default: none)
        * ``PLAYGROUND_ADMIN_KEY`` — an X-Job-Key that controls every job (default: none)
        * ``PLAYGROUND_HEADER_TIMEOUT`` — seconds to send a request's head (default ``10``)
        * ``PLAYGROUND_BODY_TIMEOUT`` — seconds to send a request's body (default ``30``)
        * ``PLAYGROUND_KEEPALIVE_TIMEOUT`` — whole seconds an idle connection stays open
          between requests (default ``5``)
        * ``PLAYGROUND_ALLOWED_HOSTS`` — comma-separated names the server may also be reached
          by, any port, besides ``localhost``, ``127.0.0.1`` and ``::1`` (default: none;
          ``*`` allows any)
        * ``PLAYGROUND_ENGINE`` — ``compiled`` (default: the numba step where it is faster)
          or ``numpy`` (the reference engine)
        * ``PLAYGROUND_WORKERS`` — threads that train jobs (default: one per core)
        """
        env = os.environ if environ is None else environ
        defaults = cls()
        port_text = env.get("PLAYGROUND_PORT", str(defaults.port)).strip()
        try:
            port = int(port_text)
        except ValueError:
            raise ValueError(f"PLAYGROUND_PORT must be an integer, got {port_text!r}") from None
        return cls(
            host=env.get("PLAYGROUND_HOST", defaults.host).strip(),
            port=port,
            log_level=env.get("PLAYGROUND_LOG_LEVEL", defaults.log_level).strip().lower(),
            db_path=env.get("PLAYGROUND_DB", "data/playground.db").strip() or None,
            token=env.get("PLAYGROUND_TOKEN", "").strip() or None,
            cors_origins=tuple(
                o.strip() for o in env.get("PLAYGROUND_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            admin_key=env.get("PLAYGROUND_ADMIN_KEY", "").strip() or None,
            header_timeout=seconds(env, "PLAYGROUND_HEADER_TIMEOUT", defaults.header_timeout),
            body_timeout=seconds(env, "PLAYGROUND_BODY_TIMEOUT", defaults.body_timeout),
            keepalive_timeout=int(
                seconds(env, "PLAYGROUND_KEEPALIVE_TIMEOUT", defaults.keepalive_timeout, whole=True)
            ),
            allowed_hosts=parse_hosts(env.get("PLAYGROUND_ALLOWED_HOSTS", "")),
            engine=env.get("PLAYGROUND_ENGINE", defaults.engine).strip().lower(),
            workers=whole_number(env, "PLAYGROUND_WORKERS"),
        )


def whole_number(env: Mapping[str, str], name: str) -> int | None:
    """``env[name]`` as an int, None when unset or empty."""
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {text!r}") from None


def parse_hosts(text: str) -> tuple[str, ...]:
    """The local names, then those of ``PLAYGROUND_ALLOWED_HOSTS`` (lower case, ``[::1]`` as
    ``::1``)."""
    # The local names stay: no page of another site can make a browser send them (its Host
    # is its own name), and the container's health check asks 127.0.0.1.
    names = (n.strip().lower().removeprefix("[").removesuffix("]") for n in text.split(","))
    return LOCAL_HOSTS + tuple(n for n in dict.fromkeys(names) if n and n not in LOCAL_HOSTS)


def seconds(env: Mapping[str, str], name: str, default: float, whole: bool = False) -> float:
    """``env[name]`` as a number of seconds (`default` when unset or empty)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {text!r}") from None
    if whole and not value.is_integer():
        raise ValueError(f"{name} must be a whole number of seconds, got {text!r}")
    return value
