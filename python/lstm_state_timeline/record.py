"""
The explicit way to record: `with record(model, name="tbptt") as rec:` around the training loop,
with `rec.epoch(n)` and `rec.log(loss=…)` for exact epochs and losses.
"""
from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any, Optional

import torch

from .location import failure_location, failure_message
from .modelinfo import is_recurrent
from .options import Options
from .recorder import ModuleRecorder
from .session import Session, active_session


def recurrent_modules(model: torch.nn.Module) -> list[tuple[str, torch.nn.Module]]:
    """(path, module) of every nn.LSTM/GRU/RNN in `model`, `model` itself with path ""."""
    return [(path, module) for path, module in model.named_modules() if is_recurrent(module)]


class Recording:
    """A `with` block that records `model`'s recurrent modules; joins the zero-code runner's session when there is one."""

    def __init__(self, model: torch.nn.Module, name: Optional[str], options: Options) -> None:
        modules = recurrent_modules(model)
        if not modules:
            raise TypeError(f"record(): {type(model).__name__} holds no nn.LSTM, nn.GRU or nn.RNN to record")
        self._model = model
        self._modules = modules
        self._name = name
        self._options = options
        self._session: Optional[Session] = None
        self._owns_session = False
        self.recorders: list[ModuleRecorder] = []

    def __enter__(self) -> "Recording":
        session = active_session()
        if session is None:
            main = getattr(sys.modules.get("__main__"), "__file__", None)
            self._options.script = self._options.script or {"path": os.path.abspath(main) if main else None, "argv": list(sys.argv), "cwd": os.getcwd()}
            stem = os.path.splitext(os.path.basename(main))[0] if main else "record"
            session = Session(self._options, default_name=self._name or stem).start()
            self._owns_session = True
        self._session = session
        base = self._name or session.default_name
        for path, module in self._modules:
            name = base if len(self._modules) == 1 else f"{base}-{path or type(module).__name__.lower()}"
            recorder = session.attach(module, name=name, path=path or type(module).__name__.lower())
            if recorder.run is None:  # joined a runner session before the first call: the script's name wins
                recorder.fixed_name, recorder.path = name, path or recorder.path
            recorder.waits_for_log = True
            self.recorders.append(recorder)
        return self

    def epoch(self, n: int) -> None:
        """The batches from here on belong to epoch `n` (0-based); the runner's DataLoader epochs are no longer used."""
        self._require().explicit_epoch = int(n)

    def log(self, loss: Any = None) -> None:
        """The loss of the latest batch of each recorded module (a float or a scalar tensor; None = not known)."""
        self._require()
        value = None if loss is None else float(loss.detach()) if isinstance(loss, torch.Tensor) else float(loss)
        for recorder in self.recorders:
            recorder.log_loss(value)

    @property
    def run_dirs(self) -> list[str]:
        """The run folders made so far (one per recorded module that has been called)."""
        return [r.run.path for r in self.recorders if r.run is not None]

    def __exit__(self, kind: Optional[type], error: Optional[BaseException], tb: Optional[TracebackType]) -> bool:
        if not self._owns_session or self._session is None:
            return False
        if error is None or (isinstance(error, SystemExit) and error.code in (None, 0)):
            self._session.end("finished")
        elif isinstance(error, KeyboardInterrupt):
            self._session.end("stopped", failure_message(error))
        else:
            self._session.end("failed", failure_message(error), failure_location(tb, (self._options.script or {}).get("path")))
        return False  # never swallow the script's exception

    def _require(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the recording inside its `with record(...)` block")
        return self._session


def record(model: torch.nn.Module, name: Optional[str] = None, *, runs_dir: str = ".lstm-runs", budget_bytes: Optional[int] = None,
           hidden_rows: Optional[list[int]] = None, stride: Optional[int] = None, epochs: Optional[int] = None) -> Recording:
    """
    Records every nn.LSTM/GRU/RNN in `model` into `runs_dir` (one run folder per module):
    `budget_bytes` caps the full state tensors kept (default 64 MiB), `hidden_rows` the rows whose
    hidden sequence is kept (default [0]), `stride` declares that sample j + stride continues sample j
    (then `dataContinues` is known), `epochs` is written into the manifest.
    """
    options = Options(runs_dir=runs_dir, name=name, stride=stride, epochs=epochs)
    if budget_bytes is not None:
        options.budget_bytes = int(budget_bytes)
    if hidden_rows is not None:
        options.hidden_rows = [int(r) for r in hidden_rows]
    return Recording(model, name, options)
