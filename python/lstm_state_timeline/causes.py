"""
Why a batch's initial state is what it is, read from the numbers alone (pure numpy, no torch).

Every claim made here is one a reader can check from the saved tensors, exactly as the cause
table of docs/run-format.md says: equality is bitwise (so a carried NaN is still carried, and
-0.0 is not 0.0 for row matching), across every layer, direction and state (h and c) of a row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

States = Sequence[np.ndarray]  # per state (h, c): (layers·directions, rows, units)


@dataclass(eq=False)  # identity, not array comparison
class Final:
    """A previous call's final state, kept (as owned copies) to recognise it when it comes back as an initial state."""
    step: int
    phase: str
    states: list[np.ndarray]
    rows: Optional[list[int]] = None
    _row_index: Optional[dict[bytes, int]] = field(default=None, repr=False)

    @property
    def row_count(self) -> int:
        return int(self.states[0].shape[1])

    def row_index(self) -> dict[bytes, int]:
        """Row signature → first row holding it, built once and only when a non-identical match is looked for."""
        if self._row_index is None:
            index: dict[bytes, int] = {}
            for row, signature in enumerate(row_signatures(self.states)):
                index.setdefault(signature, row)
            self._row_index = index
        return self._row_index


@dataclass
class Inference:
    """The cause and, for carried/permuted/partial, which final it continues and how its rows line up."""
    cause: str
    source: Optional[Final] = None
    row_sources: Optional[list[Optional[int]]] = None

    @property
    def carried_from(self) -> Optional[int]:
        return self.source.step if self.source else None


def row_signatures(states: States) -> list[bytes]:
    """The bytes of each row across all layers and states: two rows are bitwise equal exactly when these are."""
    rows = states[0].shape[1]
    parts = [np.ascontiguousarray(s.transpose(1, 0, 2)).reshape(rows, -1).view(np.uint8) for s in states]
    joined = np.ascontiguousarray(np.concatenate(parts, axis=1))
    return [joined[r].tobytes() for r in range(rows)]


def bitwise_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Same shape, dtype and bytes."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    return np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()  # memcmp: faster than any ufunc here


def is_zero(states: States) -> bool:
    """All entries are 0 (either sign): what `h0 = c0 = 0` checks."""
    return not any(np.any(s) for s in states)


def infer_cause(initial: States, candidates: Sequence[Final]) -> Inference:
    """
    The cause of a state that was passed in (the `auto` case, no state, is the caller's).

    `candidates` are earlier finals, most recent first. The order of preference: all zeros;
    carried (equal to a whole final, same rows); permuted (every row equals some row of one final,
    same row count); partial (some rows equal rows of a final: the batch size changed, or some
    rows were reset — all-zero rows count as reset rows, never as continuing); else other.
    """
    if is_zero(initial):
        return Inference("zeros")
    for final in candidates:
        if len(final.states) == len(initial) and all(bitwise_equal(a, b) for a, b in zip(initial, final.states)):
            return Inference("carried", final)
    signatures = row_signatures(initial)
    zero_rows = _zero_rows(initial)
    best: Optional[tuple[Final, list[Optional[int]], int]] = None
    for final in candidates:
        if len(final.states) != len(initial) or any(
            a.shape[0] != b.shape[0] or a.shape[2] != b.shape[2] or a.dtype != b.dtype for a, b in zip(initial, final.states)
        ):
            continue
        index = final.row_index()
        sources = [None if zero_rows[r] else index.get(sig) for r, sig in enumerate(signatures)]
        matched = sum(s is not None for s in sources)
        if matched == len(sources) and final.row_count == len(sources):
            return Inference("permuted", final, sources)
        if matched and (best is None or matched > best[2]):
            best = (final, sources, matched)
    if best is not None:
        return Inference("partial", best[0], best[1])
    return Inference("other")


def _zero_rows(states: States) -> list[bool]:
    """Per row: is it all zeros in every layer and state?"""
    nonzero = np.zeros(states[0].shape[1], dtype=bool)
    for s in states:
        nonzero |= np.any(s != 0, axis=(0, 2))
    return [not v for v in nonzero]


def data_continues(rows: Optional[Sequence[int]], source_rows: Optional[Sequence[int]],
                   row_sources: Optional[Sequence[Optional[int]]], stride: Optional[int]) -> Optional[bool]:
    """
    Does row i's data continue the data of the row its state comes from? Knowable only from the
    sample indices and a declared layout where sample `j + stride` continues sample `j`; else None.
    `row_sources` None means row i continues row i.
    """
    if rows is None or source_rows is None or stride is None:
        return None
    if row_sources is None:  # the common case: row i continues row i
        n = min(len(rows), len(source_rows))
        if n == 0:
            return None
        return list(rows[:n]) == [row + stride for row in source_rows[:n]]
    sources = [(rows[i], source_rows[s]) for i, s in enumerate(row_sources) if s is not None]
    if not sources:
        return None
    return all(row == source + stride for row, source in sources)
