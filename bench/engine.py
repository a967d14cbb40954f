"""Engine vs PyTorch: training speed of the same networks, same weights, same data, one thread.

Each case trains one network with the engine's ``Trainer.step()`` (which records the full trace
of every iteration, as it always does) and with an equivalent PyTorch CPU loop
(bench/torch_reference.py), alternating the implementations repeat by repeat, and reports
iterations and samples per second and the engine/PyTorch ratio (median of paired repeats).
"engine + copy" also calls ``record.copy()`` after every step: the worst case of keeping every
trace. Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# One thread for both sides: the server runs one training job per thread. OpenBLAS reads this when
# NumPy first loads it, so it must be set before NumPy is imported anywhere in the process.
NUMPY_WAS_LOADED = "numpy" in sys.modules
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

from backend.engine.network import Network  # noqa: E402
from backend.engine.trainer import Trainer, TrainingConfig  # noqa: E402
from bench.report import write_section  # noqa: E402
from bench.torch_reference import TorchTrainer, dataset  # noqa: E402

CASES = ("3-5-2", "2-8-8-8-8-8-8-1", "784-128-10")
BATCHES: tuple[int | None, ...] = (1, 10, None)  # None: the whole set in one batch
IMPLS = ("engine", "engine+copy", "torch", "engine32", "torch32")


def build(case: str, batch: int | None) -> tuple[dict[str, Callable[[], object]], int, list[float]]:
    """Fresh steppers for each implementation of one case, its batch rows, max |ΔW| f64 and f32."""
    x, t = dataset(case)
    layers = [int(n) for n in case.split("-")]
    rows = len(x) if batch is None else min(batch, len(x))
    lr = 0.5 / rows  # the loss is summed over the batch; this keeps every case well away from 0/inf
    w0 = Network(layers, seed=0).copy_weights()

    def trainer(dtype: str) -> Trainer:
        mode = "batch" if batch is None else "minibatch"
        config = TrainingConfig(mode=mode, batch_size=rows, learning_rate=lr, epochs=10**9)
        return Trainer(Network(layers, weights=w0, dtype=dtype), x, t, config)

    def step(tr: Trainer, keep: bool = False) -> Callable[[], object]:
        return (lambda: (tr.step() or fail(tr)).copy()) if keep else (lambda: tr.step() or fail(tr))

    engine, engine32 = trainer("float64"), trainer("float32")
    torch64 = TorchTrainer(Network(layers, weights=w0), x, t, rows, lr, "float64")
    torch32 = TorchTrainer(Network(layers, weights=w0), x, t, rows, lr, "float32")
    # Equivalence check: three identical iterations must leave the same weights.
    diffs = []
    for ours, theirs in ((engine, torch64), (engine32, torch32)):
        for _ in range(3):
            ours.step()
            theirs.step()
        pairs = zip(ours.network.weights, theirs.weights(), strict=True)
        diffs.append(max(float(np.max(np.abs(a - b))) for a, b in pairs))
    steppers = {
        "engine": step(engine),
        "engine+copy": step(trainer("float64"), keep=True),
        "torch": torch64.step,
        "engine32": step(engine32),
        "torch32": torch32.step,
    }
    return steppers, rows, diffs


def fail(trainer: Trainer) -> object:
    raise RuntimeError(f"the engine's run ended early: status {trainer.status}")


def rate(step: Callable[[], object], seconds: float, min_iterations: int = 3) -> float:
    """Iterations per second of process CPU time (time descheduled by other load is not counted)
    over ~`seconds`; the clock is read after chunks that double up to 1/50 of the budget."""
    n, chunk = 0, 1
    cpu0, wall0 = time.process_time(), time.perf_counter()
    while True:
        for _ in range(chunk):
            step()
        n += chunk
        cpu = time.process_time() - cpu0
        if n >= min_iterations and (cpu >= seconds or time.perf_counter() - wall0 >= 2 * seconds):
            return n / cpu
        if cpu < seconds / 50:
            chunk *= 2


def measure(steppers: dict[str, Callable[[], object]], repeats: int, seconds: float):
    """it/s per implementation per repeat; each repeat runs all of them, in a rotating order."""
    for step in steppers.values():
        rate(step, seconds / 5, 2)  # warm-up
    results: dict[str, list[float]] = {name: [] for name in IMPLS}
    for r in range(repeats):
        for name in IMPLS[r % len(IMPLS) :] + IMPLS[: r % len(IMPLS)]:
            results[name].append(rate(steppers[name], seconds))
    return results


def ratio(results: dict[str, list[float]], a: str, b: str) -> list[float]:
    """The paired per-repeat ratios a/b, sorted."""
    return sorted(x / y for x, y in zip(results[a], results[b], strict=True))


def num(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def times(r: list[float]) -> str:
    one = [f"{v:.1f}" if v >= 1 else f"{v:.2f}" for v in (statistics.median(r), r[0], r[-1])]
    return f"{one[0]}× ({one[1]}–{one[2]})"


def goal(case: str, batch: int | None, step: list[float], copy: list[float]) -> str:
    """The product goal for this row: ≥ 5× at batch 1 and 10 on the small nets, ≥ 1× on 784."""
    target = 1.0 if case == "784-128-10" else 5.0 if batch in (1, 10) else None
    if target is None:
        return "—"

    def verdict(r: list[float]) -> str:
        median = statistics.median(r)
        if median < target:
            return "**not met**"
        marginal = median < 1.1 * target or sum(v < target for v in r) > 1
        return "met (marginal)" if marginal else "met"

    return f"≥ {target:g}×: {verdict(step)}; with copy: {verdict(copy)}"


def threads_note() -> str:
    note = (
        f"NumPy (OpenBLAS) with `OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}` "
        f"set before NumPy is imported; PyTorch with `torch.set_num_threads(1)` "
        f"(now {torch.get_num_threads()})."
    )
    if NUMPY_WAS_LOADED:
        note += " Warning: NumPy was imported before this benchmark, so OpenBLAS may use more."
    try:
        from threadpoolctl import threadpool_info  # only if installed
    except ImportError:
        return note + " (threadpoolctl is not installed, so OpenBLAS's count was not checked.)"
    pools = ", ".join(f"{p['internal_api']}: {p['num_threads']}" for p in threadpool_info())
    return note + f" threadpoolctl reports {pools}."


def cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    text = info.read_text() if info.exists() else ""
    names = [ln for ln in text.splitlines() if ln.startswith("model name")]
    return names[0].split(":", 1)[1].strip() if names else platform.processor() or "unknown"


def report(rows: list[tuple], diffs: tuple[float, float], repeats: int, seconds: float) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "## Engine vs PyTorch",
        "",
        f"Run {today}: NumPy {np.__version__}, PyTorch {torch.__version__}, Python "
        f"{platform.python_version()}, CPU {cpu_model()} ({os.cpu_count()} logical CPUs). "
        + threads_note(),
        "",
        "Every case trains the same network from the same initial weights on the same fixed, "
        "seeded data: sigmoid hidden and output layers, loss ½ Σ (y − t)² (`half_sse`), plain "
        "SGD, α = 0.5 / batch rows, consecutive batches. PyTorch: `nn.Linear` + `nn.Sigmoid`, "
        "`optim.SGD`, `zero_grad`/`backward`/`step` and `loss.item()` per iteration. Engine: "
        "`Trainer.step()`, which records the whole trace (z, y, ∂ℓ/∂y, ∂ℓ/∂z, ∂ℓ/∂W, W) of every "
        "iteration; *engine + copy* also keeps each trace with `record.copy()`. "
        f"Each implementation runs {repeats} repeats of ~{seconds:g} s, alternating with the "
        "others. Rates are per second of the process's CPU time (`time.process_time()`), so "
        "time spent descheduled by other load on the shared machine is not counted. Figures "
        "are medians, ratios the median (min–max) of per-repeat ratios, > 1 "
        "meaning the engine is faster. A goal is *met* when the median ratio reaches it, "
        "*marginal* when the median is within 10 % of it or more than one repeat fell short. "
        "A batch such as `10 (6)` holds 6 rows, here the whole set. After three identical "
        "iterations the engine's and PyTorch's weights differ by at most "
        f"{diffs[0]:.1e} (float64), {diffs[1]:.1e} (float32).",
        "",
        "| network | rows | batch | engine it/s | engine samples/s | engine + copy it/s "
        "| PyTorch it/s | PyTorch samples/s | engine ÷ PyTorch | engine + copy ÷ PyTorch | goal |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    table32 = [
        "",
        'float32 (engine `Network(dtype="float32")`, PyTorch float32 tensors), same cases:',
        "",
        "| network | batch | engine it/s | PyTorch it/s | engine ÷ PyTorch | engine f32 ÷ f64 |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for case, n, batch, b, res in rows:
        med = {name: statistics.median(v) for name, v in res.items()}
        label = "full" if batch is None else str(batch)
        label += f" ({b})" if batch is None or b != batch else ""
        step, copy = ratio(res, "engine", "torch"), ratio(res, "engine+copy", "torch")
        lines.append(
            f"| {case} | {n:,} | {label} | {num(med['engine'])} | {num(med['engine'] * b)} "
            f"| {num(med['engine+copy'])} | {num(med['torch'])} | {num(med['torch'] * b)} "
            f"| {times(step)} | {times(copy)} | {goal(case, batch, step, copy)} |"
        )
        table32.append(
            f"| {case} | {label} | {num(med['engine32'])} | {num(med['torch32'])} "
            f"| {times(ratio(res, 'engine32', 'torch32'))} "
            f"| {times(ratio(res, 'engine32', 'engine'))} |"
        )
    return "\n".join(lines + table32)


def main(repeats: int = 7, seconds: float = 0.4, docs: bool = True) -> None:
    torch.set_num_threads(1)
    rows, diffs = [], [0.0, 0.0]
    for case in CASES:
        for batch in BATCHES:
            steppers, b, diff = build(case, batch)
            diffs = [max(d, e) for d, e in zip(diffs, diff, strict=True)]
            print(f"  {case} batch {batch or 'full'} ({b} rows)…", flush=True)
            res = measure(steppers, repeats, seconds)
            rows.append((case, len(dataset(case)[0]), batch, b, res))
    section = report(rows, (diffs[0], diffs[1]), repeats, seconds)
    print(section, flush=True)
    if docs:
        write_section("engine", section)


if __name__ == "__main__":
    main()
