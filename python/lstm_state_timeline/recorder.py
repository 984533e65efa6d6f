"""
Records one recurrent module into one run folder: every forward call is a batch.

The pre-hook reads the control file, applies resets, and notes the state passed in; the
post-hook reads the final state, infers the cause, and appends the batch's binaries. The
batch's log line waits for its loss: it is written after backward() (zero-code mode), at
`rec.log`, at the next call, or when the run ends — always after its binaries.
"""
from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import torch

from .capture import TensorBudget, capture_blocks, states_bytes
from .causes import Final, Inference, data_continues, infer_cause
from .epochs import EpochBook
from .flags import summary, warning_record
from .hooks import attach_hooks
from .jsonvalues import json_number
from .liveness import utc_now_iso
from .livecontrols import LiveControls
from .loader import LoaderBatch
from .manifest import build_manifest
from .modelinfo import directions, kind_of, state_names
from .naming import module_path
from .runfolder import RunFolder
from .torchstates import hidden_rows_block, holds_graph, state_tensors, timesteps_of, to_numpy

if TYPE_CHECKING:
    from .session import Session


@dataclass
class CallState:
    """What the pre-hook learned, for the post-hook of the same call."""
    start: float
    phase: str
    epoch: int
    batch: int
    reset: Optional[str]
    initial: Optional[list[np.ndarray]]  # None: the call started from zeros (hx None, or reset)
    hx_given: bool
    with_graph: bool
    loader: Optional[LoaderBatch]
    timesteps: Optional[int]


@dataclass
class PendingBatch:
    """A batch whose binaries are written and whose log line waits for its loss."""
    record: dict[str, Any]
    start: float
    end: float
    loss: Optional[float] = None
    loss_is_explicit: bool = False


