"""The run folder against docs/run-format.md: manifest, liveness, offsets, the tensor budget, non-finite numbers."""
import json
import os
import re
import socket
import time
from datetime import datetime, timezone

import numpy as np
import torch

from lstm_state_timeline import record
from lstm_state_timeline.jsonvalues import json_number
from lstm_state_timeline.runfolder import new_run_id, safe_name
from runreader import check_against_spec, only_run


def carried_run(tmp_path, calls=4, **options):
    torch.manual_seed(0)
    module = torch.nn.LSTM(2, 3, num_layers=2)
    with record(module, name="spec run", runs_dir=str(tmp_path), **options):
        state = None
        for step in range(calls):
            out, state = module(torch.randn(7, 5, 2), state)
            state = tuple(s.detach() for s in state)
            out.pow(2).mean().backward()
    return only_run(str(tmp_path))


def test_manifest_describes_the_module_and_the_process(tmp_path):
    run = carried_run(tmp_path)
    check_against_spec(run)
    m = run.manifest
    assert m["name"] == "spec run" and m["runId"].endswith("-spec_run")
    assert datetime.strptime(m["runId"][:19], "%Y%m%d-%H%M%S-%f") is not None
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", m["createdAt"])
    assert m["process"]["pid"] == os.getpid() and m["process"]["hostname"] == socket.gethostname()
    with open("/proc/self/stat") as f:
        stat = f.read()
    assert m["process"]["startTicks"] == int(re.search(r"\) (.*)", stat).group(1).split()[22 - 3])  # fields from 3 on
    assert m["model"]["layers"] == [
        {"name": "layer 0", "units": 3, "cellUnits": 3, "params": 4 * 3 * (2 + 3) + 2 * 4 * 3},
        {"name": "layer 1", "units": 3, "cellUnits": 3, "params": 4 * 3 * (3 + 3) + 2 * 4 * 3},
    ]
    assert m["model"]["totalParams"] == sum(layer["params"] for layer in m["model"]["layers"])
    assert m["data"]["timesteps"] == 7 and m["data"]["features"] == 2 and m["data"]["saved"] is False
    assert m["hiddenRows"] == [0] and m["hiddenLayers"] == [1]
    assert m["script"]["path"] is None or os.path.isabs(m["script"]["path"])


def test_every_batch_is_checkable_and_the_run_ends_finished(tmp_path):
    run = carried_run(tmp_path, calls=5)
    check_against_spec(run)
    assert [b["cause"] for b in run.batches] == ["auto"] + ["carried"] * 4
    assert [b["carriedFrom"] for b in run.batches] == [None, 0, 1, 2, 3]
    assert run.end()["status"] == "finished" and run.end()["step"] == 5
    assert [r["t"] for r in run.records[-2:]] == ["epochEnd", "end"]


def test_the_tensor_budget_keeps_a_prefix_and_norms_for_every_batch(tmp_path):
    per_batch = 4 * 2 * 4 * 5 * 3  # float32 × layers × (h0, c0, h, c) × rows × units
    run = carried_run(tmp_path, calls=5, budget_bytes=2 * per_batch + 1)
    check_against_spec(run)
    assert [b["statesOffset"] for b in run.batches] == [0, per_batch, None, None, None]
    assert all(b["normsOffset"] is not None for b in run.batches)
    assert os.path.getsize(os.path.join(run.path, "states.bin")) == 2 * per_batch


def test_heartbeat_is_a_recent_utc_time(tmp_path):
    carried_run(tmp_path)
    run = only_run(str(tmp_path))
    with open(os.path.join(run.path, "heartbeat")) as f:
        beat = datetime.strptime(f.read(), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - beat).total_seconds()) < 60


def test_heartbeat_is_rewritten_while_the_run_lives(tmp_path):
    module = torch.nn.GRU(2, 3)
    with record(module, runs_dir=str(tmp_path)) as rec:
        module(torch.randn(4, 2, 2))
        path = os.path.join(rec.run_dirs[0], "heartbeat")
        first = os.stat(path).st_mtime_ns
        deadline = time.time() + 8
        while os.stat(path).st_mtime_ns == first and time.time() < deadline:
            time.sleep(0.2)
        assert os.stat(path).st_mtime_ns != first


def test_hidden_rows_beyond_the_batch_are_left_out(tmp_path):
    module = torch.nn.LSTM(2, 3)
    with record(module, runs_dir=str(tmp_path), hidden_rows=[1, 4]):
        out, _ = module(torch.randn(6, 3, 2))
    run = only_run(str(tmp_path))
    check_against_spec(run)
    np.testing.assert_array_equal(run.hidden(run.batches[0])[0], out.detach().numpy()[:, [1]].transpose(1, 0, 2))


def test_run_ids_sort_by_time_and_are_path_safe():
    at = datetime(2026, 11, 30, 16, 35, 22, 123456, tzinfo=timezone.utc)
    assert new_run_id("model.lstm/ä b", at) == "20261130-163522-123-model.lstm___b"
    assert len(safe_name("x" * 100)) == 64


def test_json_numbers_are_never_null_for_non_finite_values():
    assert [json_number(v) for v in (1.5, float("nan"), float("inf"), -float("inf"), None)] == [1.5, "NaN", "Infinity", "-Infinity", None]
    assert json.loads(json.dumps(json_number(np.float32(2.5)))) == 2.5
