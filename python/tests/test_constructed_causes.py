"""Every cause and flag on constructed calls of a real nn.LSTM/GRU/RNN, checked in the saved run folder."""
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from lstm_state_timeline import record
from runreader import bits, check_against_spec, only_run

B, T, F, U = 4, 5, 3, 6


def lstm(**kwargs):
    torch.manual_seed(0)
    return torch.nn.LSTM(F, U, **kwargs)


def x(rows=B, seed=1):
    return torch.randn(T, rows, F, generator=torch.Generator().manual_seed(seed))


def detached(state):
    return tuple(s.detach() for s in state)


def recorded(tmp_path, module, body, **options):
    with record(module, name="case", runs_dir=str(tmp_path), **options) as rec:
        body(module, rec)
    run = only_run(str(tmp_path))
    check_against_spec(run)
    return run


def test_auto_when_no_state_is_given(tmp_path):
    run = recorded(tmp_path, lstm(), lambda m, rec: m(x()))
    (batch,) = run.batches
    assert batch["cause"] == "auto" and batch["carriedFrom"] is None and batch["flags"] == []
    assert not run.states(batch)["h0"].any() and not run.states(batch)["c0"].any()


def test_zeros_when_the_script_passes_zeros(tmp_path):
    run = recorded(tmp_path, lstm(), lambda m, rec: m(x(), (torch.zeros(1, B, U), torch.zeros(1, B, U))))
    assert [b["cause"] for b in run.batches] == ["zeros"]


def test_carried_detached_has_no_flags_and_holds_bitwise(tmp_path):
    def body(m, rec):
        _, state = m(x(seed=1))
        m(x(seed=2), detached(state))

    run = recorded(tmp_path, lstm(), body)
    first, second = run.batches
    assert (second["cause"], second["carriedFrom"], second["rowSources"], second["flags"]) == ("carried", 0, None, [])
    assert np.array_equal(bits(run.states(second)["h0"]), bits(run.states(first)["h"]))
    assert not run.of("warning")


def test_carried_from_an_older_call_names_that_call(tmp_path):
    def body(m, rec):
        _, kept = m(x(seed=1))
        m(x(seed=2))
        m(x(seed=3), detached(kept))

    run = recorded(tmp_path, lstm(), body)
    assert [(b["cause"], b["carriedFrom"]) for b in run.batches] == [("auto", None), ("auto", None), ("carried", 0)]


def test_permuted_records_where_each_row_comes_from(tmp_path):
    order = [2, 0, 3, 1]

    def body(m, rec):
        _, (h, c) = m(x())
        m(x(seed=2), (h.detach()[:, order], c.detach()[:, order]))

    run = recorded(tmp_path, lstm(), body)
    assert run.batches[1]["cause"] == "permuted" and run.batches[1]["rowSources"] == order


def test_partial_when_the_batch_shrinks_and_the_state_is_sliced(tmp_path):
    def body(m, rec):
        _, (h, c) = m(x())
        m(x(rows=2, seed=2), (h.detach()[:, :2].contiguous(), c.detach()[:, :2].contiguous()))

    run = recorded(tmp_path, lstm(), body)
    second = run.batches[1]
    assert (second["cause"], second["carriedFrom"], second["rowSources"], second["rowCount"]) == ("partial", 0, [0, 1], 2)


def test_partial_when_some_rows_are_reset(tmp_path):
    def body(m, rec):
        _, (h, c) = m(x())
        h, c = h.detach().clone(), c.detach().clone()
        h[:, 1], c[:, 1] = 0, 0  # row 1's sequence ended: the script zeroes it
        m(x(seed=2), (h, c))

    run = recorded(tmp_path, lstm(), body)
    assert run.batches[1]["cause"] == "partial" and run.batches[1]["rowSources"] == [0, None, 2, 3]


def test_other_for_a_learned_initial_state_without_a_graph_flag(tmp_path):
    h0 = torch.nn.Parameter(torch.randn(1, B, U))
    c0 = torch.nn.Parameter(torch.randn(1, B, U))
    run = recorded(tmp_path, lstm(), lambda m, rec: m(x(), (h0, c0)))
    assert run.batches[0]["cause"] == "other" and run.batches[0]["flags"] == []


