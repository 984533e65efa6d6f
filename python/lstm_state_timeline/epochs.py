"""Which epoch each batch belongs to, its index within (epoch, phase), and the epochEnd records."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any, Optional

from .jsonvalues import json_number
from .loader import LoaderBatch


class EpochBook:
    """Epochs from rec.epoch(n), else from DataLoader passes: a training batch from a new pass starts the next epoch."""

    def __init__(self) -> None:
        self.epoch = 0
        self._train_pass: Optional[int] = None
        self.last_train_epoch: Optional[int] = None
        self.train_batches = 0
        self._counts: Counter[tuple[int, str]] = Counter()
        self._losses: defaultdict[tuple[int, str], list[float]] = defaultdict(list)
        self._ended: set[int] = set()

    def epoch_for(self, phase: str, loader: Optional[LoaderBatch], explicit: Optional[int]) -> int:
        """The epoch of a call; evaluation calls belong to the epoch they follow."""
        if explicit is not None:
            self.epoch = explicit
        elif phase == "train" and loader is not None and loader.iteration != self._train_pass:
            if self._train_pass is not None:
                self.epoch += 1
            self._train_pass = loader.iteration
        return self.epoch

    def starts_epoch(self, phase: str, epoch: int) -> bool:
        """A training call in another epoch than the last training call: the previous epoch has ended."""
        return phase == "train" and self.last_train_epoch is not None and epoch != self.last_train_epoch

    def batch_index(self, epoch: int, phase: str) -> int:
        return self._counts[(epoch, phase)]

    def counted(self, epoch: int, phase: str) -> None:
        """One more batch of (epoch, phase) has been recorded."""
        self._counts[(epoch, phase)] += 1
        if phase == "train":
            self.train_batches += 1
            self.last_train_epoch = epoch

    def add_loss(self, epoch: int, phase: str, loss: Optional[float]) -> None:
        if loss is not None and math.isfinite(loss):
            self._losses[(epoch, phase)].append(float(loss))

    def end_record(self, epoch: Optional[int]) -> Optional[dict[str, Any]]:
        """The epochEnd record of `epoch` (once): mean finite training loss, and its evaluation batches as `validation`."""
        if epoch is None or epoch in self._ended:
            return None
        self._ended.add(epoch)
        record: dict[str, Any] = {"t": "epochEnd", "epoch": epoch, "meanLoss": _mean(self._losses[(epoch, "train")]),
                                  "batches": self._counts[(epoch, "train")]}
        if self._counts[(epoch, "eval")]:
            record["validation"] = {"meanLoss": _mean(self._losses[(epoch, "eval")]), "batches": self._counts[(epoch, "eval")]}
        return record

    def last_epoch(self) -> int:
        return self.last_train_epoch if self.last_train_epoch is not None else self.epoch


def _mean(values: list[float]) -> Any:
    return json_number(sum(values) / len(values)) if values else None
