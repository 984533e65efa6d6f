"""Where a script failed: the file and line in the user's code, not in torch or in this package."""
from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from types import TracebackType
from typing import Any, Optional

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _library_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    dirs = {paths.get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return [os.path.abspath(d) for d in dirs if d]


def failure_location(tb: Optional[TracebackType], script: Optional[str] = None) -> Optional[dict[str, Any]]:
    """
    `{file, line}` of the innermost frame in `script` when given; else the innermost frame outside
    this package and outside the Python and site-packages libraries; else the innermost frame.
    """
    frames = traceback.extract_tb(tb) if tb is not None else []
    if not frames:
        return None
    if script:
        wanted = os.path.realpath(script)
        for frame in reversed(frames):
            if os.path.realpath(frame.filename) == wanted:
                return {"file": os.path.abspath(frame.filename), "line": frame.lineno}
    libraries = _library_dirs()
    for frame in reversed(frames):
        path = os.path.abspath(frame.filename)
        if path.startswith(_PACKAGE_DIR) or frame.filename.startswith("<") or any(path.startswith(d + os.sep) for d in libraries):
            continue
        return {"file": path, "line": frame.lineno}
    last = frames[-1]
    return {"file": os.path.abspath(last.filename), "line": last.lineno}


def failure_message(error: BaseException) -> str:
    """`RuntimeError: Trying to backward through the graph a second time …` — as Python's last traceback line says it."""
    return "".join(traceback.format_exception_only(type(error), error)).strip()
