"""
Forward pre/post hooks on one recurrent module, through public torch API only.

torch 1.13 passes pre-hooks the positional arguments only (so `hx` is `args[1]` or absent);
torch ≥ 2.0 can also pass keyword arguments (`with_kwargs=True`), used when available so that
`lstm(x, hx=state)` is seen too. The hook objects pickle (and deep-copy) to inert hooks, so
`torch.save(model)` and `copy.deepcopy(model)` keep working while a module is recorded.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import torch

# before(module, args, kwargs) → None, or (args, kwargs) to replace the call's inputs
Before = Callable[[torch.nn.Module, tuple, dict], Optional[tuple[tuple, dict]]]
After = Callable[[torch.nn.Module, tuple, Any], None]

PRE_HOOK_TAKES_KWARGS = "with_kwargs" in inspect.signature(torch.nn.Module.register_forward_pre_hook).parameters


class InertHook:
    """What a recording hook becomes in a copy or a pickle: nothing."""

    def __call__(self, *args: Any) -> None:
        return None


class _Hook:
    """A hook that calls `fn`, pickled as an InertHook (the recorder's files and threads do not travel)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __reduce__(self) -> tuple:
        return (InertHook, ())


def attach_hooks(module: torch.nn.Module, before: Before, after: After) -> list[Any]:
    """Registers the pair of hooks; returns their handles (`handle.remove()` detaches)."""
    if PRE_HOOK_TAKES_KWARGS:
        pre = module.register_forward_pre_hook(_Hook(before), with_kwargs=True)
    else:
        def positional(m: torch.nn.Module, args: tuple) -> Optional[tuple]:
            replaced = before(m, args, {})
            return None if replaced is None else replaced[0]

        pre = module.register_forward_pre_hook(_Hook(positional))
    post = module.register_forward_hook(_Hook(after))
    return [pre, post]
