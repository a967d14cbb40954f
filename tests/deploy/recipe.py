"""Read the container files without a Docker engine: the Dockerfile's instructions and the
build context that .dockerignore leaves.

Only what the project's Dockerfile uses is understood: line continuations, comments,
``--flag=value`` options, exec-form (JSON) arguments, ``ENV key=value`` with ``$VAR`` and
``${VAR}``, and .dockerignore patterns with ``*``, ``?``, ``[...]``, ``**`` and ``!``.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword (upper case), options and arguments."""

    keyword: str
    flags: dict[str, str]
    args: str  # the rest of the instruction, continuation lines joined
    line: int  # first line, 1-based

    def exec_form(self) -> list[str]:
        """The JSON array of a CMD, ENTRYPOINT or HEALTHCHECK CMD in exec form."""
        text = self.args
        if self.keyword == "HEALTHCHECK":
            word, _, text = text.partition(" ")
            if word.upper() != "CMD":
                raise ValueError(f"line {self.line}: HEALTHCHECK without CMD")
        value = json.loads(text)
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"line {self.line}: {self.keyword} is not in exec form")
        return value


def parse_dockerfile(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile, in order."""
    instructions: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        # Comment lines (parser directives included) are dropped, inside continuations too.
        if not line or line.startswith("#"):
            continue
        if not parts:
            start = number
        if line.endswith("\\"):
            parts.append(line[:-1].strip())
            continue
        parts.append(line)
        instructions.append(_instruction(" ".join(p for p in parts if p), start))
        parts = []
    if parts:
        instructions.append(_instruction(" ".join(p for p in parts if p), start))
    return instructions


def _instruction(text: str, line: int) -> Instruction:
    keyword, _, rest = text.partition(" ")
    flags: dict[str, str] = {}
    rest = rest.strip()
    while rest.startswith("--"):
        option, _, rest = rest.partition(" ")
        name, _, value = option[2:].partition("=")
        flags[name] = value
        rest = rest.strip()
    return Instruction(keyword.upper(), flags, rest, line)


def expand(value: str, env: Mapping[str, str]) -> str:
    """``$VAR`` and ``${VAR}`` replaced from ``env`` (unset: empty), as Docker does in ENV."""

    def one(match: re.Match[str]) -> str:
        return env.get(match.group(1) or match.group(2), "")

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", one, value)


def env_pairs(instruction: Instruction) -> list[tuple[str, str]]:
    """The ``key=value`` pairs of an ENV instruction, values not yet expanded."""
    pairs = []
    for word in shlex.split(instruction.args, posix=True):
        key, sep, value = word.partition("=")
        if not sep:
            raise ValueError(f"line {instruction.line}: write ENV as key=value")
        pairs.append((key, value))
    return pairs


def seconds(duration: str) -> float:
    """A Docker/Go duration such as ``30s``, ``1m30s`` or ``500ms`` in seconds."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)", duration)
    if not parts or "".join(n + u for n, u in parts) != duration:
        raise ValueError(f"not a duration: {duration!r}")
    return sum(float(n) * units[u] for n, u in parts)


# ------------------------------------------------------------------ .dockerignore


@dataclass(frozen=True)
class IgnoreRule:
    pattern: str
    regex: re.Pattern[str]
    negated: bool


def ignore_rules(text: str) -> list[IgnoreRule]:
    """The rules of a .dockerignore file, in order (the last rule that matches wins)."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line[1:].strip() if negated else line
        pattern = pattern.strip("/")
        if pattern:
            rules.append(IgnoreRule(pattern, _pattern_regex(pattern), negated))
    return rules


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith(("!", "^")):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    # A pattern that names a directory leaves out everything under it.
    return re.compile("".join(out) + "(?:/.*)?")


def is_ignored(path: str, rules: Iterable[IgnoreRule]) -> bool:
    """Whether .dockerignore's rules leave ``path`` (relative, with ``/``) out of the context."""
    ignored = False
    for rule in rules:
        if rule.regex.fullmatch(path):
            ignored = not rule.negated
    return ignored


def context_files(root: Path) -> list[str]:
    """The files that `docker build root` would send: the checkout's files (tracked, and
    untracked but not git-ignored) less those that root/.dockerignore leaves out."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    )
    rules = ignore_rules((root / ".dockerignore").read_text())
    names = sorted({n for n in listing.stdout.decode().split("\0") if n})
    return [n for n in names if (root / n).is_file() and not is_ignored(n, rules)]
