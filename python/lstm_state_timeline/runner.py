"""
The zero-code runner: every nn.LSTM/GRU/RNN the script creates gets recorded, then the script
runs as `__main__` with its own argv. The run ends `finished` on a normal exit, `stopped` on a
stop command (or Ctrl-C, or SIGTERM), `failed` on an exception, with its message and the
script's file and line.
"""
from __future__ import annotations

import functools
import os
import runpy
import signal
import sys
import threading
import traceback
from types import TracebackType
from typing import Any, Callable, Optional

import torch

from .location import failure_location, failure_message
from .modelinfo import is_recurrent
from .options import Options
from .session import Session, print_summaries


def patch_constructors(session: Session) -> Callable[[], None]:
    """Makes nn.LSTM/GRU/RNN (and subclasses) attach themselves to `session` when built; returns the undo."""
    saved = []
    for cls in (torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN):
        original = cls.__dict__["__init__"]
        cls.__init__ = _attaching_init(original, session)  # type: ignore[method-assign]
        saved.append((cls, original))

    def restore() -> None:
        for cls, original in saved:
            cls.__init__ = original  # type: ignore[method-assign]

    return restore


def _attaching_init(original: Callable[..., None], session: Session) -> Callable[..., None]:
    @functools.wraps(original)
    def __init__(self: torch.nn.Module, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if not session.ended and is_recurrent(self):
            session.attach(self)

    return __init__


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the KeyboardInterrupt a stop is, so the run ends `stopped` with its records flushed."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated("terminated by SIGTERM")


def run_script(script: str, args: list[str], options: Options) -> int:
    """Runs `script` under recording; returns the process exit code (the script's own on sys.exit)."""
    script = os.path.abspath(script)
    options.script = {"path": script, "argv": [script, *args], "cwd": os.getcwd()}
    session = Session(options, default_name=os.path.splitext(os.path.basename(script))[0]).start()
    restore = patch_constructors(session)
    saved_argv, saved_path0 = sys.argv, sys.path[0]
    sys.argv, sys.path[0] = [script, *args], os.path.dirname(script)
    in_main_thread = threading.current_thread() is threading.main_thread()
    saved_sigterm = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
    status, message, location, code = "finished", None, None, 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exit_:
        code, status, message, location = _exit_status(exit_, script)
    except KeyboardInterrupt as error:
        status, message = "stopped", failure_message(error)
        code = 143 if isinstance(error, _Terminated) else 0 if session.stop_requested else 130
    except BaseException as error:  # the script's own exception: report it as Python would, then record it
        tb = _from_script(error.__traceback__, script)
        traceback.print_exception(type(error), error, tb)
        status, message, location, code = "failed", failure_message(error), failure_location(error.__traceback__, script), 1
    finally:
        restore()
        sys.argv, sys.path[0] = saved_argv, saved_path0
        if in_main_thread:
            signal.signal(signal.SIGTERM, saved_sigterm)
        print_summaries(session.end(status, message, location))
    return code


def _exit_status(exit_: SystemExit, script: str) -> tuple[int, str, Optional[str], Optional[dict[str, Any]]]:
    """sys.exit(0)/sys.exit() finish the run; any other code fails it (a string is printed, exit code 1, as Python does)."""
    if exit_.code is None or exit_.code == 0:
        return 0, "finished", None, None
    if isinstance(exit_.code, int):
        return exit_.code, "failed", f"SystemExit: {exit_.code}", failure_location(exit_.__traceback__, script)
    print(exit_.code, file=sys.stderr)
    return 1, "failed", f"SystemExit: {exit_.code}", failure_location(exit_.__traceback__, script)


def _from_script(tb: Optional[TracebackType], script: str) -> Optional[TracebackType]:
    """The traceback from the script's first frame on: the runner's frames are not the user's business."""
    start = tb
    while start is not None and os.path.abspath(start.tb_frame.f_code.co_filename) != script:
        start = start.tb_next
    return start or tb
