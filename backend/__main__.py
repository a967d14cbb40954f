"""Command line entry point: ``python -m backend --host H --port P``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn

from backend import __version__
from backend.config import LOG_LEVELS, Settings

APP_FACTORY = "backend.api.app:create_app"


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


def main(argv: Sequence[str] | None = None) -> None:
    settings = Settings.from_env()
    args = parse_args(argv, settings)
    # One worker: training jobs live in this process's memory.
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        log_level=args.log_level,
        # Frames are encoded once and sent as-is to every viewer; per-message compression
        # would compress each copy again, on the event loop.
        ws_per_message_deflate=False,
    )


if __name__ == "__main__":
    main()
