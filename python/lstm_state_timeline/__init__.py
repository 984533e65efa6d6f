"""
LSTM State Timeline recorder for PyTorch: records every nn.LSTM/GRU/RNN state of a training
script, batch by batch, into run folders the LSTM State Timeline extension and CLI read.

Two ways to record: `python3 -m lstm_state_timeline script.py [args…]` (no code change), or
`with record(model, name=…) as rec:` in the script. torch is imported only when recording.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["record", "__version__"]

if TYPE_CHECKING:
    from .record import Recording


def record(model: Any, name: Any = None, **options: Any) -> "Recording":
    """Records every recurrent module of `model` while the `with` block runs; see `lstm_state_timeline.record.record`."""
    from .record import record as _record  # imports torch: only now that the caller records

    return _record(model, name, **options)
