"""
Loss capture without touching the script: the scalar on which backward() is called after a
forward is that forward's loss. `torch.Tensor.backward` and `torch.autograd.backward` are
wrapped (the first calls the second, so a per-thread depth keeps one backward one report).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

import torch

OnBackward = Callable[[Optional[float], float], None]  # (loss or None, perf_counter at backward end)


def scalar_value(tensors: Any) -> Optional[float]:
    """The value of the one scalar tensor backward is called on; None for several tensors or a non-scalar."""
    if isinstance(tensors, (list, tuple)):
        if len(tensors) != 1:
            return None
        tensors = tensors[0]
    if isinstance(tensors, torch.Tensor) and tensors.numel() == 1:
        return float(tensors.item())
    return None


class BackwardWatcher:
    """Reports every outermost backward call (its loss and when it ended) to one callback while installed."""

    def __init__(self, on_backward: OnBackward) -> None:
        self._on_backward = on_backward
        self._depth = threading.local()
        self._originals: Optional[tuple[Any, Any]] = None

    def install(self) -> None:
        tensor_backward, autograd_backward = torch.Tensor.backward, torch.autograd.backward
        self._originals = (tensor_backward, autograd_backward)
        watcher = self

        def backward(self: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
            return watcher._call(tensor_backward, self, self, *args, **kwargs)

        def autograd_backward_wrapper(tensors: Any, *args: Any, **kwargs: Any) -> Any:
            return watcher._call(autograd_backward, tensors, tensors, *args, **kwargs)

        backward.__doc__, autograd_backward_wrapper.__doc__ = tensor_backward.__doc__, autograd_backward.__doc__
        torch.Tensor.backward = backward  # type: ignore[method-assign]
        torch.autograd.backward = autograd_backward_wrapper  # type: ignore[assignment]

    def uninstall(self) -> None:
        if self._originals is not None:
            torch.Tensor.backward, torch.autograd.backward = self._originals  # type: ignore[method-assign]
            self._originals = None

    def _call(self, original: Callable[..., Any], loss_tensors: Any, *args: Any, **kwargs: Any) -> Any:
        depth = getattr(self._depth, "value", 0)
        if depth:
            return original(*args, **kwargs)
        loss = scalar_value(loss_tensors)
        self._depth.value = 1
        try:
            return original(*args, **kwargs)
        finally:
            self._depth.value = 0
            # Also when backward raises ("backward through the graph a second time"): the batch keeps its loss.
            self._on_backward(loss, time.perf_counter())
