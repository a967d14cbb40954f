"""Process settings, read once from the environment.

This is the only module in the project that reads environment variables: everything
else receives a :class:`Settings` instance.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

LOG_LEVELS: Final = frozenset({"critical", "error", "warning", "info", "debug", "trace"})
MAX_TIMEOUT: Final = 3600.0  # seconds: the largest timeout a setting may give


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
        )


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
