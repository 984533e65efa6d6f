"""
Forward pre/post hooks on one recurrent module, through public torch API only.

torch ≥ 2.0 passes keyword arguments to pre-hooks registered `with_kwargs=True`, used when
available so that `lstm(x, hx=state)` is seen too. torch 1.x passes the positional arguments only
(`hx` is `args[1]` or absent); there the keyword arguments are read from the frame of the frozen
1.x `Module._call_impl(self, *input, **kwargs)` that calls the hook — without them a state
passed by keyword would be recorded as `auto`, a false claim. The hook objects pickle (and deep-copy) to inert hooks, so
`torch.save(model)` and `copy.deepcopy(model)` keep working while a module is recorded.
"""
from __future__ import annotations

import inspect
import sys
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
            kwargs = _call_impl_kwargs()
            replaced = before(m, args, kwargs)
            if replaced is None:
                return None
            new_args, new_kwargs = replaced
            if new_kwargs is not kwargs:  # a reset replaced `hx=`: in the very dict forward() gets
                kwargs.clear()
                kwargs.update(new_kwargs)
            return new_args

        pre = module.register_forward_pre_hook(_Hook(positional))
    post = module.register_forward_hook(_Hook(after))
    return [pre, post]


def _call_impl_kwargs() -> dict:
    """torch 1.x only: the `kwargs` dict of the `_call_impl` frame calling our hook ({} when not found)."""
    frame = sys._getframe(2)
    for _ in range(4):
        if frame is None:
            break
        if frame.f_code.co_name == "_call_impl":
            kwargs = frame.f_locals.get("kwargs")
            return kwargs if isinstance(kwargs, dict) else {}
        frame = frame.f_back
    return {}
