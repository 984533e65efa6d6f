"""
One recording session: the patches that read losses and DataLoader batches, and the recorders
of the modules being recorded. Only one session is active at a time; `record()` inside a script
run by the zero-code runner joins the runner's session instead of starting another.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

import torch

from .loader import LoaderTracker
from .loss import BackwardWatcher
from .modelinfo import is_recurrent
from .options import Options
from .recorder import ModuleRecorder

_active: Optional["Session"] = None


def active_session() -> Optional["Session"]:
    return _active


class Session:
    """Patches installed by `start`, removed by `end`; one ModuleRecorder per recorded module."""

    def __init__(self, options: Options, default_name: str) -> None:
        self.options = options
        self.default_name = default_name
        self.recorders: list[ModuleRecorder] = []
        self.loaders = LoaderTracker()
        self.backward = BackwardWatcher(self._on_backward)
        self.stop_requested = False
        self.explicit_epoch: Optional[int] = None
        self.ended = False

    def start(self) -> "Session":
        global _active
        if _active is not None:
            raise RuntimeError("a recording session is already active")
        self.loaders.install()
        self.backward.install()
        _active = self
        return self

    def attach(self, module: torch.nn.Module, name: Optional[str] = None, path: Optional[str] = None) -> ModuleRecorder:
        """The recorder of `module`, attaching one the first time."""
        for recorder in self.recorders:
            if recorder.module is module:
                return recorder
        if not is_recurrent(module):
            raise TypeError(f"{type(module).__name__} is not an nn.LSTM, nn.GRU or nn.RNN")
        recorder = ModuleRecorder(self, module, len(self.recorders), name, path)
        self.recorders.append(recorder)
        return recorder

    def end(self, status: str, message: Optional[str] = None, location: Optional[dict[str, Any]] = None) -> list[tuple[ModuleRecorder, str]]:
        """Ends every run (a stop asked for through a control file makes a normal exit `stopped`) and removes the patches."""
        global _active
        if self.ended:
            return []
        self.ended = True
        if self.stop_requested and status == "finished":
            status = "stopped"
        summaries = []
        try:
            for recorder in self.recorders:
                line = recorder.end(status, message, location)
                if line is not None:
                    summaries.append((recorder, line))
        finally:
            self.backward.uninstall()
            self.loaders.uninstall()
            _active = None
        return summaries

    def _on_backward(self, loss: Optional[float], at: float) -> None:
        for recorder in self.recorders:
            recorder.on_backward(loss, at)


def print_summaries(summaries: list[tuple[ModuleRecorder, str]]) -> None:
    """One line per run on stderr, so a terminal user sees where the runs went and what they hold."""
    for recorder, line in summaries:
        where = recorder.run.path if recorder.run else "?"
        relative = os.path.relpath(where)
        where = where if relative.startswith("..") else relative
        print(f"[lstm-state-timeline] {recorder.path}: {line} — {where}", file=sys.stderr, flush=True)