def test_with_graph_flags_the_missing_detach_and_warns_once(tmp_path):
    def body(m, rec):
        state = None
        for seed in range(3):
            _, state = m(x(seed=seed), state)

    run = recorded(tmp_path, lstm(), body)
    assert [b["flags"] for b in run.batches] == [[], ["withGraph"], ["withGraph"]]
    (warning,) = run.of("warning")
    assert warning["code"] == "PT001" and "detach()" in warning["message"]
    assert run.records.index(warning) == run.records.index(run.batches[1]) + 1  # right after the batch that showed it


def test_from_eval_when_training_carries_the_evaluation_state(tmp_path):
    def body(m, rec):
        _, state = m(x(seed=1))
        m.eval()
        with torch.no_grad():
            _, state = m(x(seed=2), detached(state))
        m.train()
        m(x(seed=3), state)

    run = recorded(tmp_path, lstm(), body)
    assert [b["phase"] for b in run.batches] == ["train", "eval", "train"]
    assert [b["flags"] for b in run.batches] == [[], ["fromEval"], ["fromEval"]]
    assert run.of("warning")[0]["code"] == "PT002"


def test_phase_is_eval_under_no_grad_even_in_training_mode(tmp_path):
    def body(m, rec):
        with torch.no_grad():
            m(x())

    assert recorded(tmp_path, lstm(), body).batches[0]["phase"] == "eval"


def test_shuffled_data_when_carrying_through_a_random_sampler(tmp_path):
    data = TensorDataset(torch.randn(3 * B, T, F))
    loader = DataLoader(data, batch_size=B, shuffle=True, generator=torch.Generator().manual_seed(0))

    def body(m, rec):
        state = None
        for (xb,) in loader:
            _, state = m(xb, state)
            state = detached(state)

    run = recorded(tmp_path, lstm(batch_first=True), body)
    assert [b["cause"] for b in run.batches] == ["auto", "carried", "carried"]
    assert [b["flags"] for b in run.batches] == [[], ["shuffledData"], ["shuffledData"]]
    assert [b["dataContinues"] for b in run.batches[1:]] == [False, False]
    assert run.of("warning")[0]["code"] == "PT003"


@pytest.mark.parametrize("kind", [torch.nn.GRU, torch.nn.RNN])
def test_gru_and_rnn_record_h_only(tmp_path, kind):
    torch.manual_seed(0)
    module = kind(F, U, num_layers=2)

    def body(m, rec):
        _, h = m(x())
        m(x(seed=2), h.detach())

    run = recorded(tmp_path, module, body)
    assert run.manifest["model"]["states"] == ["h"] and len(run.layers) == 2
    assert [b["cause"] for b in run.batches] == ["auto", "carried"]
    assert set(run.batches[0]["meanNorms"][0]) == {"h0", "h"}


def test_bidirectional_stacked_batch_first_layers_and_hidden_sequence(tmp_path):
    module = lstm(num_layers=2, bidirectional=True, batch_first=True)
    xb = torch.randn(B, T, F)
    outputs = []

    def body(m, rec):
        out, state = m(xb)
        outputs.append(out.detach())
        m(xb, detached(state))

    run = recorded(tmp_path, module, body, hidden_rows=[0, 2])
    assert [layer["name"] for layer in run.layers] == ["layer 0 forward", "layer 0 backward", "layer 1 forward", "layer 1 backward"]
    assert run.manifest["hiddenLayers"] == [2, 3]
    first = run.batches[0]
    states = run.states(first)
    assert states["h"].shape == (4, B, U)  # h_n is (layers·directions, batch, units) even with batch_first
    hidden = run.hidden(first)
    out = outputs[0].numpy()  # (B, T, 2U): forward half then backward half
    np.testing.assert_array_equal(hidden[0], out[[0, 2], :, :U])
    np.testing.assert_array_equal(hidden[1], out[[0, 2], :, U:])
    # the last layer's final forward state is its output at the last step; the backward one at the first
    np.testing.assert_array_equal(states["h"][2], out[:, -1, :U])
    np.testing.assert_array_equal(states["h"][3], out[:, 0, U:])
    assert run.batches[1]["cause"] == "carried"