class ModuleRecorder:
    """The recording of one nn.LSTM/GRU/RNN; its run folder is made at the module's first call."""

    def __init__(self, session: "Session", module: torch.nn.RNNBase, index: int, name: Optional[str] = None, path: Optional[str] = None) -> None:
        self.session = session
        self.module = module
        self.options = session.options
        self.index = index
        self.fixed_name = name
        self.path = path
        self.names = state_names(module)
        self.directions = directions(module)
        self.units = getattr(module, "proj_size", 0) or module.hidden_size
        self.run: Optional[RunFolder] = None
        self.controls: Optional[LiveControls] = None
        self.step = 0
        self.recent: deque[Final] = deque(maxlen=max(1, self.options.history))
        self.last_of_phase: dict[str, Final] = {}
        self.epochs = EpochBook()
        self.call: Optional[CallState] = None
        self.pending: Optional[PendingBatch] = None
        self.flags_seen: set[str] = set()
        self.cause_list: list[str] = []
        self.flag_list: list[str] = []
        self.budget = TensorBudget(self.options.budget_bytes)
        # Recorded through record(): a batch's line waits for rec.log (or the next call) instead of
        # being written at backward(), so a loss logged after backward() is not lost.
        self.waits_for_log = False
        self.handles = attach_hooks(module, self.before_call, self.after_call)

    # ------------------------------------------------------------------ hooks

    def before_call(self, module: torch.nn.Module, args: tuple, kwargs: dict) -> Optional[tuple[tuple, dict]]:
        if module is not self.module:  # a replica (DataParallel) sharing our hook dicts: not this run
            return None
        self.flush()
        self.call = None
        x = args[0] if args else kwargs.get("input")
        hx_in_kwargs = "hx" in kwargs
        hx = kwargs["hx"] if hx_in_kwargs else args[1] if len(args) > 1 else None
        loader = self.session.loaders.current
        timesteps = timesteps_of(x, module.batch_first)
        if self.run is None:
            self._open(timesteps, loader)
        assert self.controls is not None
        self.controls.at_call(self.step)  # may hold (pause) or raise KeyboardInterrupt (stop)
        phase = "train" if module.training and torch.is_grad_enabled() else "eval"
        epoch = self.epochs.epoch_for(phase, loader, self.session.explicit_epoch)
        new_epoch = self.epochs.starts_epoch(phase, epoch)
        if new_epoch:
            self._end_epoch(self.epochs.last_train_epoch)
        batch = self.epochs.batch_index(epoch, phase)
        reset = self.controls.reset_due(phase, new_epoch, self.epochs.train_batches)
        tensors = state_tensors(hx) if hx is not None else []
        initial = None
        replaced: Any = None
        if reset:
            self._record({"t": "reset", "cause": reset, "beforeStep": self.step, "epoch": epoch, "batch": batch})
            if hx is not None:
                zeros = [torch.zeros_like(t) for t in tensors]
                replaced = tuple(zeros) if isinstance(hx, (tuple, list)) else zeros[0]
        elif hx is not None:
            initial = [to_numpy(t, copy=False) for t in tensors]
        self.call = CallState(time.perf_counter(), phase, epoch, batch, reset, initial, hx is not None,
                              bool(tensors) and holds_graph(tensors), loader, timesteps)
        if replaced is None:
            return None
        if hx_in_kwargs:
            return args, {**kwargs, "hx": replaced}
        return (args[0], replaced, *args[2:]), kwargs

    def after_call(self, module: torch.nn.Module, args: tuple, output: Any) -> None:
        call, self.call = self.call, None
        if module is not self.module or call is None or self.run is None:
            return
        end = time.perf_counter()
        out, final_state = output
        finals = [to_numpy(t, copy=True) for t in state_tensors(final_state)]
        row_count = int(finals[0].shape[1])
        initial = call.initial if call.initial is not None else [np.zeros(f.shape, np.float32) for f in finals]
        inference = self._infer(call, initial)
        rows = call.loader.rows if call.loader and call.loader.rows is not None and len(call.loader.rows) == row_count else None
        flags = self._flags(call, inference)
        norms, means, states = capture_blocks(initial, finals, self.names, self.budget.take(states_bytes(initial, finals)))
        norms_offset = self.run.append_norms(norms)
        states_offset = self.run.append_states(states) if states is not None else None
        kept = [r for r in self.options.hidden_rows if 0 <= r < row_count]
        hidden_offset = self.run.append_hidden(hidden_rows_block(out, kept, self.directions, self.units, module.batch_first)) if kept else None
        record = {
            "t": "batch", "step": self.step, "epoch": call.epoch, "batch": call.batch, "phase": call.phase,
            "rowCount": row_count, "rows": rows, "timesteps": call.timesteps, "loss": None,
            "cause": inference.cause, "carriedFrom": inference.carried_from, "rowSources": inference.row_sources,
            "flags": flags, "dataContinues": self._data_continues(call, inference, rows, flags),
            "meanNorms": means, "normsOffset": norms_offset, "statesOffset": states_offset,
            "hiddenOffset": hidden_offset, "ms": None,
        }
        self.pending = PendingBatch(record, call.start, end)
        final = Final(self.step, call.phase, finals, rows)
        self.recent.appendleft(final)
        self.last_of_phase[call.phase] = final
        self.epochs.counted(call.epoch, call.phase)
        self.cause_list.append(inference.cause)
        self.flag_list.extend(flags)
        self.step += 1

    # ------------------------------------------------------------------ losses and lines

    def on_backward(self, loss: Optional[float], at: float) -> None:
        """A backward() ended: its scalar is the pending batch's loss; zero-code mode writes the line now."""
        pending = self.pending
        if pending is None or pending.loss_is_explicit:
            return
        pending.loss, pending.end = loss, at
        if not self.waits_for_log:
            self.flush()

    def log_loss(self, loss: Optional[float]) -> bool:
        """`rec.log(loss=…)`: the latest batch's loss; False when that batch's line is already written."""
        if self.pending is None:
            return False
        self.pending.loss, self.pending.loss_is_explicit = loss, True
        self.flush()
        return True

    def flush(self) -> None:
        """Writes the pending batch's line (its binaries are on disk already), then its first-time flag warnings."""
        pending, self.pending = self.pending, None
        if pending is None or self.run is None:
            return
        record = pending.record
        record["loss"] = json_number(pending.loss)
        record["ms"] = round((pending.end - pending.start) * 1000, 3)
        self._record(record)
        for flag in record["flags"]:
            if flag not in self.flags_seen:
                self.flags_seen.add(flag)
                self._record(warning_record(flag, record["step"], record["carriedFrom"]))
        self.epochs.add_loss(record["epoch"], record["phase"], pending.loss)

    def end(self, status: str, message: Optional[str] = None, location: Optional[dict[str, Any]] = None) -> Optional[str]:
        """Writes the end record and closes the run; returns the one-line summary (None when never called)."""
        for handle in self.handles:
            handle.remove()
        self.handles = []
        self.call = None
        self.flush()
        if self.run is None:
            return None
        if status == "finished" and self.step:
            self._end_epoch(self.epochs.last_epoch())
        record: dict[str, Any] = {"t": "end", "status": status, "at": utc_now_iso(), "step": self.step}
        if message is not None:
            record["message"] = message
        if location is not None:
            record["location"] = location
        self._record(record)
        self.run.close()
        return summary(self.cause_list, self.flag_list, self.step)

    # ------------------------------------------------------------------ internals

    def _record(self, record: dict[str, Any]) -> None:
        assert self.run is not None
        self.run.record(record)

    def _open(self, timesteps: Optional[int], loader: Optional[LoaderBatch]) -> None:
        script = (self.options.script or {}).get("path")
        if self.path is None:
            self.path = module_path(self.module, script) or f"{kind_of(self.module)}{self.index}"
        name = self.fixed_name or f"{self.options.name or self.session.default_name}-{self.path}"
        manifest = build_manifest(self.module, name, self.path, self.options, timesteps, loader)
        self.run = RunFolder(self.options.runs_dir, manifest)
        self.controls = LiveControls(self.run.file("control"), self._record, self.session)
        print(f"[lstm-state-timeline] recording {self.path} into {self.run.path}", file=sys.stderr, flush=True)

    def _infer(self, call: CallState, initial: list[np.ndarray]) -> Inference:
        if call.reset:
            return Inference(call.reset)
        if not call.hx_given:
            return Inference("auto")
        if self.recent:  # the usual case, a state carried from the last call, without building the candidate list
            latest = infer_cause(initial, [self.recent[0]])
            if latest.cause in ("carried", "zeros"):
                return latest
        candidates = list(self.recent)
        candidates += sorted((f for f in self.last_of_phase.values() if all(f is not c for c in candidates)), key=lambda f: -f.step)
        return infer_cause(initial, candidates)

    def _flags(self, call: CallState, inference: Inference) -> list[str]:
        """Flags only describe a carried state (carried, permuted or partial): what it still holds and where it came from."""
        if inference.source is None:
            return []
        flags = []
        if call.with_graph:
            flags.append("withGraph")
        if inference.source.phase != call.phase:
            flags.append("fromEval")
        if call.loader is not None and call.loader.loader.sampler == "random":
            flags.append("shuffledData")
        return flags

    def _data_continues(self, call: CallState, inference: Inference, rows: Optional[list[int]], flags: list[str]) -> Optional[bool]:
        """
        Carried: does row i's data continue its source row's data? From zeros: would it have continued
        the previous batch of the same phase (true = a state was dropped where the data went on)?
        """
        previous = inference.source or self.last_of_phase.get(call.phase)
        if inference.cause == "other" or previous is None:
            return None
        if call.loader is not None and call.loader.loader.sampler == "random":
            return False  # a random sample never continues another row's data
        return data_continues(rows, previous.rows, inference.row_sources, self.options.stride)

    def _end_epoch(self, epoch: Optional[int]) -> None:
        record = self.epochs.end_record(epoch)
        if record is not None:
            self._record(record)
