"""
Turns one call's states into the blocks the run folder keeps (pure numpy): norms always, full
tensors while the byte budget lasts.

Norms are computed from the float32 values that are saved (accumulated in float64), so a reader
recomputing them from states.bin gets the same numbers. This runs at every forward call, so it
is written for few numpy operations: the states are stacked once, in the states.bin layout, and
the norms and the states block both come from that one array.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from .jsonvalues import json_number


def as_float32(states: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The saved form of each state (a no-op for float32 arrays)."""
    return [np.asarray(s, dtype=np.float32) for s in states]


def row_norms(values: np.ndarray) -> np.ndarray:
    """(…, units) → (…) L2 norms over the last axis, accumulated in float64."""
    return np.sqrt(np.einsum("...u,...u->...", values, values, dtype=np.float64))


def states_bytes(initial: Sequence[np.ndarray], final: Sequence[np.ndarray]) -> int:
    """Size of the states block without building it, so a spent budget costs no copy."""
    return 4 * sum(int(s.size) for s in list(initial) + list(final))


def capture_blocks(initial: Sequence[np.ndarray], final: Sequence[np.ndarray], names: Sequence[str],
                   with_states: bool) -> tuple[np.ndarray, list[dict[str, Any]], Optional[np.ndarray]]:
    """
    The norms block — per layer: each initial state's row norms, then each final state's —, the
    per-layer means over rows keyed `h0`, `c0`, `h`, `c` (non-finite as strings), and, when asked,
    the states block: per layer each initial state [rows·units] then each final state, row-major.
    """
    ordered = as_float32(initial) + as_float32(final)
    if all(s.shape == ordered[0].shape for s in ordered):  # one array in the states.bin layout: (layers, 2·|S|, rows, units)
        stacked = np.stack(ordered, axis=1)
        block = row_norms(stacked)
        states = stacked.reshape(-1) if with_states else None
    else:  # proj_size: h and c differ in width
        block = np.stack([row_norms(s) for s in ordered], axis=1)
        states = np.concatenate([s[layer].ravel() for layer in range(ordered[0].shape[0]) for s in ordered]) if with_states else None
    rows = block.shape[2]
    keys = [f"{n}0" for n in names] + list(names)
    saved = block.astype(np.float32)
    # The mean of the norms as saved (float32), summed in row order in float64 — exactly as the
    # Node writer does — so both writers give the same summary for the same numbers.
    means = (np.cumsum(saved.astype(np.float64), axis=2)[:, :, -1] / rows if rows else np.zeros(block.shape[:2])).tolist()
    summary = [{key: json_number(value) for key, value in zip(keys, layer)} for layer in means]
    return saved, summary, states


class TensorBudget:
    """Spends the byte budget for full tensors until it is gone; once one block does not fit, none does,
    so the captured batches are always a prefix of the run."""

    def __init__(self, budget_bytes: int) -> None:
        self._left = budget_bytes
        self.exhausted = False

    def take(self, size: int) -> bool:
        if self.exhausted or size > self._left:
            self.exhausted = True
            return False
        self._left -= size
        return True
