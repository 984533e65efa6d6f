"""
Reads the commands a host appends to `<runDir>/control.jsonl` (spec: "Controlling a live run").

The reader keeps its byte offset and only ever reads what was appended since; a line counts
once it ends in a newline, so a command being written while we read is picked up next time.
A stat per forward call is the whole cost while nothing is appended.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Union

COMMANDS = ["resetNow", "setResetSchedule", "pause", "resume", "stop"]

Schedule = Union[str, dict]  # "never" | "epoch" | {"everyBatches": N}


@dataclass
class Command:
    """One command from the control file; `schedule` only for setResetSchedule."""
    type: str
    schedule: Any = None


@dataclass
class BadLine:
    """A control line that is not a command we understand: reported as a warning, never fatal."""
    line: int
    message: str


def parse_schedule(value: Any) -> Schedule:
    """Validates a reset schedule; raises ValueError naming what is wrong."""
    if value in ("never", "epoch"):
        return value
    if isinstance(value, dict) and set(value) == {"everyBatches"}:
        n = value["everyBatches"]
        if isinstance(n, int) and not isinstance(n, bool) and n >= 1:
            return {"everyBatches": n}
    raise ValueError(f'schedule must be "never", "epoch" or {{"everyBatches": N}} with N ≥ 1, not {json.dumps(value)}')


def parse_command(text: str) -> Command:
    """One JSON line → Command; raises ValueError saying what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from None
    if not isinstance(value, dict) or value.get("type") not in COMMANDS:
        raise ValueError(f"expected an object whose type is one of {', '.join(COMMANDS)}")
    if value["type"] == "setResetSchedule":
        return Command("setResetSchedule", parse_schedule(value.get("schedule")))
    return Command(value["type"])


class ControlReader:
    """Yields the commands appended to one control file since the last read."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._offset = 0
        self._lines = 0

    def read(self) -> list[Union[Command, BadLine]]:
        """The complete new lines, parsed; empty when the file is absent or unchanged."""
        try:
            if os.stat(self._path).st_size <= self._offset:
                return []
            with open(self._path, "rb") as file:
                file.seek(self._offset)
                chunk = file.read()
        except FileNotFoundError:
            return []
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        self._offset += end + 1
        result: list[Union[Command, BadLine]] = []
        for raw in chunk[: end + 1].splitlines():
            self._lines += 1
            text = raw.decode("utf-8", "replace").strip()
            if not text:
                continue
            try:
                result.append(parse_command(text))
            except ValueError as error:
                result.append(BadLine(self._lines, f"control.jsonl line {self._lines} is ignored: {error}"))
        return result
