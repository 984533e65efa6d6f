"""
Writes one run folder in the format of docs/run-format.md (version 2).

Binary payloads are appended before the log line that points at them, and every append is a
plain write(2) on an O_APPEND descriptor (no user-space buffer), so a writer killed at any moment
— even by SIGKILL — leaves every complete log line with its bytes on disk.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from typing import Any, Optional

import numpy as np

from .jsonvalues import dumps_line
from .liveness import Heartbeat

FORMAT_VERSION = 2
FILES = {"manifest": "manifest.json", "log": "log.jsonl", "norms": "norms.bin", "states": "states.bin",
         "hidden": "hidden.bin", "control": "control.jsonl", "heartbeat": "heartbeat"}


def new_run_id(name: str, now: Optional[datetime] = None) -> str:
    """`YYYYMMDD-HHMMSS-mmm-<name>`: UTC start time first so folders sort by start; the name made path-safe, ≤ 64 chars."""
    now = now or datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}"
    return f"{stamp}-{safe_name(name)}"


def safe_name(name: str) -> str:
    """Every character outside [A-Za-z0-9._-] replaced by `_`, at most 64 characters."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:64] or "run"


class AppendFile:
    """An append-only file whose current length is the offset of the next write."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.length = os.fstat(self._fd).st_size

    def append(self, data: Any) -> int:
        """Writes all bytes of a bytes-like object (looping over short writes); returns the offset they start at."""
        offset = self.length
        view = memoryview(data).cast("B")
        size = len(view)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.length += size
        return offset

    def close(self) -> None:
        os.close(self._fd)


class RunFolder:
    """One run folder: created with its manifest, then appended to batch by batch until `close`."""

    def __init__(self, runs_dir: str, manifest: dict[str, Any]) -> None:
        """Creates `<runs_dir>/<runId>/`, writes the manifest atomically and starts the heartbeat."""
        os.makedirs(runs_dir, exist_ok=True)
        run_id = manifest["runId"]
        path = os.path.join(runs_dir, run_id)
        suffix = 1
        while os.path.exists(path):  # two modules named alike in the same millisecond
            suffix += 1
            run_id = f"{manifest['runId']}-{suffix}"
            path = os.path.join(runs_dir, run_id)
        os.makedirs(path)
        manifest = {**manifest, "runId": run_id}
        self.path = os.path.abspath(path)
        self.manifest = manifest
        tmp = os.path.join(path, FILES["manifest"] + ".tmp")
        with open(tmp, "w", encoding="utf-8") as file:
            json.dump(manifest, file, indent=2, allow_nan=False, ensure_ascii=False)
        os.replace(tmp, os.path.join(path, FILES["manifest"]))
        self._log = AppendFile(self.file("log"))
        self._norms = AppendFile(self.file("norms"))
        self._states = AppendFile(self.file("states"))
        self._hidden = AppendFile(self.file("hidden"))
        self._heartbeat = Heartbeat(self.file("heartbeat"))
        self.closed = False

    def file(self, kind: str) -> str:
        """Absolute path of one of the run's files (`log`, `norms`, `control`, …)."""
        return os.path.join(self.path, FILES[kind])

    def append_norms(self, values: np.ndarray) -> int:
        return self._norms.append(_float32_bytes(values))

    def append_states(self, values: np.ndarray) -> int:
        return self._states.append(_float32_bytes(values))

    def append_hidden(self, values: np.ndarray) -> int:
        return self._hidden.append(_float32_bytes(values))

    def record(self, record: dict[str, Any]) -> None:
        """Appends one log line (after any binaries it points at)."""
        self._log.append(dumps_line(record))

    def close(self) -> None:
        """Stops the heartbeat and closes the files; the end record must already be written."""
        if self.closed:
            return
        self.closed = True
        self._heartbeat.stop()
        for file in (self._log, self._norms, self._states, self._hidden):
            file.close()


def _float32_bytes(values: np.ndarray) -> np.ndarray:
    """Contiguous little-endian float32, as every binary of the format holds (written as is: no bytes copy)."""
    return np.ascontiguousarray(values, dtype="<f4")
