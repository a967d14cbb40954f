"""Enforce the direction of imports between layers: engine ← jobs ← api.

Every module is parsed with :mod:`ast` (nothing is imported), relative imports are
resolved against the module's own package, and each imported name is checked against
its layer's rule:

* ``backend/engine`` may import only NumPy, the standard library and ``backend.engine``;
* ``backend/jobs`` may import nothing from ``backend.api`` (nor the CLI), and no web
  framework, server or HTTP/WebSocket client library.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"

WEB_LIBRARIES = frozenset(
    {
        "fastapi",
        "starlette",
        "uvicorn",
        "websockets",
        "httpx",
        "httpcore",
        "h11",
        "httptools",
        "wsproto",
        "aiohttp",
        "requests",
        "urllib3",
    }
)


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted module name of a file under ``root`` (``__init__`` names its package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool) -> Iterator[Import]:
    """Absolute names of everything ``source`` (the text of ``module``) imports."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                up = node.level - 1
                if up > len(package) - 1:
                    base = "." * node.level + (node.module or "")  # escapes the tree
                else:
                    anchor = package[: len(package) - up]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
            if node.module is None:
                # `from . import a, b` imports submodules (or names) of the anchor.
                for alias in node.names:
                    yield Import(f"{base}.{alias.name}", node.lineno)
            else:
                yield Import(base, node.lineno)
        elif isinstance(node, ast.Call):
            # importlib.import_module("x") / __import__("x") with a literal name.
            func = node.func
            is_dynamic = (isinstance(func, ast.Name) and func.id == "__import__") or (
                isinstance(func, ast.Attribute) and func.attr == "import_module"
            )
            if (
                is_dynamic
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and not node.args[0].value.startswith(".")
            ):
                yield Import(node.args[0].value, node.lineno)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def engine_rule(name: str) -> str | None:
    top = name.split(".")[0]
    if top in sys.stdlib_module_names or top in ("numpy", "numba"):
        return None
    if _within(name, "backend.engine"):
        return None
    return "the engine may import only numpy, numba, the standard library and backend.engine"


def jobs_rule(name: str) -> str | None:
    if _within(name, "backend.api") or _within(name, "backend.__main__"):
        return "jobs must not import the api layer"
    if name.split(".")[0] in WEB_LIBRARIES:
        return "jobs must not import web frameworks or HTTP/WebSocket libraries"
    if name.startswith("."):
        return "relative import escapes the backend package"
    return None


Rule = Callable[[str], "str | None"]


def check_source(source: str, path: Path, rule: Rule, root: Path = ROOT) -> list[str]:
    """Violations of ``rule`` in one module's source, as readable lines."""
    name = module_name(path, root)
    return [
        f"{path.relative_to(root)}:{imp.line}: imports {imp.module!r}: {reason}"
        for imp in imports_of(source, name, is_package=path.name == "__init__.py")
        if (reason := rule(imp.module)) is not None
    ]


def check_layer(directory: Path, rule: Rule) -> list[str]:
    problems: list[str] = []
    for path in sorted(directory.rglob("*.py")):
        problems += check_source(path.read_text(encoding="utf-8"), path, rule)
    return problems


LAYERS = {"engine": engine_rule, "jobs": jobs_rule}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layer_imports_point_one_way(layer: str) -> None:
    directory = BACKEND / layer
    if not any(directory.rglob("*.py")):
        pytest.skip(f"backend/{layer} has no modules yet")
    problems = check_layer(directory, LAYERS[layer])
    assert not problems, "import direction violated:\n" + "\n".join(problems)


# ------------------------------------------------------------ the checker can fail


def _engine(source: str, name: str = "fake.py") -> list[str]:
    return check_source(source, BACKEND / "engine" / name, engine_rule)


def _jobs(source: str, name: str = "fake.py") -> list[str]:
    return check_source(source, BACKEND / "jobs" / name, jobs_rule)


def test_checker_flags_fastapi_in_engine() -> None:
    problems = _engine("import numpy as np\nfrom fastapi import FastAPI\n")
    assert len(problems) == 1
    assert "backend/engine/fake.py:2" in problems[0]
    assert "'fastapi'" in problems[0]


@pytest.mark.parametrize(
    "source",
    [
        "from ..api import app\n",
        "from .. import config\n",
        "import backend.jobs\n",
        "from backend import config\n",
        "import torch\n",
        "import importlib\nimportlib.import_module('fastapi')\n",
        "def f():\n    import pydantic\n",
    ],
)
def test_checker_flags_engine_escapes(source: str) -> None:
    assert _engine(source), source


def test_checker_accepts_clean_engine_module() -> None:
    source = (
        "from __future__ import annotations\n"
        "import math\n"
        "from collections.abc import Iterator\n"
        "import numpy as np\n"
        "import numpy.typing as npt\n"
        "from . import activations\n"
        "from .losses import mse\n"
        "from backend.engine.network import Network\n"
    )
    assert _engine(source) == []
    assert _engine("from .network import Network\n", name="__init__.py") == []


@pytest.mark.parametrize(
    "source",
    [
        "from backend.api.app import create_app\n",
        "from ..api import app\n",
        "import starlette.websockets\n",
        "from websockets.asyncio.server import serve\n",
        "import httpx\n",
        "import uvicorn\n",
    ],
)
def test_checker_flags_web_in_jobs(source: str) -> None:
    assert _jobs(source), source


def test_checker_accepts_clean_jobs_module() -> None:
    source = (
        "import asyncio\n"
        "import numpy as np\n"
        "from backend.engine.trainer import train\n"
        "from ..engine import network\n"
        "from backend.config import Settings\n"
    )
    assert _jobs(source) == []
