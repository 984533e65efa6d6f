"""The manifest's `model` section for a torch recurrent module: one entry per layer and direction, in h0/h_n order."""
from __future__ import annotations

from typing import Any

import torch

KINDS = {"LSTM": "lstm", "GRU": "gru", "RNN_TANH": "rnn", "RNN_RELU": "rnn"}
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")


def is_recurrent(module: Any) -> bool:
    """An nn.LSTM, nn.GRU or nn.RNN (or a subclass): the modules whose state the recorder follows."""
    return isinstance(module, torch.nn.RNNBase) and getattr(module, "mode", None) in KINDS


def kind_of(module: torch.nn.RNNBase) -> str:
    return KINDS[module.mode]


def state_names(module: torch.nn.RNNBase) -> list[str]:
    """["h", "c"] for an LSTM, ["h"] for GRU and RNN: the order of states in every block."""
    return ["h", "c"] if kind_of(module) == "lstm" else ["h"]


def directions(module: torch.nn.RNNBase) -> int:
    return 2 if module.bidirectional else 1


def describe_model(module: torch.nn.RNNBase) -> dict[str, Any]:
    """Layers named `layer <l>` (`layer <l> forward` / `backward` when bidirectional), index k = l·D + d as in h0."""
    kind = kind_of(module)
    hidden = module.hidden_size
    units = getattr(module, "proj_size", 0) or hidden
    d_count = directions(module)
    layers = []
    for layer in range(module.num_layers):
        for direction in range(d_count):
            suffix = "_reverse" if direction else ""
            params = sum(getattr(module, f"{w}_l{layer}{suffix}").numel() for w in WEIGHTS if hasattr(module, f"{w}_l{layer}{suffix}"))
            name = f"layer {layer}" + ("" if d_count == 1 else " backward" if direction else " forward")
            layers.append({"name": name, "units": units, "cellUnits": hidden if kind == "lstm" else units, "params": params})
    return {
        "kind": kind,
        "states": state_names(module),
        "stateful": None,  # the script decides batch by batch; the causes say what it did
        "layers": layers,
        "head": None,
        "totalParams": sum(p.numel() for p in module.parameters()),
        "recurrentActivation": "sigmoid" if kind in ("lstm", "gru") else None,
    }


def last_layer_indices(module: torch.nn.RNNBase) -> list[int]:
    """Indices into model.layers of the last layer's directions: the layers `output` holds the hidden sequence of."""
    d_count = directions(module)
    return [(module.num_layers - 1) * d_count + d for d in range(d_count)]
