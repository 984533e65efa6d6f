"""Commands appended to control.jsonl: picked up at the next forward call, acknowledged in the log."""
import json
import os
import threading
import time

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from lstm_state_timeline import record
from runreader import check_against_spec, only_run

B, T = 3, 4


def send(run_dir, *commands):
    with open(os.path.join(run_dir, "control.jsonl"), "a") as f:
        for command in commands:
            f.write((command if isinstance(command, str) else json.dumps(command)) + "\n")


def carry(module, state, seed):
    out, state = module(torch.randn(T, B, 1, generator=torch.Generator().manual_seed(seed)), state)
    return out, tuple(s.detach() for s in state)


def test_reset_now_zeroes_the_state_passed_at_the_next_call(tmp_path):
    torch.manual_seed(0)
    module = torch.nn.LSTM(1, 2)
    with record(module, runs_dir=str(tmp_path)) as rec:
        _, state = carry(module, None, 1)
        send(rec.run_dirs[0], {"type": "resetNow"})
        out_reset, state = carry(module, state, 2)
        _, state = carry(module, state, 3)
    out_zero, _ = module(torch.randn(T, B, 1, generator=torch.Generator().manual_seed(2)))
    np.testing.assert_array_equal(out_reset.detach().numpy(), out_zero.detach().numpy())  # the script's state was replaced
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [b["cause"] for b in run.batches] == ["auto", "manual", "carried"]
    (reset,) = run.of("reset")
    assert (reset["cause"], reset["beforeStep"], reset["epoch"], reset["batch"]) == ("manual", 1, 0, 1)
    assert run.records.index(reset) < run.records.index(run.batches[1])


def test_reset_now_with_no_state_passed_is_still_acknowledged(tmp_path):
    module = torch.nn.GRU(1, 2)
    with record(module, runs_dir=str(tmp_path)) as rec:
        module(torch.randn(T, B, 1))
        send(rec.run_dirs[0], {"type": "resetNow"})
        module(torch.randn(T, B, 1))
    run = only_run(str(tmp_path))
    assert [b["cause"] for b in run.batches] == ["auto", "manual"] and len(run.of("reset")) == 1


def test_schedule_every_batches_and_epoch(tmp_path):
    data = TensorDataset(torch.randn(4 * B, T, 1))
    loader = DataLoader(data, batch_size=B)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)) as rec:
        state = None
        for epoch in range(3):
            if epoch == 1:
                send(rec.run_dirs[0], {"type": "setResetSchedule", "schedule": {"everyBatches": 3}})
            if epoch == 2:
                send(rec.run_dirs[0], {"type": "setResetSchedule", "schedule": "epoch"})
            for (xb,) in loader:
                _, state = module(xb, state)
                state = tuple(s.detach() for s in state)
    run = only_run(str(tmp_path))
    check_against_spec(run)
    # epoch 0 carries throughout; from step 4 every third training batch (train batch count 6, 9) is zeroed;
    # from step 8 the first batch of each new epoch would be — epoch 2 starts at step 8 itself.
    assert [b["cause"] for b in run.batches] == (["auto"] + ["carried"] * 3 + ["carried", "carried", "schedule", "carried"]
                                                 + ["epoch", "carried", "carried", "carried"])
    assert [(s["schedule"], s["fromStep"]) for s in run.of("schedule")] == [({"everyBatches": 3}, 4), ("epoch", 8)]
    assert [(r["cause"], r["beforeStep"], r["epoch"], r["batch"]) for r in run.of("reset")] == [("schedule", 6, 1, 2), ("epoch", 8, 2, 0)]


def test_pause_holds_the_script_until_resume(tmp_path):
    module = torch.nn.LSTM(1, 2)
    with record(module, runs_dir=str(tmp_path)) as rec:
        module(torch.randn(T, B, 1))
        send(rec.run_dirs[0], {"type": "pause"})
        threading.Timer(0.8, send, (rec.run_dirs[0], {"type": "resume"})).start()
        started = time.perf_counter()
        module(torch.randn(T, B, 1))
        held = time.perf_counter() - started
    assert held >= 0.7
    run = only_run(str(tmp_path))
    assert [(s["status"], s["atStep"]) for s in run.of("state")] == [("paused", 1), ("running", 1)]
    assert run.records.index(run.of("state")[1]) < run.records.index(run.batches[1])


def test_stop_raises_keyboard_interrupt_at_the_next_call_and_ends_stopped(tmp_path):
    module = torch.nn.LSTM(1, 2)
    calls = 0
    with pytest.raises(KeyboardInterrupt):
        with record(module, runs_dir=str(tmp_path)) as rec:
            for _ in range(5):
                module(torch.randn(T, B, 1))
                calls += 1
                if calls == 2:
                    send(rec.run_dirs[0], {"type": "stop"})
    assert calls == 2
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert len(run.batches) == 2 and run.end()["status"] == "stopped"


def test_stop_while_paused_ends_the_pause(tmp_path):
    module = torch.nn.LSTM(1, 2)
    with pytest.raises(KeyboardInterrupt):
        with record(module, runs_dir=str(tmp_path)) as rec:
            module(torch.randn(T, B, 1))
            send(rec.run_dirs[0], {"type": "pause"})
            threading.Timer(0.3, send, (rec.run_dirs[0], {"type": "stop"})).start()
            module(torch.randn(T, B, 1))
    assert only_run(str(tmp_path)).end()["status"] == "stopped"


def test_bad_lines_are_warnings_and_a_half_written_line_waits(tmp_path):
    module = torch.nn.LSTM(1, 2)
    with record(module, runs_dir=str(tmp_path)) as rec:
        _, state = carry(module, None, 1)
        send(rec.run_dirs[0], "not json", {"type": "jump"}, {"type": "setResetSchedule", "schedule": {"everyBatches": 0}})
        with open(os.path.join(rec.run_dirs[0], "control.jsonl"), "a") as f:
            f.write('{"type": "reset')  # the host is still writing this line
        _, state = carry(module, state, 2)
        with open(os.path.join(rec.run_dirs[0], "control.jsonl"), "a") as f:
            f.write('Now"}\n')
        _, state = carry(module, state, 3)
    run = only_run(str(tmp_path))
    warnings = run.of("warning")
    assert [w["code"] for w in warnings] == ["PT100"] * 3
    assert "line 1" in warnings[0]["message"] and "everyBatches" in warnings[2]["message"]
    assert [b["cause"] for b in run.batches] == ["auto", "carried", "manual"]
