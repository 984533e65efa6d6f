"""What a recording is asked to do, shared by `record()` and the zero-code runner."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024  # full state tensors kept per run; norms are always kept
CONTROL_COMMANDS = ["resetNow", "setResetSchedule", "pause", "resume", "stop"]


@dataclass
class Options:
    """Recording options; every field has the default the README documents."""
    runs_dir: str = ".lstm-runs"
    name: Optional[str] = None
    budget_bytes: int = DEFAULT_BUDGET_BYTES
    hidden_rows: list[int] = field(default_factory=lambda: [0])
    # The declared data layout: sample j + stride continues sample j (a series cut into batch-size
    # columns has stride = batch size). Only with it can `dataContinues` be true or false.
    stride: Optional[int] = None
    epochs: Optional[int] = None
    # How many earlier finals a passed-in state is compared with (plus the last of each phase).
    history: int = 8
    config_path: Optional[str] = None
    script: Optional[dict[str, Any]] = None
