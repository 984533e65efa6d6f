"""The flags a batch can carry: a stable lint-style code and a plain sentence for each, and the run's summary line."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

# flag → (code, field the warning names, what it means and what to do)
FLAGS: dict[str, tuple[str, str, str]] = {
    "withGraph": (
        "PT001", "hx",
        "the state passed in still holds its autograd graph: gradients flow back into earlier batches "
        "and memory grows with every batch — detach() it (hx = tuple(h.detach() for h in hx)).",
    ),
    "fromEval": (
        "PT002", "phase",
        "the state was carried across phases (training ↔ evaluation): evaluation started from the "
        "training state, or training goes on from the state evaluation left — save the training state "
        "before evaluating and restore it after, or reset it.",
    ),
    "shuffledData": (
        "PT003", "DataLoader.sampler",
        "the state was carried while the DataLoader shuffles: row i's data is an unrelated sample, so "
        "the carried state belongs to another sequence — use shuffle=False with data laid out so "
        "sample i + batch size continues sample i, or start each batch from zeros.",
    ),
}

CAUSE_ORDER = ["auto", "first", "epoch", "schedule", "manual", "zeros", "carried", "restored", "permuted", "partial", "other"]


def warning_record(flag: str, step: int, carried_from: int) -> dict:
    """The `warning` record written the first time a flag occurs in a run."""
    code, field, sentence = FLAGS[flag]
    return {"t": "warning", "code": code, "field": field,
            "message": f"Step {step} (carried from step {carried_from}): {sentence}"}


def summary(causes: Iterable[str], flags: Iterable[str], batches: int) -> str:
    """e.g. "75 batches: carried 74, auto 1; withGraph (PT001) in 74" — printed when a zero-code run ends."""
    cause_counts = Counter(causes)
    flag_counts = Counter(flags)
    parts = [f"{cause} {cause_counts[cause]}" for cause in CAUSE_ORDER if cause_counts[cause]]
    text = f"{batches} batch{'es' if batches != 1 else ''}: {', '.join(parts) or 'none'}"
    for flag, (code, _, _) in FLAGS.items():
        if flag_counts[flag]:
            text += f"; {flag} ({code}) in {flag_counts[flag]}"
    return text
