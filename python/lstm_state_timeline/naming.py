"""Names a recurrent module the way the script does (`model.lstm`), found once, at its first call, from the caller's variables."""
from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any, Optional

import torch

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def module_path(module: torch.nn.Module, script: Optional[str] = None) -> Optional[str]:
    """
    `<variable>.<submodule path>` of the outermost variable (in the script's frames, outermost
    first) that holds the module or a model containing it; None when no variable does.
    """
    frames: list[FrameType] = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    candidates = [f for f in reversed(frames) if not f.f_code.co_filename.startswith(_PACKAGE_DIR)
                  and (script is None or f.f_code.co_filename == script)] or list(reversed(frames))
    for frame in candidates:
        for scope in (frame.f_globals, frame.f_locals) if frame.f_globals is not frame.f_locals else (frame.f_globals,):
            found = _path_in(scope, module)
            if found:
                return found
    return None


def _path_in(scope: dict[str, Any], module: torch.nn.Module) -> Optional[str]:
    for var, value in list(scope.items()):
        if var == "self" or var.startswith("__") or not isinstance(value, torch.nn.Module):
            continue
        if value is module:
            return var
        for sub, child in value.named_modules():
            if child is module:
                return f"{var}.{sub}"
    return None
