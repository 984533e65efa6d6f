"""
The commands of one run's control file, applied at the module's forward calls: reset now,
the reset schedule, pause/resume and stop (docs/run-format.md, "Controlling a live run").
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Optional

from .control import BadLine, Command, ControlReader

if TYPE_CHECKING:
    from .session import Session

PAUSE_POLL_SECONDS = 0.05


class LiveControls:
    """Reads new commands at each call, acknowledges each in the log, and says which reset a call gets."""

    def __init__(self, path: str, write: Callable[[dict[str, Any]], None], session: "Session") -> None:
        self._reader = ControlReader(path)
        self._write = write
        self._session = session
        self._reset_requested = False
        self._paused = False
        self.schedule: Any = "never"

    def at_call(self, step: int) -> None:
        """Applies new lines; holds here while paused; raises KeyboardInterrupt once a stop was asked (in any run)."""
        self._apply(self._reader.read(), step)
        while self._paused and not self._session.stop_requested:
            time.sleep(PAUSE_POLL_SECONDS)
            self._apply(self._reader.read(), step)
        if self._session.stop_requested:
            raise KeyboardInterrupt("stopped by a stop command in control.jsonl")

    def reset_due(self, phase: str, new_epoch: bool, train_batches: int) -> Optional[str]:
        """A manual reset lands at the next call of any phase; the schedule acts on training batches after the first."""
        if self._reset_requested:
            self._reset_requested = False
            return "manual"
        if phase != "train" or train_batches == 0:
            return None
        if self.schedule == "epoch" and new_epoch:
            return "epoch"
        if isinstance(self.schedule, dict) and train_batches % self.schedule["everyBatches"] == 0:
            return "schedule"
        return None

    def _apply(self, commands: list[Any], step: int) -> None:
        for command in commands:
            if isinstance(command, BadLine):
                self._write({"t": "warning", "code": "PT100", "field": "control.jsonl", "message": command.message})
            elif isinstance(command, Command):
                self._apply_command(command, step)

    def _apply_command(self, command: Command, step: int) -> None:
        if command.type == "resetNow":
            self._reset_requested = True
        elif command.type == "setResetSchedule":
            self.schedule = command.schedule
            self._write({"t": "schedule", "schedule": command.schedule, "fromStep": step})
        elif command.type == "pause" and not self._paused:
            self._paused = True
            self._write({"t": "state", "status": "paused", "atStep": step})
        elif command.type == "resume" and self._paused:
            self._paused = False
            self._write({"t": "state", "status": "running", "atStep": step})
        elif command.type == "stop":
            self._paused = False
            self._session.stop_requested = True
