"""Run every benchmark module in this package that defines ``main()``.

``python -m bench`` runs them all in name order; ``python -m bench NAME ...`` runs only
the named ones. The exit status is non-zero if any benchmark raised.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

PACKAGE = "bench"


def discover() -> list[str]:
    """Names of the benchmark modules beside this file (not private, not ``__main__``)."""
    here = Path(__file__).resolve().parent
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(here)])
        if not info.ispkg and not info.name.startswith("_")
    )


def main(argv: Sequence[str] | None = None) -> int:
    wanted = list(sys.argv[1:] if argv is None else argv)
    names = discover()
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
        return 2
    if wanted:
        names = [name for name in names if name in wanted]

    ran: list[str] = []
    failed: list[str] = []
    for name in names:
        module = importlib.import_module(f"{PACKAGE}.{name}")
        entry: Callable[[], object] | None = getattr(module, "main", None)
        if not callable(entry):
            continue
        print(f"== bench.{name}", flush=True)
        started = time.perf_counter()
        try:
            entry()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        ran.append(name)
        print(f"== bench.{name}: {time.perf_counter() - started:.2f} s", flush=True)

    if not ran:
        print("no benchmark modules with a main() yet")
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
