"""The server's uvicorn configuration: its timeouts come from the settings, and the open-files
limit is raised at start-up."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from backend.api.deadlines import DeadlineProtocol
from backend.api.serving import config
from backend.config import Settings


def test_the_timeouts_are_read_from_the_environment() -> None:
    env = {
        "PLAYGROUND_HEADER_TIMEOUT": "2.5",
        "PLAYGROUND_BODY_TIMEOUT": "7",
        "PLAYGROUND_KEEPALIVE_TIMEOUT": "3",
    }
    settings = Settings.from_env(env)
    assert (settings.header_timeout, settings.body_timeout, settings.keepalive_timeout) == (
        2.5,
        7.0,
        3,
    )
    defaults = Settings.from_env({})
    assert (defaults.header_timeout, defaults.body_timeout, defaults.keepalive_timeout) == (
        10.0,
        30.0,
        5,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PLAYGROUND_HEADER_TIMEOUT", "0"),
        ("PLAYGROUND_BODY_TIMEOUT", "-1"),
        ("PLAYGROUND_BODY_TIMEOUT", "soon"),
        ("PLAYGROUND_KEEPALIVE_TIMEOUT", "1.5"),
        ("PLAYGROUND_HEADER_TIMEOUT", "1e9"),
    ],
)
def test_a_bad_timeout_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_the_configuration_carries_the_settings() -> None:
    settings = Settings(header_timeout=2, body_timeout=3, keepalive_timeout=4, port=8123)
    made = config("backend.api.app:create_app", settings, factory=True, max_waiting=17)
    protocol = made.http
    assert isinstance(protocol, type) and issubclass(protocol, DeadlineProtocol)
    assert (protocol.header_timeout, protocol.body_timeout, protocol.max_waiting) == (2, 3, 17)
    assert (made.timeout_keep_alive, made.port, made.workers) == (4, 8123, 1)
    assert made.limit_concurrency is None  # a 503 for every request, health too: not used


def test_start_up_raises_the_open_files_limit_to_the_hard_one() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard < 128:
        pytest.skip("no finite hard limit above 128 to raise to")
    code = (
        "import resource\n"
        "from backend.api.serving import raise_open_files_limit\n"
        "FILES = resource.RLIMIT_NOFILE\n"
        "resource.setrlimit(FILES, (64, resource.getrlimit(FILES)[1]))\n"
        "print(raise_open_files_limit(), resource.getrlimit(FILES)[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == [str(hard), str(hard)]
