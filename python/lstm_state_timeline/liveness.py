"""What lets a reader tell a live writer from a dead one: the process start time and a heartbeat file."""
from __future__ import annotations

import os
import threading
from datetime import datetime, timezone
from typing import Optional

HEARTBEAT_SECONDS = 2.0  # the spec asks for ≤ 5 s; readers call a writer dead after 15 s


def utc_now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds and a Z, as the Node writer prints it."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def process_start_ticks(pid: Optional[int] = None) -> Optional[int]:
    """Field 22 of /proc/<pid>/stat (start time in clock ticks), so a reused pid is not taken for the writer; None off Linux."""
    try:
        with open(f"/proc/{pid or os.getpid()}/stat", "rb") as stat:
            text = stat.read().decode("ascii", "replace")
    except OSError:
        return None
    # Field 2 (the command name) is in parentheses and may itself hold spaces or ')': split after the last one.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[22 - 3])


class Heartbeat:
    """A daemon thread that rewrites `<runDir>/heartbeat` (atomically) every HEARTBEAT_SECONDS until stopped."""

    def __init__(self, path: str, period: float = HEARTBEAT_SECONDS) -> None:
        self._path = path
        self._period = period
        self._stopped = threading.Event()
        self._beat()
        self._thread = threading.Thread(target=self._run, name="lstm-state-timeline-heartbeat", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        tmp = self._path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as file:
            file.write(utc_now_iso())
        os.replace(tmp, self._path)

    def _run(self) -> None:
        while not self._stopped.wait(self._period):
            try:
                self._beat()
            except OSError:
                pass  # a full or removed disk must not kill the training; readers fall back to startTicks

    def stop(self) -> None:
        """Stops beating (the writer is ending: its end record says so)."""
        self._stopped.set()
        self._thread.join(timeout=self._period + 1)
