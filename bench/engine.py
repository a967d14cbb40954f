"""The engines side by side: the compiled kernel, the NumPy engine, PyTorch and a plain numba loop.

Every implementation trains the same network from the same weights on the same rows: sigmoid
layers, ℓ = ½ Σ (y − t)² (`half_sse`), plain SGD at α = 0.5 / batch rows, consecutive batches.
*kernel* is ``Trainer(engine="compiled").advance(256)``, *kernel step()* the same trainer one
``step()`` (advance(1) + record()) at a time, *NumPy* ``Trainer(engine="numpy").advance(256)``
(the reference; both record the whole trace of the last iteration), *PyTorch* the usual loop of
bench/torch_reference.py, *plain loop* bench/plain_loop.py (one sample at a time, no trace, no
status: the least the step can cost). They alternate repeat by repeat. It also times the
kernel's first use (numba compiling it, in a fresh process with an empty cache) and its load
from the cache (a second fresh process), and writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# One thread for every implementation: a worker runs one job at a time. OpenBLAS reads this when
# NumPy first loads it, so it must be set before NumPy is imported anywhere in the process.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numba
import numpy as np
import torch

from backend.engine import compiled
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig
from bench import plain_loop
from bench.report import write_section
from bench.torch_reference import TorchTrainer

CASES = (("3-5-2", 2), ("2-8-8-8-8-8-8-1", 10), ("784-128-10", 10), ("784-128-10", 10_000))
IMPLS = ("kernel", "kernel step()", "NumPy", "PyTorch", "plain loop")
CHUNK = 256  # iterations per advance() call, as a worker's quantum would run them
ROOT = Path(__file__).resolve().parent.parent

Stepper = tuple[Callable[[], object], int]  # run some iterations, and how many one call runs


def build(case: str, batch: int) -> tuple[dict[str, Stepper], float]:
    """Each implementation's stepper for one case, and the largest weight difference between
    them after three identical iterations."""
    x, t = plain_loop.data(case)
    layers = [int(n) for n in case.split("-")]
    rows = min(batch, len(x))
    lr = 0.5 / rows  # the loss is summed over the batch; this keeps every case well away from 0/inf
    w0 = Network(layers, seed=0).copy_weights()
    config = TrainingConfig(mode="minibatch", batch_size=rows, learning_rate=lr, epochs=10**9)

    def trainer(engine: str) -> Trainer:
        return Trainer(Network(layers, weights=w0), x, t, config, engine=engine)

    kernel, stepped, reference = trainer("compiled"), trainer("compiled"), trainer("numpy")
    torch64 = TorchTrainer(Network(layers, weights=w0), x, t, rows, lr, "float64")
    params, sizes = Network(layers, weights=w0).params.copy(), np.array(layers, np.int64)
    plain = (params, sizes, x, t, rows, lr)
    for k in (kernel, reference):
        k.advance(3)
    for _ in range(3):
        torch64.step()
    plain_loop.train(*plain, 3)
    others = [
        reference.network.params,
        params,
        np.concatenate([w.ravel() for w in torch64.weights()]),
    ]
    diff = max(float(np.max(np.abs(kernel.network.params - p))) for p in others)
    work = rows * sum(w.size for w in w0)
    chunk = 1 if work > 10**8 else CHUNK  # the big batches: one iteration a call
    steppers: dict[str, Stepper] = {
        "kernel": (lambda: kernel.advance(chunk), chunk),
        "kernel step()": (stepped.step, 1),
        "NumPy": (lambda: reference.advance(chunk), chunk),
        "PyTorch": (torch64.step, 1),
        "plain loop": (lambda: plain_loop.train(*plain, chunk), chunk),
    }
    return steppers, diff


def rate(stepper: Stepper, seconds: float) -> float:
    """Iterations per second of process CPU time (time descheduled by other load is not counted)
    over ~`seconds`, at least one call."""
    step, per_call = stepper
    n = 0
    cpu0 = time.process_time()
    while n == 0 or time.process_time() - cpu0 < seconds:
        step()
        n += per_call
    return n / (time.process_time() - cpu0)


def measure(steppers: dict[str, Stepper], repeats: int, seconds: float) -> dict[str, list[float]]:
    """it/s per implementation per repeat; each repeat runs all of them, in a rotating order."""
    for stepper in steppers.values():
        rate(stepper, seconds / 5)  # warm-up
    results: dict[str, list[float]] = {name: [] for name in IMPLS}
    for r in range(repeats):
        for name in IMPLS[r % len(IMPLS) :] + IMPLS[: r % len(IMPLS)]:
            results[name].append(rate(steppers[name], seconds))
    return results


def first_use() -> tuple[float, float]:
    """Seconds warm() takes in a fresh process with an empty numba cache, then in another."""
    code = "from backend.engine import compiled; print(compiled.warm())"
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}

        def once() -> float:
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
            )
            out.check_returncode()
            return float(out.stdout.split()[-1])

        return once(), statistics.median(once() for _ in range(3))


def us(rates: list[float]) -> str:
    v = 1e6 / statistics.median(rates)
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def times(a: list[float], b: list[float]) -> str:
    """The median (min–max) of the paired per-repeat ratios a/b of rates: > 1, a is faster."""
    r = sorted(x / y for x, y in zip(a, b, strict=True))
    one = [f"{v:.1f}" if v >= 1 else f"{v:.2f}" for v in (statistics.median(r), r[0], r[-1])]
    return f"{one[0]}× ({one[1]}–{one[2]})"


def cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    text = info.read_text() if info.exists() else ""
    names = [ln for ln in text.splitlines() if ln.startswith("model name")]
    return names[0].split(":", 1)[1].strip() if names else platform.processor() or "unknown"


Row = tuple[str, int, dict[str, list[float]]]  # network, batch rows, it/s per implementation


def report(rows: list[Row], diff: float, load: tuple[float, float], repeats: int, seconds: float):
    today = datetime.date.today().isoformat()
    lines = [
        "## The engines: compiled kernel, NumPy, PyTorch, plain numba loop",
        "",
        f"Run {today}: NumPy {np.__version__}, numba {numba.__version__}, PyTorch "
        f"{torch.__version__}, Python {platform.python_version()}, CPU {cpu_model()} "
        f"({os.cpu_count()} logical CPUs), one thread each (`OPENBLAS_NUM_THREADS=1`, "
        "`torch.set_num_threads(1)`).",
        "",
        "Every implementation trains the same network from the same weights on the same rows "
        "(the article's six for 3-5-2, bench/torch_reference.py's sets for the others): sigmoid "
        "layers, ½ Σ (y − t)², SGD at α = 0.5 / batch rows, consecutive batches. *kernel*: "
        f'`Trainer(engine="compiled").advance({CHUNK})`; *kernel step()*: one `step()` '
        "(advance(1) + record()) at a time; *NumPy*: the reference engine, "
        f"`advance({CHUNK})`; *PyTorch*: `nn.Linear` + `nn.Sigmoid`, `optim.SGD`, "
        "`zero_grad`/`backward`/`step`/`loss.item()`; *plain loop*: bench/plain_loop.py, the "
        "step as plain numba loops one sample at a time with no trace and no status (the "
        "floor). Both engines keep the whole trace of the last iteration. With 10,000-row "
        "batches each call runs one iteration. Each runs "
        f"{repeats} repeats of ~{seconds:g} s of process CPU time, alternating with the others; "
        "figures are medians, ratios the median (min–max) of per-repeat ratios. After three "
        f"iterations the implementations' weights differ by at most {diff:.1e}.",
        "",
        "| network | batch rows | kernel µs/it | kernel step() µs/it | NumPy µs/it "
        "| PyTorch µs/it | plain loop µs/it | kernel ÷ plain loop (time) | kernel vs NumPy "
        "| kernel vs PyTorch | `choose()` |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for case, batch, res in rows:
        sizes = [int(n) for n in case.split("-")]
        lines.append(
            f"| {case} | {batch:,} | {us(res['kernel'])} | {us(res['kernel step()'])} "
            f"| {us(res['NumPy'])} | {us(res['PyTorch'])} | {us(res['plain loop'])} "
            f"| {times(res['plain loop'], res['kernel'])} | {times(res['kernel'], res['NumPy'])} "
            f"| {times(res['kernel'], res['PyTorch'])} "
            f"| {compiled.choose('compiled', sizes, batch)} |"
        )
    lines += [
        "",
        "*kernel ÷ plain loop* is how many times the plain loop's time the kernel takes (issue "
        "10's per-core target for the service: within 4×); *kernel vs …* > 1 means the kernel "
        "is faster. `choose()` is the engine a job gets for that shape: NumPy where BLAS wins "
        f"(more than {compiled.MAX_WEIGHTS:,} weights, or more than "
        f"{compiled.WORK_PER_LAYER:,} weights × batch rows a layer).",
        "",
        f"The kernel's first use, numba compiling it (`compiled.warm()` in a fresh process with "
        f"an empty `NUMBA_CACHE_DIR`): {load[0]:.1f} s. Loading it from that cache in a fresh "
        f"process (median of 3, numba's import included): {load[1]:.2f} s. The Docker image "
        "compiles it at build time into its cache.",
    ]
    return "\n".join(lines)


def main(repeats: int = 5, seconds: float = 0.4, docs: bool = True) -> None:
    torch.set_num_threads(1)
    load = first_use()
    rows: list[Row] = []
    diff = 0.0
    for case, batch in CASES:
        steppers, d = build(case, batch)
        diff = max(diff, d)
        print(f"  {case} batch {batch}…", flush=True)
        rows.append((case, batch, measure(steppers, repeats, seconds)))
    section = report(rows, diff, load, repeats, seconds)
    print(section, flush=True)
    if docs:
        write_section("engine", section)


if __name__ == "__main__":
    main()
