"""What can go wrong with a request to the job layer; the API maps each to an HTTP status."""

from __future__ import annotations


class JobError(Exception):
    """Base of the job layer's refusals."""


class SpecError(JobError, ValueError):
    """A spec the engine refused; `loc` is the path of the field at fault (→ 422)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


class JobNotFound(JobError, KeyError):
    """No job has this id (→ 404)."""


class JobStateError(JobError):
    """The job's status forbids the action (→ 409)."""


class TooManyJobs(JobError):
    """A limit on stored or running jobs or on viewers is reached (→ 429)."""


class IterationNotFound(JobError, LookupError):
    """The job has not run that iteration (→ 404)."""


class NotOwner(JobError):
    """A control request without the job's key (→ 403)."""
