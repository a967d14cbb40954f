"""The source trees a service benchmark runs servers from, and the line that says where it ran.

A tree is a checkout of this repository (``--tree DIR``, repeatable, each with an optional
``--label NAME``; by default this repository itself). Its server is ``python -m backend`` with
that tree as working directory and PYTHONPATH (bench/_runs_server.py), so the same benchmark
measures the code before and after a change, side by side, in one run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench._runs_report import cpu_model

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Tree:
    """A source tree, its label in the report and the commit it holds."""

    label: str
    path: Path
    commit: str  # git rev-parse --short HEAD, "+ changes" when the tree has uncommitted edits
    subject: str  # the commit's subject line

    @property
    def name(self) -> str:
        """The label with the commit, as a column of the report: "before (3b6d187)"."""
        return f"{self.label} ({self.commit})"


def _git(path: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(path), *args], capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def describe(path: Path, label: str | None) -> Tree:
    """The tree at `path`: its label (default: the directory's name) and its commit."""
    path = path.resolve()
    commit = _git(path, "rev-parse", "--short", "HEAD") or "not a git tree"
    if _git(path, "status", "--porcelain", "--untracked-files=no"):
        commit += " + changes"
    return Tree(
        label or path.name, path, commit, _shortened(_git(path, "log", "-1", "--format=%s"))
    )


def _shortened(subject: str, most: int = 90) -> str:
    """A commit's subject cut at a word before `most` characters."""
    return subject if len(subject) <= most else subject[:most].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class Options:
    """What every service benchmark takes on its command line."""

    trees: list[Tree]
    docs: bool  # write the section of docs/benchmarks.md


def options(prog: str, doc: str | None, argv: Sequence[str] | None) -> Options:
    """``--tree DIR [--label NAME]`` … and ``--no-docs``, parsed from `argv` (none: defaults)."""
    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--tree", action="append", type=Path, help="a backend source tree")
    parser.add_argument("--label", action="append", default=[], help="its name, in order")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args([] if argv is None else list(argv))
    paths: list[Path] = args.tree or [REPO]
    if len(args.label) > len(paths):
        parser.error("more --label than --tree")
    labels: list[str | None] = [*args.label, *[None] * (len(paths) - len(args.label))]
    trees = [describe(path, label) for path, label in zip(paths, labels, strict=True)]
    return Options(trees, not args.no_docs)


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def measured_on(trees: list[Tree], load: str) -> list[str]:
    """The run's date, machine, versions and servers, as the first lines of a section."""
    lines = [
        f"Run {datetime.date.today().isoformat()}: CPU {cpu_model()}, {os.cpu_count()} logical "
        f"CPUs, Python {platform.python_version()}, NumPy {version('numpy')}, numba "
        f"{version('numba')}, load average {load} at the start. Servers (`python -m backend` "
        "from each tree, a child process on 127.0.0.1 with a fresh SQLite file):",
        "",
    ]
    return lines + [f"- **{tree.name}**: {tree.subject}" for tree in trees]
