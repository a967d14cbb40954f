"""Every module of the page and of its dev harness is type-checked by tsc (make test).

tsconfig.json checks the JavaScript files that start with ``// @ts-check`` (checkJs stays off
so that the vendored libraries, which bring their own declarations, are not checked as ours):
a module without that first line would silently escape the check.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("frontend/js/**/*.js", "frontend/dev/**/*.js")


def test_every_page_module_opts_in_to_the_type_check() -> None:
    files = sorted(p for pattern in OURS for p in ROOT.glob(pattern))
    assert len(files) > 50, "the page's modules were not found"
    unchecked = [
        str(p.relative_to(ROOT))
        for p in files
        if p.read_text(encoding="utf-8").splitlines()[:1] != ["// @ts-check"]
    ]
    assert not unchecked, f"modules tsc does not check (no // @ts-check first line): {unchecked}"


def test_tsconfig_includes_the_page_and_the_harness() -> None:
    config = (ROOT / "tsconfig.json").read_text(encoding="utf-8")
    for pattern in OURS:
        assert f'"{pattern}"' in config, pattern
