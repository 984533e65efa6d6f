"""
Recording overhead on the PyTorch seed config (examples/pytorch/tbptt_correct.py: X (1000, 20, 1),
batch 200, 16 units, 15 epochs): the script's wall time run by the zero-code runner ÷ the same
script run plainly, both in this process (torch already imported, so its import time does not
dilute the ratio). Median of paired ratios over N repetitions, the order alternating within pairs.

    /usr/bin/python3 python/bench_overhead.py [--reps N] [--threads T]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import runpy
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(HERE), "examples", "pytorch", "tbptt_correct.py")
TARGET = 1.10
sys.path.insert(0, HERE)


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
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="lstm-bench-") as runs_dir:
        plain(), recorded(runs_dir)  # warm-up: first-call costs (allocator, imports) for both
        ratios, plain_times, recorded_times = [], [], []
        for rep in range(args.reps):
            if rep % 2 == 0:
                base, rec = plain(), recorded(runs_dir)
            else:
                rec, base = recorded(runs_dir), plain()
            plain_times.append(base)
            recorded_times.append(rec)
            ratios.append(rec / base)
    ratio = statistics.median(ratios)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"PyTorch recorder overhead (tbptt_correct.py, 75 batches, {args.reps} pairs, {args.threads} thread(s), load {load:.2f}):")
    print(f"  plain    median {statistics.median(plain_times) * 1000:.0f} ms per run")
    print(f"  recorded median {statistics.median(recorded_times) * 1000:.0f} ms per run")
    print(f"  ratio    median {ratio:.3f} (min {min(ratios):.3f}, max {max(ratios):.3f}); target ≤ {TARGET:.2f}: "
          f"{'ok' if ratio <= TARGET else 'OVER TARGET'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
