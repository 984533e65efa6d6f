"""Recording must not break what scripts do with their modules: save, copy, and use them after the run."""
import copy
import io

import pytest
import torch

from lstm_state_timeline import record
from runreader import only_run


def test_a_recorded_module_can_be_saved_whole_and_deep_copied(tmp_path):
    model = torch.nn.Sequential(torch.nn.LSTM(2, 3))
    with record(model, runs_dir=str(tmp_path)):
        model(torch.randn(4, 2, 2))
        buffer = io.BytesIO()
        torch.save(model, buffer)  # pickles the hooks: they must pickle
        buffer.seek(0)
        loaded = torch.load(buffer)
        twin = copy.deepcopy(model)
        loaded(torch.randn(4, 2, 2))
        twin(torch.randn(4, 2, 2))  # copies are not recorded into the original's run
        model(torch.randn(4, 2, 2))
    assert len(only_run(str(tmp_path)).batches) == 2


def test_after_the_run_the_module_runs_unrecorded_and_backward_is_restored(tmp_path):
    module = torch.nn.LSTM(2, 3)
    original_backward = torch.Tensor.backward
    with record(module, runs_dir=str(tmp_path)):
        module(torch.randn(4, 2, 2))
        assert torch.Tensor.backward is not original_backward
    out, _ = module(torch.randn(4, 2, 2))
    out.sum().backward()
    assert torch.Tensor.backward is original_backward and torch.autograd.backward.__module__ == "torch.autograd"
    assert len(only_run(str(tmp_path)).batches) == 1 and only_run(str(tmp_path)).end()["status"] == "finished"


def test_record_refuses_a_model_without_recurrent_modules():
    with pytest.raises(TypeError, match="holds no nn.LSTM, nn.GRU or nn.RNN"):
        record(torch.nn.Linear(2, 2))


def test_sys_exit_inside_record_ends_finished_or_failed_by_its_code(tmp_path):
    for code, status in ((0, "finished"), (None, "finished"), (2, "failed")):
        runs = tmp_path / str(code)
        module = torch.nn.LSTM(2, 3)
        with pytest.raises(SystemExit):
            with record(module, runs_dir=str(runs)):
                module(torch.randn(4, 2, 2))
                raise SystemExit(code)
        assert only_run(str(runs)).end()["status"] == status
