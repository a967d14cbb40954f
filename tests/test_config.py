import dataclasses

import pytest

from backend.config import Settings


def test_defaults_when_environment_is_empty() -> None:
    assert Settings.from_env({}) == Settings(
        host="127.0.0.1", port=8000, log_level="info", db_path="data/playground.db"
    )


def test_reads_storage_token_and_cors() -> None:
    settings = Settings.from_env(
        {
            "PLAYGROUND_DB": "/tmp/x.db",
            "PLAYGROUND_TOKEN": "s3cret",
            "PLAYGROUND_CORS_ORIGINS": "http://a.example, http://b.example",
        }
    )
    assert settings.db_path == "/tmp/x.db" and settings.token == "s3cret"
    assert settings.cors_origins == ("http://a.example", "http://b.example")
    assert Settings.from_env({"PLAYGROUND_DB": ""}).db_path is None


def test_reads_playground_variables() -> None:
    settings = Settings.from_env(
        {"PLAYGROUND_HOST": "0.0.0.0", "PLAYGROUND_PORT": "9001", "PLAYGROUND_LOG_LEVEL": "DEBUG"}
    )
    assert settings == Settings(
        host="0.0.0.0", port=9001, log_level="debug", db_path="data/playground.db"
    )


@pytest.mark.parametrize(
    "environ",
    [
        {"PLAYGROUND_PORT": "eighty"},
        {"PLAYGROUND_PORT": "70000"},
        {"PLAYGROUND_LOG_LEVEL": "loud"},
        {"PLAYGROUND_HOST": ""},
    ],
)
def test_rejects_bad_values(environ: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Settings.from_env(environ)


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]


def test_allowed_hosts_default_to_the_local_names() -> None:
    assert Settings().allowed_hosts == ("localhost", "127.0.0.1", "::1")
    assert Settings.from_env({}).allowed_hosts == ("localhost", "127.0.0.1", "::1")
    blank = Settings.from_env({"PLAYGROUND_ALLOWED_HOSTS": " , "})
    assert blank.allowed_hosts == ("localhost", "127.0.0.1", "::1")


def test_reads_allowed_hosts_besides_the_local_names() -> None:
    environ = {"PLAYGROUND_ALLOWED_HOSTS": "Laptop.local, 192.168.1.20,[fe80::1], my_box,[::1]"}
    assert Settings.from_env(environ).allowed_hosts == (
        "localhost",
        "127.0.0.1",
        "::1",
        "laptop.local",
        "192.168.1.20",
        "fe80::1",
        "my_box",
    )
    assert "*" in Settings.from_env({"PLAYGROUND_ALLOWED_HOSTS": "*"}).allowed_hosts


@pytest.mark.parametrize(
    "value",
    [
        "localhost:8000",
        "beef:80",
        "http://localhost",
        "a b",
        "host/path",
        "*.example.com",
        "[::1]:80",
    ],
)
def test_rejects_allowed_hosts_with_a_port_or_scheme(value: str) -> None:
    with pytest.raises(ValueError, match="PLAYGROUND_ALLOWED_HOSTS"):
        Settings.from_env({"PLAYGROUND_ALLOWED_HOSTS": value})
    with pytest.raises(ValueError, match="PLAYGROUND_ALLOWED_HOSTS"):
        Settings(allowed_hosts=())
