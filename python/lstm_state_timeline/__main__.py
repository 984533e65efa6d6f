"""`python3 -m lstm_state_timeline [options] script.py [args…]`: record a PyTorch script without changing it."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from .options import DEFAULT_BUDGET_BYTES


def _rows(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected row numbers separated by commas, e.g. 0,1,2 — not {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, not {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 -m lstm_state_timeline",
        description="Runs a PyTorch script and records every nn.LSTM/GRU/RNN it creates, batch by batch, "
                    "into one run folder per module (read them with the LSTM State Timeline extension or CLI).")
    p.add_argument("--runs-dir", default=".lstm-runs", help="folder for the run folders (default: .lstm-runs in the working directory)")
    p.add_argument("--name", help="run name prefix (default: the script's file name); each run is named <name>-<module path>")
    p.add_argument("--budget-bytes", type=_positive, default=DEFAULT_BUDGET_BYTES, help="bytes of full state tensors to keep per run (default 64 MiB); norms are always kept")
    p.add_argument("--hidden-rows", type=_rows, default=[0], help="rows whose hidden sequence is kept, e.g. 0,1 (default 0; empty for none)")
    p.add_argument("--stride", type=_positive, help="the data's layout: sample j + STRIDE continues sample j (usually the batch size); lets the recorder say whether the data continues")
    p.add_argument("--epochs", type=_positive, help="epochs the script trains, for the manifest (default: unknown)")
    p.add_argument("--config", help="the *.lstm.json this run was started from (written into the manifest)")
    p.add_argument("script", help="the Python script to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    return p


def main(argv: Optional[list[str]] = None) -> int:
    ns = parser().parse_args(argv)
    if not os.path.isfile(ns.script):
        print(f"lstm_state_timeline: script not found: {ns.script} (give the path of a .py file)", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401  (only now: recording is what needs it)
    except ImportError:
        print(f"lstm_state_timeline: torch is not installed for {sys.executable}. Install it "
              "(Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch) "
              "or run this with the Python that has it.", file=sys.stderr)
        return 3
    from .options import Options
    from .runner import run_script

    options = Options(runs_dir=ns.runs_dir, name=ns.name, budget_bytes=ns.budget_bytes, hidden_rows=ns.hidden_rows,
                      stride=ns.stride, epochs=ns.epochs, config_path=ns.config)
    return run_script(ns.script, ns.args, options)


if __name__ == "__main__":
    sys.exit(main())
