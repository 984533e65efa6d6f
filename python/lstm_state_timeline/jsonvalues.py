"""JSON encoding of numbers as the run format wants them: a non-finite number is a string, never null or 0."""
from __future__ import annotations

import json
import math
from typing import Any, Optional


def json_number(value: Optional[float]) -> Any:
    """A float as written in the run format: finite as is, NaN/±Infinity as "NaN"/"Infinity"/"-Infinity", None as null."""
    if value is None:
        return None
    value = float(value)
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def dumps_line(record: dict) -> bytes:
    """One log line. `allow_nan=False` makes a forgotten json_number fail loudly instead of writing invalid JSON."""
    return (json.dumps(record, allow_nan=False, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