def test_proj_size_gives_h_and_c_their_own_widths(tmp_path):
    module = lstm(proj_size=2)

    def body(m, rec):
        _, state = m(x())
        m(x(seed=2), detached(state))

    run = recorded(tmp_path, module, body)
    assert (run.layers[0]["units"], run.layers[0]["cellUnits"]) == (2, U)
    states = run.states(run.batches[1])
    assert states["h0"].shape == (1, B, 2) and states["c0"].shape == (1, B, U)
    assert run.batches[1]["cause"] == "carried"


def test_unbatched_input_is_one_row(tmp_path):
    def body(m, rec):
        _, state = m(torch.randn(T, F))
        m(torch.randn(T, F), detached(state))

    run = recorded(tmp_path, lstm(), body)
    assert [b["rowCount"] for b in run.batches] == [1, 1]
    assert [b["cause"] for b in run.batches] == ["auto", "carried"]


def test_float64_module_is_saved_as_float32_and_compared_in_float64(tmp_path):
    module = lstm().double()

    def body(m, rec):
        _, state = m(x().double())
        m(x(seed=2).double(), detached(state))

    run = recorded(tmp_path, module, body)
    assert [b["cause"] for b in run.batches] == ["auto", "carried"]


def test_non_finite_states_and_losses_are_strings(tmp_path):
    def body(m, rec):
        h = torch.full((1, B, U), float("nan"))
        m(x(), (h, torch.zeros(1, B, U)))
        rec.log(loss=float("inf"))

    run = recorded(tmp_path, lstm(), body)
    batch = run.batches[0]
    assert batch["cause"] == "other" and batch["meanNorms"][0]["h0"] == "NaN" and batch["loss"] == "Infinity"


def test_a_nan_state_carried_is_still_carried(tmp_path):
    def body(m, rec):
        _, state = m(x(), (torch.full((1, B, U), float("nan")), torch.zeros(1, B, U)))
        m(x(seed=2), detached(state))

    run = recorded(tmp_path, lstm(), body)
    assert run.batches[1]["cause"] == "carried"


def test_in_place_changes_after_the_call_do_not_alter_what_was_recorded(tmp_path):
    def body(m, rec):
        _, (h, c) = m(x())
        h, c = h.detach(), c.detach()
        final = h.clone()
        h.zero_()  # the script reuses its buffers
        m(x(seed=2), (final, c))

    run = recorded(tmp_path, lstm(), body)
    assert run.batches[1]["cause"] == "carried"


def test_a_state_passed_by_keyword_is_seen_and_reset(tmp_path):
    module = lstm()
    with record(module, name="case", runs_dir=str(tmp_path)) as rec:
        _, state = module(x())
        _, state = module(x(seed=2), hx=detached(state))
        with open(f"{rec.run_dirs[0]}/control.jsonl", "a") as f:
            f.write('{"type":"resetNow"}\n')
        out, _ = module(x(seed=3), hx=detached(state))
    zero_out, _ = module(x(seed=3))
    assert torch.equal(out, zero_out)  # the keyword state was replaced by zeros
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert [b["cause"] for b in run.batches] == ["auto", "carried", "manual"]


def test_packed_sequences_record_rows_in_the_callers_order(tmp_path):
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    module = lstm()
    padded = torch.randn(T, B, F)
    lengths = torch.tensor([2, 5, 3, 4])
    outputs = []

    def body(m, rec):
        out, state = m(pack_padded_sequence(padded, lengths, enforce_sorted=False))
        outputs.append(pad_packed_sequence(out)[0].detach())
        m(pack_padded_sequence(padded, lengths, enforce_sorted=False), detached(state))

    run = recorded(tmp_path, module, body, hidden_rows=[0, 1])
    first, second = run.batches
    assert (first["timesteps"], second["cause"]) == (T, "carried")
    hidden = run.hidden(first)[0]  # rows 0 and 1 as the caller numbers them, padded with zeros
    np.testing.assert_array_equal(hidden, outputs[0].numpy()[:, :2].transpose(1, 0, 2))
    np.testing.assert_array_equal(run.states(first)["h"][0, 1], outputs[0].numpy()[4, 1])  # row 1's last real step
