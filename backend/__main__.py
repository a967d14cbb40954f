"""Command line entry point: ``python -m backend --host H --port P``."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

from backend import __version__
from backend.api.serving import serve
from backend.config import LOG_LEVELS, Settings
from backend.jobs.store import open_problem


def parse_args(argv: Sequence[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m backend",
        description="Serve the Backprop Playground.",
    )
    parser.add_argument("--host", default=settings.host, help="address to bind (%(default)s)")
    parser.add_argument("--port", type=int, default=settings.port, help="TCP port (%(default)s)")
    parser.add_argument(
        "--log-level",
        default=settings.log_level,
        choices=sorted(LOG_LEVELS),
        help="log level (%(default)s)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def database_problem(settings: Settings) -> str | None:
    """One line saying why PLAYGROUND_DB cannot be used, or None (also when it is unset)."""
    if settings.db_path is None:
        return None
    problem = open_problem(settings.db_path)
    if problem is None:
        return None
    return f"error: PLAYGROUND_DB={settings.db_path} cannot be opened for writing: {problem}"


def main(argv: Sequence[str] | None = None) -> None:
    settings = Settings.from_env()
    args = parse_args(argv, settings)
    settings = dataclasses.replace(
        settings, host=args.host, port=args.port, log_level=args.log_level
    )
    # Checked before the server starts: a path it cannot write ends start-up with one line,
    # not with a traceback from inside the application's lifespan.
    problem = database_problem(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        sys.exit(2)
    serve(settings)


if __name__ == "__main__":
    main()
