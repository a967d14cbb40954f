"""Only the page's own files are served: not the developers' harness, scripts or notes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from backend.api.app import FRONTEND
from tests.api.test_security import raw_get
from tests.server import LiveServer, live_server


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


def every_file() -> list[str]:
    """Every file under frontend/, as a URL path."""
    files = (p for p in FRONTEND.rglob("*") if p.is_file())
    return sorted("/" + p.relative_to(FRONTEND).as_posix() for p in files)


def test_the_developers_files_are_not_served(server: LiveServer) -> None:
    hidden = [p for p in every_file() if p.startswith("/dev/") or not p.endswith(SERVED_ENDINGS)]
    assert "/dev/make_fixture.py" in hidden and "/vendor/fetch.sh" in hidden
    assert "/dev/views.html" in hidden and "/vendor/README.md" in hidden
    for path in hidden:
        status, body = raw_get(server.port, path)
        assert status == 404, (path, body[:100])
        assert body == b'{"detail":"Not Found"}'


SERVED_ENDINGS = (".js", ".mjs", ".css", ".woff2", "/LICENSE", "/index.html", "/compare.html")


def test_the_page_and_all_it_loads_are_served(server: LiveServer) -> None:
    served = [p for p in every_file() if not p.startswith("/dev/") and p.endswith(SERVED_ENDINGS)]
    assert "/vendor/katex/fonts/KaTeX_Main-Regular.woff2" in served
    assert "/vendor/uplot/LICENSE" in served  # the libraries' licences travel with them
    for path in [*served, "/"]:
        status, body = raw_get(server.port, path)
        assert status == 200, path
        assert body == (FRONTEND / (path.lstrip("/") or "index.html")).read_bytes(), path


def test_what_the_page_names_is_served(server: LiveServer) -> None:
    # The page's own references: index.html's links, the stylesheets' @imports and url()s.
    names = re.findall(r'(?:href|src)="([^":#]+)"', (FRONTEND / "index.html").read_text())
    css = (FRONTEND / "css" / "views.css").read_text()
    names += ["css/" + n for n in re.findall(r'@import url\("([^"]+)"\)', css)]
    assert "js/main.js" in names and "css/../vendor/katex/katex.min.css" in names
    for name in names:
        assert raw_get(server.port, "/" + name)[0] == 200, name


@pytest.mark.parametrize(
    "path",
    ["/dev/", "/dev", "/vendor/", "/vendor", "/js/", "/css/", "/js/../dev/views.html",
     "/vendor/katex/../fetch.sh", "/vendor/%66etch.sh", "/DEV/make_fixture.py", "/js/main.js.map",
     "/vendor/katex/LICENSE.md", "/js/views"],
)  # fmt: skip
def test_other_paths_into_the_folder_are_404(server: LiveServer, path: str) -> None:
    assert raw_get(server.port, path)[0] == 404, path
