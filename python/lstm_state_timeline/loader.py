"""
Epochs and sample indices from the script's DataLoaders, without touching the script.

Each `iter(loader)` is one pass (an "iteration", numbered across all loaders); the training
batches of a new pass start a new epoch. For a map-style dataset the sampler's indices of each
batch are captured as the loader fetches them and handed out, in order, as it yields batches
(the loader yields batches in the order it sent their indices, also with worker processes).

This needs three private methods of torch's `_BaseDataLoaderIter` (`_reset`, `_next_index`,
`__next__`), present from torch 1.x through 2.x; where they are missing, loaders are not read
(epochs come only from `rec.epoch`, rows are null).
"""
from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from typing import Any, Optional

import torch
from torch.utils.data import DataLoader, IterableDataset, RandomSampler, SequentialSampler, Subset
from torch.utils.data import SubsetRandomSampler, WeightedRandomSampler

try:
    from torch.utils.data.dataloader import _BaseDataLoaderIter
except ImportError:  # pragma: no cover - a torch without it records no rows
    _BaseDataLoaderIter = None

RANDOM_SAMPLERS = (RandomSampler, SubsetRandomSampler, WeightedRandomSampler)
_serials = itertools.count()


@dataclass
class LoaderInfo:
    """What one DataLoader tells about the data: how it samples, its size and batch size."""
    sampler: str  # "random" | "sequential" | "other"
    map_style: bool
    batch_size: Optional[int]
    samples: Optional[int]
    batches: Optional[int]
    description: str


@dataclass
class LoaderBatch:
    """The batch a DataLoader yielded last: which pass it belongs to and the sample index of each row."""
    loader: LoaderInfo
    iteration: int
    rows: Optional[list[int]]


def describe_loader(loader: DataLoader) -> LoaderInfo:
    dataset = loader.dataset
    map_style = not isinstance(dataset, IterableDataset)
    sampler = loader.sampler
    kind = "random" if isinstance(sampler, RANDOM_SAMPLERS) else "sequential" if isinstance(sampler, SequentialSampler) else "other"
    base = _base_dataset(dataset)
    samples = _length(base) if map_style else None
    batches = _length(loader) if map_style else None
    description = (f"DataLoader over {type(base).__name__}"
                   + (f" ({samples} samples)" if samples is not None else "")
                   + f", {type(sampler).__name__}, batch size {loader.batch_size}")
    return LoaderInfo(kind, map_style, loader.batch_size, samples, batches, description)


def _base_dataset(dataset: Any) -> Any:
    while isinstance(dataset, Subset):
        dataset = dataset.dataset
    return dataset


def _length(value: Any) -> Optional[int]:
    try:
        return len(value)
    except TypeError:
        return None


def base_indices(dataset: Any, indices: list[int]) -> list[int]:
    """Indices into the loader's dataset → indices into the dataset under any torch Subsets (one X for train and validation)."""
    while isinstance(dataset, Subset):
        indices = [int(dataset.indices[i]) for i in indices]
        dataset = dataset.dataset
    return indices


class LoaderTracker:
    """Patches DataLoader iteration while installed; `current` is the batch the script received last."""

    def __init__(self) -> None:
        self.current: Optional[LoaderBatch] = None
        self._saved: list[tuple[Any, str, Any]] = []

    def install(self) -> None:
        if _BaseDataLoaderIter is None or not all(m in _BaseDataLoaderIter.__dict__ for m in ("_reset", "_next_index", "__next__")):
            return  # a torch without them: no epochs from loaders, rows unknown
        tracker = self
        self._patch(DataLoader, "__iter__", self._wrap_loader_iter(DataLoader.__iter__))
        original_reset, original_next_index, original_next = (
            _BaseDataLoaderIter._reset, _BaseDataLoaderIter._next_index, _BaseDataLoaderIter.__next__)

        def _reset(self: Any, *args: Any, **kwargs: Any) -> Any:
            self.__dict__["_lst_indices"] = deque()
            return original_reset(self, *args, **kwargs)

        def _next_index(self: Any) -> Any:
            index = original_next_index(self)
            # Single-process iterators never call _reset on their first pass: the queue starts here then.
            self.__dict__.setdefault("_lst_indices", deque()).append(index)
            return index

        def __next__(self: Any) -> Any:
            try:
                batch = original_next(self)
            except StopIteration:
                tracker.current = None  # the pass is over: later forward calls are not from this loader
                raise
            tracker._yielded(self)
            return batch

        self._patch(_BaseDataLoaderIter, "_reset", _reset)
        self._patch(_BaseDataLoaderIter, "_next_index", _next_index)
        self._patch(_BaseDataLoaderIter, "__next__", __next__)

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()
        self.current = None

    def _patch(self, owner: Any, name: str, replacement: Any) -> None:
        self._saved.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, replacement)

    @staticmethod
    def _wrap_loader_iter(original: Any) -> Any:
        def __iter__(self: DataLoader) -> Any:
            iterator = original(self)  # persistent workers: the same iterator, reset (its index queue too)
            iterator.__dict__["_lst_pass"] = (self, describe_loader(self), next(_serials))
            return iterator

        return __iter__

    def _yielded(self, iterator: Any) -> None:
        passed = iterator.__dict__.get("_lst_pass")
        queue = iterator.__dict__.get("_lst_indices")
        if passed is None:
            self.current = None
            return
        loader, info, serial = passed
        index = queue.popleft() if queue else None
        rows: Optional[list[int]] = None
        in_order = getattr(loader, "in_order", True)  # torch ≥ 2.6 may yield out of order: rows unknown then
        if info.map_style and index is not None and in_order:
            if type(index) is list and all(type(i) is int for i in index):  # BatchSampler's own lists: used as they are
                indices = list(index)
            else:
                indices = [int(i) for i in index] if isinstance(index, (list, tuple)) else [int(index)]
            rows = base_indices(loader.dataset, indices)
        self.current = LoaderBatch(info, serial, rows)
