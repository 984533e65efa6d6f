"""
Recording overhead on the PyTorch seed config (examples/pytorch/tbptt_correct.py: X (1000, 20, 1),
batch 200, 16 units, 15 epochs): the script's wall time run by the zero-code runner ÷ the same
script run plainly, both in this process (torch already imported, so its import time does not
dilute the ratio). Median of paired ratios over N repetitions, the order alternating within pairs.

    /usr/bin/python3 python/bench_overhead.py [--reps N] [--threads T] [--json]

The verdict is on wall time. CPU time (this process, all threads) is printed beside it: on a
machine shared with other work, wall-time ratios scatter widely while CPU-time ratios do not.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import runpy
import statistics
import sys
import tempfile
import time
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(HERE), "examples", "pytorch", "tbptt_correct.py")
TARGET = 1.10
sys.path.insert(0, HERE)


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def plain() -> float:
    saved = sys.argv, list(sys.path)
    sys.argv, sys.path[0:0] = [SCRIPT], [os.path.dirname(SCRIPT)]
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(SCRIPT, run_name="__main__")
        return time.perf_counter() - started
    finally:
        sys.argv, sys.path[:] = saved[0], saved[1]


def recorded(runs_dir: str) -> float:
    from lstm_state_timeline.options import Options
    from lstm_state_timeline.runner import run_script

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = run_script(SCRIPT, [], Options(runs_dir=runs_dir, stride=200))
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"the recorded run failed (exit code {code})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=10, help="paired repetitions (default 10)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for both runs (default 1: steadier on a shared machine)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="lstm-bench-") as runs_dir:
        plain(), recorded(runs_dir)  # warm-up: first-call costs (allocator, imports) for both
        pairs = []
        for rep in range(args.reps):
            if rep % 2 == 0:
                base, rec = timed(plain), timed(lambda: recorded(runs_dir))
            else:
                rec, base = timed(lambda: recorded(runs_dir)), timed(plain)
            pairs.append((base, rec))
    wall_ratios = [rec[0] / base[0] for base, rec in pairs]
    cpu_ratios = [rec[1] / base[1] for base, rec in pairs]
    ratio = statistics.median(wall_ratios)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    ok = ratio <= TARGET
    if args.json:
        print(json.dumps({"ratio": ratio, "cpuRatio": statistics.median(cpu_ratios), "target": TARGET, "ok": ok,
                          "reps": args.reps, "plainMs": statistics.median(b[0] for b, _ in pairs) * 1000,
                          "recordedMs": statistics.median(r[0] for _, r in pairs) * 1000, "load": load}))
        return 0 if ok else 1
    where = f", load {load:.2f}" if load is not None else ""
    print(f"PyTorch recorder overhead (tbptt_correct.py, 75 batches, {args.reps} pairs, {args.threads} thread(s){where}):")
    print(f"  plain    median {statistics.median(b[0] for b, _ in pairs) * 1000:.0f} ms per run")
    print(f"  recorded median {statistics.median(r[0] for _, r in pairs) * 1000:.0f} ms per run")
    print(f"  cpu-time ratio median {statistics.median(cpu_ratios):.3f} (min {min(cpu_ratios):.3f}, max {max(cpu_ratios):.3f})")
    print(f"  ratio    median {ratio:.3f} (min {min(wall_ratios):.3f}, max {max(wall_ratios):.3f}); target ≤ {TARGET:.2f}: "
          f"{'ok' if ok else 'OVER TARGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
