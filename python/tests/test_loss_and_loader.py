"""Losses from backward() and rec.log; epochs and sample indices from DataLoaders (checked against the data itself)."""
import pytest
import torch
from torch.utils.data import DataLoader, Subset, TensorDataset

from lstm_state_timeline import record
from runreader import check_against_spec, only_run

B, T = 4, 3


def marked_data(samples=12):
    """x[i] is filled with the value i, so each row of a batch says which sample it is."""
    x = torch.arange(samples, dtype=torch.float32).reshape(samples, 1, 1).expand(samples, T, 1).contiguous()
    return TensorDataset(x, torch.arange(samples))


def batches_seen(run):
    return [b["rows"] for b in run.batches]


def train_over(loader, module, epochs=1, carry=False):
    seen = []
    for _ in range(epochs):
        state = None
        for xb, index in loader:
            seen.append(index.tolist())
            out, state = module(xb, state if carry else None)
            state = tuple(s.detach() for s in state)
            out.sum().backward()
    return seen


def test_loss_is_the_scalar_backward_is_called_on(tmp_path):
    torch.manual_seed(0)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    losses = []
    with record(module, runs_dir=str(tmp_path)):
        for _ in range(3):
            out, _ = module(torch.randn(B, T, 1))
            loss = out.pow(2).mean()
            losses.append(loss.item())
            loss.backward()
        module.eval()
        with torch.no_grad():
            module(torch.randn(B, T, 1))
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [b["loss"] for b in run.batches] == losses + [None]


def test_autograd_backward_is_captured_too(tmp_path):
    module = torch.nn.GRU(1, 2)
    with record(module, runs_dir=str(tmp_path)):
        out, _ = module(torch.randn(T, B, 1))
        loss = out.sum()
        torch.autograd.backward(loss)
    assert only_run(str(tmp_path)).batches[0]["loss"] == loss.item()


def test_explicit_log_and_epochs_win(tmp_path):
    module = torch.nn.LSTM(1, 2)
    with record(module, runs_dir=str(tmp_path)) as rec:
        for epoch in range(2):
            rec.epoch(epoch)
            for _ in range(2):
                out, _ = module(torch.randn(T, B, 1))
                out.sum().backward()
                rec.log(loss=torch.tensor(0.5 + epoch))
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [(b["epoch"], b["batch"], b["loss"]) for b in run.batches] == [(0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.5), (1, 1, 1.5)]
    assert [(e["epoch"], e["meanLoss"], e["batches"]) for e in run.of("epochEnd")] == [(0, 0.5, 2), (1, 1.5, 2)]


def test_rows_are_the_sample_indices_of_a_shuffled_loader(tmp_path):
    data = marked_data()
    loader = DataLoader(data, batch_size=B, shuffle=True, generator=torch.Generator().manual_seed(3))
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)):
        seen = train_over(loader, module, epochs=2)
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert batches_seen(run) == seen
    assert [b["epoch"] for b in run.batches] == [0, 0, 0, 1, 1, 1]
    assert sorted(sum(seen[:3], [])) == list(range(12)) and seen[:3] != [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


@pytest.mark.parametrize("persistent", [False, True])
def test_rows_with_worker_processes(tmp_path, persistent):
    loader = DataLoader(marked_data(), batch_size=B, shuffle=True, num_workers=2, persistent_workers=persistent,
                        generator=torch.Generator().manual_seed(4))
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)):
        seen = train_over(loader, module, epochs=2)
    assert batches_seen(only_run(str(tmp_path))) == seen


def test_rows_index_the_dataset_under_a_subset(tmp_path):
    data = marked_data(20)
    loader = DataLoader(Subset(data, range(8, 20)), batch_size=B)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)):
        seen = train_over(loader, module)
    run = only_run(str(tmp_path))
    assert batches_seen(run) == seen == [[8, 9, 10, 11], [12, 13, 14, 15], [16, 17, 18, 19]]
    assert run.manifest["data"]["samples"] == 20 and run.manifest["batchSize"] == B and run.manifest["batchesPerEpoch"] == 3


def test_rows_are_unknown_when_the_batch_does_not_match_the_call(tmp_path):
    loader = DataLoader(marked_data(), batch_size=B)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)):
        for xb, _ in loader:
            module(xb[:2])  # the script feeds half the batch
        module(torch.randn(B, T, 1))  # after the loop: not a loader batch
    assert batches_seen(only_run(str(tmp_path))) == [None] * 4


def test_validation_batches_belong_to_the_epoch_they_follow(tmp_path):
    data = marked_data(16)
    train = DataLoader(Subset(data, range(0, 8)), batch_size=B)
    val = DataLoader(Subset(data, range(8, 16)), batch_size=B)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path)):
        for _ in range(2):
            module.train()
            train_over(train, module)
            module.eval()
            with torch.no_grad():
                for xb, _ in val:
                    module(xb)
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [(b["epoch"], b["phase"], b["batch"]) for b in run.batches] == [
        (0, "train", 0), (0, "train", 1), (0, "eval", 0), (0, "eval", 1),
        (1, "train", 0), (1, "train", 1), (1, "eval", 0), (1, "eval", 1)]
    ends = run.of("epochEnd")
    assert [(e["epoch"], e["batches"], e["validation"]["batches"], e["validation"]["meanLoss"]) for e in ends] == [(0, 2, 2, None), (1, 2, 2, None)]


def test_data_continues_needs_the_declared_stride(tmp_path):
    loader = DataLoader(marked_data(), batch_size=B)
    for stride, expected in ((None, [None, None, None]), (B, [None, True, True])):
        runs = tmp_path / str(stride)
        module = torch.nn.LSTM(1, 2, batch_first=True)
        with record(module, runs_dir=str(runs), stride=stride):
            train_over(loader, module, carry=True)
        run = only_run(str(runs))
        assert [b["dataContinues"] for b in run.batches] == expected


def test_zero_starts_say_whether_the_data_went_on(tmp_path):
    loader = DataLoader(marked_data(), batch_size=B)
    module = torch.nn.LSTM(1, 2, batch_first=True)
    with record(module, runs_dir=str(tmp_path), stride=B):
        train_over(loader, module, epochs=2, carry=False)
    run = only_run(str(tmp_path))
    # epoch 1 starts at sample 0 again: it does not continue sample 8
    assert [b["dataContinues"] for b in run.batches] == [None, True, True, False, True, True]
