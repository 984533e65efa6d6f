"""Shared by the examples: sine streams laid out for a stateful LSTM, and a small LSTM regressor."""
import math

import numpy as np
import torch
from torch import nn


def continuous_sine(samples=1000, timesteps=20, streams=200, seed=0):
    """
    X (samples, timesteps, 1) and y (samples, 1): sample k·streams + i is segment k of stream i,
    so sample i + streams continues sample i — the layout a carried state needs when the batch
    size equals `streams` and batches are not shuffled. y is the value right after the window.
    """
    rng = np.random.default_rng(seed)
    segments = math.ceil(samples / streams)
    x = np.zeros((samples, timesteps, 1), np.float32)
    y = np.zeros((samples, 1), np.float32)
    for stream in range(streams):
        amplitude, period, phase = rng.uniform(0.5, 1.5), rng.uniform(8, 40), rng.uniform(0, 2 * math.pi)
        t = np.arange(segments * timesteps + 1)
        series = amplitude * np.sin(2 * math.pi / period * t + phase) + 0.05 * rng.normal(size=t.size)
        for k in range(segments):
            sample = k * streams + stream
            if sample < samples:
                x[sample, :, 0] = series[k * timesteps:(k + 1) * timesteps]
                y[sample, 0] = series[(k + 1) * timesteps]
    return torch.from_numpy(x), torch.from_numpy(y)


class SineModel(nn.Module):
    """An LSTM over the window and a linear head on its last output; the state is the caller's."""

    def __init__(self, units=16):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=units, batch_first=True)
        self.head = nn.Linear(units, 1)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)
        return self.head(out[:, -1]), state
