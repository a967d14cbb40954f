"""What bench/runs.py measures on one server: growth, crowd, stalled viewers, replay."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Growth:
    """Server RSS before the job and at each length; (bytes, seconds) of a snapshot at each."""

    baseline: int = 0
    rss: dict[int, int] = field(default_factory=dict)
    snapshot: dict[int, tuple[int, float]] = field(default_factory=dict)


@dataclass
class Crowd:
    """Viewers connecting at once to a long paused job."""

    viewers: int = 0
    rss_before: int = 0
    rss_peak: int = 0
    rss_after: int = 0
    bytes: list[int] = field(default_factory=list)  # per viewer that got its snapshot
    seconds: list[float] = field(default_factory=list)  # from the common start until it had it
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    health: list[float] = field(default_factory=list)  # latencies, s, while snapshots went out
    health_failed: int = 0


@dataclass
class Stall:
    """RSS changes (bytes) over a window without viewers and one with viewers that never read."""

    viewers: int = 0
    seconds: float = 0.0
    iteration: int = 0  # the job's, as the viewers connected
    quiet: int = 0
    stalled: int = 0
    peak: int = 0
    after_close: int = 0
    connected: int = 0


@dataclass
class Replay:
    """Latencies of GET /trace?iteration=N for random N of one run."""

    network: str
    layers: list[int]
    iterations: int
    seconds: list[float] = field(default_factory=list)
    bytes: int = 0  # the largest answer
    wrong: int = 0  # answers that were not 200 with the iteration asked for


@dataclass
class TreeResult:
    """Everything measured on one tree's server."""

    label: str
    commit: str
    growth: Growth = field(default_factory=Growth)
    crowd: Crowd = field(default_factory=Crowd)
    stall: Stall = field(default_factory=Stall)
    replay: list[Replay] | None = None  # None: the server cannot replay
