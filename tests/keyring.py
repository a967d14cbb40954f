"""The keys of the jobs a test client created, sent as X-Job-Key on those jobs' requests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

JOB_PATH = re.compile(r"^(?:https?://[^/]+)?/api/jobs/([^/?]+)")


class Keyring:
    """Keys by job id, taken from the 201 answers of POST /api/jobs and fork."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def headers(self, url: str | httpx.URL, headers: Mapping[str, str] | None) -> dict[str, str]:
        """`headers` plus the job's key, unless they set X-Job-Key themselves."""
        given = dict(headers or {})
        match = JOB_PATH.match(str(url))
        if match and match[1] in self.keys and "x-job-key" not in {h.lower() for h in given}:
            given["X-Job-Key"] = self.keys[match[1]]
        return given

    def remember(self, method: str, response: httpx.Response) -> None:
        """Keep the key of a job just created or forked."""
        if method.upper() == "POST" and response.status_code == 201:
            body: dict[str, Any] = response.json()
            self.keys[body["id"]] = body["key"]
