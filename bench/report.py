"""docs/benchmarks.md: each benchmark rewrites only its own section, between marker comments."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

The figures below come from `make bench` (`python -m bench`) on a 2-core shared machine: read them
as ratios measured within one run, not as absolute speeds. Each section gives the date of its run,
the library versions and the CPU model. To regenerate, run `make bench`, or one benchmark alone
with `python -m bench NAME` (e.g. `python -m bench engine`); a benchmark rewrites only its own
section, between its marker comments, so the others are kept.
"""


def write_section(name: str, section: str) -> None:
    """Put `section` between `<!-- bench:NAME:start/end -->` in docs/benchmarks.md."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = DOCS.read_text() if DOCS.exists() else HEADER
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text)
