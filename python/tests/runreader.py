"""
An independent reader of run folders, written from docs/run-format.md alone (it imports nothing
of the recorder), so the tests check the writer against the spec rather than against itself.
"""
from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys

import numpy as np

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_ID = re.compile(r"^\d{8}-\d{6}-\d{3}-[A-Za-z0-9._-]{1,64}(-\d+)?$")


class Run:
    def __init__(self, path: str) -> None:
        self.path = path
        with open(os.path.join(path, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        with open(os.path.join(path, "log.jsonl"), "rb") as f:
            text = f.read().decode("utf-8")
        complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
        self.records = [json.loads(line) for line in complete.splitlines() if line]
        self.batches = [r for r in self.records if r["t"] == "batch"]
        self.states_names = self.manifest["model"]["states"]
        self.layers = self.manifest["model"]["layers"]

    def of(self, kind: str) -> list[dict]:
        return [r for r in self.records if r["t"] == kind]

    def end(self):
        ends = self.of("end")
        return ends[-1] if ends else None

    def _read(self, name: str, offset: int, count: int) -> np.ndarray:
        with open(os.path.join(self.path, name), "rb") as f:
            f.seek(offset)
            data = f.read(count * 4)
        assert len(data) == count * 4, f"{name}: {count * 4} bytes at {offset} not all on disk"
        return np.frombuffer(data, dtype="<f4")

    def widths(self) -> list[list[int]]:
        """Per layer, the width of each state in `states` order (h: units, c: cellUnits)."""
        return [[layer["units"] if s == "h" else layer["cellUnits"] for s in self.states_names] for layer in self.layers]

    def states(self, batch: dict) -> dict[str, np.ndarray]:
        """{'h0': (layers, R, U), 'c0': …, 'h': …, 'c': …} from states.bin."""
        rows = batch["rowCount"]
        widths = self.widths()
        count = sum(2 * rows * w for layer in widths for w in layer)
        flat = self._read("states.bin", batch["statesOffset"], count)
        names = [f"{s}0" for s in self.states_names] + self.states_names
        out: dict[str, list[np.ndarray]] = {n: [] for n in names}
        at = 0
        for layer in widths:
            for name, width in zip(names, layer + layer):
                out[name].append(flat[at : at + rows * width].reshape(rows, width))
                at += rows * width
        return {n: np.stack(v) for n, v in out.items()}

    def norms(self, batch: dict) -> dict[str, np.ndarray]:
        rows = batch["rowCount"]
        names = [f"{s}0" for s in self.states_names] + self.states_names
        flat = self._read("norms.bin", batch["normsOffset"], len(self.layers) * len(names) * rows)
        block = flat.reshape(len(self.layers), len(names), rows)
        return {n: block[:, i] for i, n in enumerate(names)}

    def hidden(self, batch: dict) -> np.ndarray:
        """(len(hiddenLayers), kept rows, T, U)."""
        kept = [r for r in self.manifest["hiddenRows"] if r < batch["rowCount"]]
        t = batch.get("timesteps") or self.manifest["data"]["timesteps"]
        units = [self.layers[i]["units"] for i in self.manifest["hiddenLayers"]]
        flat = self._read("hidden.bin", batch["hiddenOffset"], sum(len(kept) * t * u for u in units))
        return flat.reshape(len(units), len(kept), t, units[0])


def runs_in(runs_dir: str) -> list[Run]:
    return [Run(os.path.dirname(m)) for m in sorted(glob.glob(os.path.join(runs_dir, "*", "manifest.json")))]


def only_run(runs_dir: str) -> Run:
    runs = runs_in(runs_dir)
    assert len(runs) == 1, [r.path for r in runs]
    return runs[0]


def bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype="<f4").view("<u4")


def causes(run: Run) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in run.batches:
        counts[b["cause"]] = counts.get(b["cause"], 0) + 1
    return counts


def flag_counts(run: Run) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in run.batches:
        for flag in b["flags"]:
            counts[flag] = counts.get(flag, 0) + 1
    return counts


def run_recorder(args: list[str], cwd: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """`/usr/bin/python3 -m lstm_state_timeline ARGS` with the source tree on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR}
    return subprocess.run([sys.executable, "-m", "lstm_state_timeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


ZERO_CAUSES = {"auto", "first", "epoch", "schedule", "manual", "zeros"}
CAUSES = ZERO_CAUSES | {"carried", "restored", "permuted", "partial", "other"}
MANIFEST_KEYS = {"formatVersion", "runId", "name", "createdAt", "writer", "backend", "versions", "process", "configPath",
                 "config", "resolved", "script", "data", "model", "batchSize", "batchesPerEpoch", "epochs",
                 "hiddenRows", "hiddenLayers", "control"}


def _as_float(value):
    return {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}.get(value, value)


def check_against_spec(run: Run) -> None:
    """Every rule of docs/run-format.md a reader can check from the files, on every record of the run."""
    m = run.manifest
    assert MANIFEST_KEYS <= set(m), MANIFEST_KEYS - set(m)
    assert m["formatVersion"] == 2
    assert m["runId"] == os.path.basename(run.path) and RUN_ID.match(m["runId"]), m["runId"]
    assert m["writer"]["name"] == "pytorch-recorder" and m["backend"] == "pytorch"
    assert isinstance(m["process"]["pid"], int) and isinstance(m["process"]["hostname"], str)
    assert m["model"]["kind"] in ("lstm", "gru", "rnn")
    assert m["model"]["states"] == (["h", "c"] if m["model"]["kind"] == "lstm" else ["h"])
    assert all(0 <= i < len(run.layers) for i in m["hiddenLayers"])
    assert set(m["control"]) == {"resetNow", "setResetSchedule", "pause", "resume", "stop"}
    assert not os.path.exists(os.path.join(run.path, "manifest.json.tmp"))
    with open(os.path.join(run.path, "log.jsonl"), "rb") as f:
        raw = f.read()
    assert raw == b"" or raw.endswith(b"\n") or run.end() is None  # only a killed writer leaves a torn line
    sizes = {n: os.path.getsize(os.path.join(run.path, n)) for n in ("norms.bin", "states.bin", "hidden.bin")}
    assert [b["step"] for b in run.batches] == list(range(len(run.batches)))
    by_step = {b["step"]: b for b in run.batches}
    captured_prefix = True
    for b in run.batches:
        rows = b["rowCount"]
        assert b["phase"] in ("train", "validate", "predict", "eval")
        assert b["rows"] is None or len(b["rows"]) == rows
        assert b["cause"] in CAUSES
        assert isinstance(b["flags"], list) and set(b["flags"]) <= {"withGraph", "fromEval", "shuffledData"}
        assert b["dataContinues"] in (True, False, None)
        assert b["loss"] is None or isinstance(b["loss"], float) or b["loss"] in ("NaN", "Infinity", "-Infinity")
        for key, name in (("normsOffset", "norms.bin"), ("statesOffset", "states.bin"), ("hiddenOffset", "hidden.bin")):
            offset = b[key]
            if offset is not None:
                assert isinstance(offset, int) and offset >= 0 and offset % 4 == 0, (key, offset)
                assert offset < sizes[name], (key, offset, sizes[name])
        if b["statesOffset"] is None:
            captured_prefix = False
        else:
            assert captured_prefix, f"step {b['step']} captured after an uncaptured batch"
        norms = run.norms(b)
        for layer, means in enumerate(b["meanNorms"]):
            for name, value in means.items():
                expected = float(np.mean(norms[name][layer].astype(np.float64))) if rows else 0.0
                np.testing.assert_allclose(_as_float(value), expected, rtol=1e-5, atol=1e-7)
        if b["carriedFrom"] is None:
            assert b["rowSources"] is None and b["flags"] == []
        if b["statesOffset"] is None:
            continue
        states = run.states(b)
        for name in norms:
            np.testing.assert_allclose(norms[name], np.linalg.norm(states[name].astype(np.float64), axis=-1), rtol=1e-6, atol=1e-7)
        initial = [states[f"{s}0"] for s in run.states_names]
        if b["cause"] in ZERO_CAUSES:
            assert all(not np.any(a) for a in initial), f"step {b['step']}: cause {b['cause']} but h0 is not zero"
            continue
        if b["cause"] == "other":
            assert any(np.any(a) for a in initial)
            continue
        source = by_step[b["carriedFrom"]]
        assert source["step"] < b["step"]
        if source["statesOffset"] is None:
            continue
        final = [run.states(source)[s] for s in run.states_names]
        if b["cause"] in ("carried", "restored"):
            assert b["rowSources"] is None
            for a, f in zip(initial, final):
                assert a.shape == f.shape and np.array_equal(bits(a), bits(f)), f"step {b['step']} is not bitwise step {source['step']}"
        else:
            sources = b["rowSources"]
            assert len(sources) == rows and any(s is not None for s in sources)
            if b["cause"] == "permuted":
                assert None not in sources and rows == source["rowCount"]
            for i, s in enumerate(sources):
                if s is not None:
                    for a, f in zip(initial, final):
                        assert np.array_equal(bits(a[:, i]), bits(f[:, s])), f"step {b['step']} row {i} is not row {s} of step {source['step']}"
    for reset in run.of("reset"):
        if reset["beforeStep"] in by_step:
            assert by_step[reset["beforeStep"]]["cause"] == reset["cause"]
    ends = run.of("end")
    assert len(ends) <= 1
    if ends:
        assert run.records[-1]["t"] == "end" and ends[0]["status"] in ("finished", "stopped", "failed")
