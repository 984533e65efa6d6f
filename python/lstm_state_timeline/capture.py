"""
Turns one call's states into the blocks the run folder keeps (pure numpy): norms always, full
tensors while the byte budget lasts, the hidden sequence of the chosen rows.

Norms are computed from the float32 values that are saved (accumulated in float64), so a reader
recomputing them from states.bin gets the same numbers.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .jsonvalues import json_number


def as_float32(states: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The saved form of each state (a no-op for float32 arrays)."""
    return [np.asarray(s, dtype=np.float32) for s in states]


def row_norms(state: np.ndarray) -> np.ndarray:
    """(…, units) → (…) L2 norms over the last axis, accumulated in float64."""
    wide = state.astype(np.float64)
    return np.sqrt(np.einsum("...u,...u->...", wide, wide))


def norms_block(initial: Sequence[np.ndarray], final: Sequence[np.ndarray], names: Sequence[str]) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """
    The norms block — per layer: each initial state's row norms, then each final state's — and,
    per layer, the mean over rows of each, keyed `h0`, `c0`, `h`, `c` (non-finite as strings).
    """
    ordered = list(initial) + list(final)
    if all(s.shape == ordered[0].shape for s in ordered):  # one vectorised pass (all but proj_size LSTMs)
        block = row_norms(np.stack(ordered, axis=1))  # (layers, 2·|S|, rows)
    else:
        block = np.stack([row_norms(s) for s in ordered], axis=1)
    keys = [f"{n}0" for n in names] + list(names)
    means = block.mean(axis=2) if block.shape[2] else np.zeros(block.shape[:2])
    summary = [{key: json_number(means[layer, i]) for i, key in enumerate(keys)} for layer in range(block.shape[0])]
    return block.astype(np.float32), summary


def states_block(initial: Sequence[np.ndarray], final: Sequence[np.ndarray]) -> np.ndarray:
    """Per layer: each initial state [rows·units], then each final state, row-major — the states.bin layout."""
    ordered = list(initial) + list(final)
    layers = ordered[0].shape[0]
    return np.concatenate([s[layer].ravel() for layer in range(layers) for s in ordered])


def states_bytes(initial: Sequence[np.ndarray], final: Sequence[np.ndarray]) -> int:
    """Size of `states_block` without building it, so a spent budget costs no copy."""
    return 4 * sum(int(s.size) for s in list(initial) + list(final))


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
