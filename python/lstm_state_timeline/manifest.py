"""The manifest of a recorder run (docs/run-format.md), built at a module's first call, when the data's shape is known."""
from __future__ import annotations

import json
import os
import platform
import socket
from datetime import datetime, timezone
from typing import Any, Optional

import numpy as np
import torch

from . import __version__
from .liveness import process_start_ticks
from .loader import LoaderBatch
from .modelinfo import describe_model, last_layer_indices
from .options import CONTROL_COMMANDS, Options
from .runfolder import FORMAT_VERSION, new_run_id


def build_manifest(module: torch.nn.RNNBase, name: str, path: Optional[str], options: Options,
                   timesteps: Optional[int], loader: Optional[LoaderBatch]) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    info = loader.loader if loader else None
    config = _read_config(options.config_path)
    script = dict(options.script) if options.script else None
    if script is not None:
        script["module"] = path
    return {
        "formatVersion": FORMAT_VERSION,
        "runId": new_run_id(name, now),
        "name": name,
        "createdAt": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "writer": {"name": "pytorch-recorder", "version": __version__},
        "backend": "pytorch",
        "versions": {"product": __version__, "python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__},
        "process": {"pid": os.getpid(), "hostname": socket.gethostname(), "startTicks": process_start_ticks()},
        "configPath": os.path.abspath(options.config_path) if options.config_path else None,
        "config": config,
        "resolved": None,
        "script": script,
        "data": {
            "samples": info.samples if info else None,
            "timesteps": timesteps,
            "features": module.input_size,
            "targets": None,
            "source": info.description if info else "tensors the script passes to the module",
            "saved": False,
        },
        "model": describe_model(module),
        "batchSize": info.batch_size if info else None,
        "batchesPerEpoch": info.batches if info else None,
        "epochs": options.epochs,
        "hiddenRows": list(options.hidden_rows),
        "hiddenLayers": last_layer_indices(module),
        "control": list(CONTROL_COMMANDS),
    }


def _read_config(path: Optional[str]) -> Any:
    """The `*.lstm.json` the run was started from, as written; None when there is none or it is not plain JSON."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return None
