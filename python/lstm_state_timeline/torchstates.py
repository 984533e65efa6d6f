"""Reads states and outputs of an nn.LSTM/GRU/RNN call as numpy arrays in the run format's shapes."""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
import torch
from torch.nn.utils.rnn import PackedSequence, pad_packed_sequence

_NUMPY_DTYPES = (torch.float16, torch.float32, torch.float64)


def state_tensors(hx: Any) -> list[torch.Tensor]:
    """`(h, c)` of an LSTM or `h` of a GRU/RNN as a list of tensors."""
    return list(hx) if isinstance(hx, (tuple, list)) else [hx]


def to_numpy(tensor: torch.Tensor, copy: bool) -> np.ndarray:
    """
    A CPU numpy array in the tensor's own dtype (bfloat16 widened to float32, exactly), shaped
    (layers·directions, rows, units); an unbatched (layers, units) state becomes one row.
    `copy` for values kept after the call (the script may change its tensors in place).
    """
    if tensor.requires_grad:  # detach only when needed: each torch call costs at every forward
        tensor = tensor.detach()
    if tensor.device.type != "cpu":
        tensor = tensor.cpu()
    if tensor.dtype not in _NUMPY_DTYPES:
        tensor = tensor.float()
    array = tensor.numpy()
    if array.ndim == 2:
        array = array[:, None, :]
    return array.copy() if copy else array


def holds_graph(tensors: Sequence[torch.Tensor]) -> bool:
    """The state passed in still belongs to an autograd graph (the missing `.detach()`)."""
    return any(t.requires_grad for t in tensors)  # a tensor with a grad_fn always requires grad


def timesteps_of(x: Any, batch_first: bool) -> Optional[int]:
    """Sequence length of the input; for a PackedSequence the longest sequence."""
    if isinstance(x, PackedSequence):
        return int(x.batch_sizes.numel())
    if isinstance(x, torch.Tensor):
        if x.dim() == 2:  # unbatched (T, features)
            return int(x.shape[0])
        if x.dim() == 3:
            return int(x.shape[1] if batch_first else x.shape[0])
    return None


def hidden_rows_block(output: Any, rows: Sequence[int], directions: int, units: int, batch_first: bool) -> np.ndarray:
    """
    The hidden sequence of `rows` for each direction of the last layer, float32 [directions, rows, T, units]:
    the hidden.bin layout (per layer of hiddenLayers, [rows, T, U]).
    """
    if isinstance(output, PackedSequence):
        output, _ = pad_packed_sequence(output, batch_first=False)
        batch_first = False
    if output.requires_grad:
        output = output.detach()
    if output.dim() == 2:  # unbatched: (T, D·U) is row 0 of a batch of one
        output = output.unsqueeze(1)
        batch_first = False
    if output.device.type != "cpu" or output.dtype not in _NUMPY_DTYPES:
        output = output.float().cpu()
    values = output.numpy()  # a view: numpy indexing below copies only the kept rows
    if batch_first:
        picked = values[list(rows)]  # (r, T, D·U)
        picked = picked.reshape(picked.shape[0], picked.shape[1], directions, units).transpose(2, 0, 1, 3)
    else:
        picked = values[:, list(rows)]  # (T, r, D·U)
        picked = picked.reshape(picked.shape[0], picked.shape[1], directions, units).transpose(2, 1, 0, 3)
    return picked.astype(np.float32, copy=False)
