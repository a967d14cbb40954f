# Backprop Playground: the app as `make run` installs it, served on port 8000.
#
#   docker compose up            (see docker-compose.yml), or
#   docker build -t backprop-playground . && docker run -p 8000:8000 backprop-playground
#
# tests/deploy/test_docker.py lints this file and runs its install steps and its CMD
# outside a container, so keep the install step a plain `python -m venv` + `pip install`.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    PLAYGROUND_DB=/data/playground.db \
    NUMBA_CACHE_DIR=/app/.numba-cache

# The app runs as this user; it writes to /data (jobs' SQLite file) and to numba's cache only.
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid app --no-create-home app \
    && mkdir -p /data "$NUMBA_CACHE_DIR" \
    && chown app:app /data "$NUMBA_CACHE_DIR"

# The source tree, as in a checkout (.dockerignore leaves out .venv, caches and tests):
# the server serves frontend/ from it.
WORKDIR /app
COPY . /app

# The same install as `make run`: a virtualenv in .venv and an editable install into it.
# pip's download cache lives in a build cache mount, not in the image.
RUN --mount=type=cache,target=/root/.cache/pip \
    python -m venv /app/.venv \
    && /app/.venv/bin/pip install -e .

VOLUME ["/data"]
USER 10001:10001

# The training kernel compiled at build time, as the app's user, into numba's cache: a container
# loads it in about a second instead of compiling it for several on its first job (numba must be
# able to write there too: on another CPU model it compiles again and keeps the result).
RUN python -c "from backend.engine import compiled; print(compiled.warm())"

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

# One worker: training jobs live in the server process's memory.
CMD ["python", "-m", "backend", "--host", "0.0.0.0", "--port", "8000"]
