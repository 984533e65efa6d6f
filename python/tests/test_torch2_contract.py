"""
The recorder's torch ≥ 2.0 path, run on this machine's torch 1.13 by calling the module the way
torch 2's `Module._call_impl` does: pre-hooks registered `with_kwargs=True` get `(module, args,
kwargs)` and may return `(new_args, new_kwargs)`; forward hooks get the args the pre-hooks left.
Only torch 1.13 is installable here, so this is the one place the `with_kwargs` branch runs; the
emulation follows torch 2.x's `_call_impl` (pre-hook loop, `forward(*args, **kwargs)`, forward
hooks), not our code.
"""
import numpy as np
import pytest
import torch

import lstm_state_timeline.hooks as hooks
from lstm_state_timeline import record
from runreader import bits, check_against_spec, only_run

B, T, F, U = 3, 4, 2, 5


class CalledAsInTorch2(torch.nn.LSTM):
    """An nn.LSTM whose pre-hooks and call follow torch 2.x's contract."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_kwargs: set[int] = set()

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        assert not prepend
        handle = super().register_forward_pre_hook(hook)
        if with_kwargs:
            self.with_kwargs.add(handle.id)
        return handle

    def __call__(self, *args, **kwargs):
        for hook_id, hook in self._forward_pre_hooks.items():
            if hook_id in self.with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {result}.")
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook in self._forward_hooks.values():
            replaced = hook(self, args, output)
            if replaced is not None:
                output = replaced
        return output


@pytest.fixture()
def module(monkeypatch):
    monkeypatch.setattr(hooks, "PRE_HOOK_TAKES_KWARGS", True)
    torch.manual_seed(0)
    return CalledAsInTorch2(F, U)


def x(seed):
    return torch.randn(T, B, F, generator=torch.Generator().manual_seed(seed))


def detached(state):
    return tuple(s.detach() for s in state)


def test_hooks_are_registered_with_kwargs(module, tmp_path):
    with record(module, runs_dir=str(tmp_path)):
        assert len(module.with_kwargs) == 1  # the recorder took the torch 2 path


def test_a_state_passed_by_position_or_by_keyword_is_carried_bitwise(module, tmp_path):
    with record(module, name="case", runs_dir=str(tmp_path)):
        _, state = module(x(1))
        _, state = module(x(2), detached(state))
        module(x(3), hx=detached(state))
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [(b["cause"], b["carriedFrom"]) for b in run.batches] == [("auto", None), ("carried", 0), ("carried", 1)]
    for earlier, later in zip(run.batches, run.batches[1:]):
        assert np.array_equal(bits(run.states(later)["h0"]), bits(run.states(earlier)["h"]))
        assert np.array_equal(bits(run.states(later)["c0"]), bits(run.states(earlier)["c"]))


@pytest.mark.parametrize("by_keyword", [False, True])
def test_reset_now_replaces_the_state_the_forward_gets(module, tmp_path, by_keyword):
    with record(module, name="case", runs_dir=str(tmp_path)) as rec:
        _, state = module(x(1))
        with open(f"{rec.run_dirs[0]}/control.jsonl", "a") as f:
            f.write('{"type":"resetNow"}\n')
        out, _ = module(x(2), hx=detached(state)) if by_keyword else module(x(2), detached(state))
    zero_out, _ = torch.nn.LSTM.__call__(module, x(2))  # the plain module, from zeros
    assert torch.equal(out, zero_out)
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [b["cause"] for b in run.batches] == ["auto", "manual"]
    assert not run.states(run.batches[1])["h0"].any() and not run.states(run.batches[1])["c0"].any()
