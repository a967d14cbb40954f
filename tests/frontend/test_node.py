"""Runs the front end's unit tests (tests/frontend/*.test.mjs) with Node's test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_TESTS = ROOT / "tests" / "frontend"


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (20 or newer) is needed to run tests/frontend/*.test.mjs", pytrace=False)
    files = sorted(str(p.relative_to(ROOT)) for p in NODE_TESTS.glob("*.test.mjs"))
    assert files, "no tests/frontend/*.test.mjs found"
    result = subprocess.run(
        [node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"node --test failed:\n{result.stdout}\n{result.stderr}"
