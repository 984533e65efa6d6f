"""The pure cause inference (numpy only): preferences, bitwise rules, candidates; and control-line parsing."""
import numpy as np
import pytest

from lstm_state_timeline.causes import Final, data_continues, infer_cause
from lstm_state_timeline.control import parse_command, parse_schedule

rng = np.random.default_rng(0)


def state(rows=4, layers=2, units=3, dtype=np.float32):
    return [rng.normal(size=(layers, rows, units)).astype(dtype) for _ in range(2)]


def test_zeros_of_either_sign_are_zeros():
    zeros = [np.zeros((1, 2, 3), np.float32), -np.zeros((1, 2, 3), np.float32)]
    assert infer_cause(zeros, []).cause == "zeros"


def test_carried_prefers_the_most_recent_equal_final():
    s = state()
    inference = infer_cause([a.copy() for a in s], [Final(5, "train", s), Final(3, "train", [a.copy() for a in s])])
    assert (inference.cause, inference.carried_from) == ("carried", 5)


def test_carried_needs_every_state_and_layer():
    s = state()
    h_only_equal = [s[0].copy(), s[1] + 1]
    assert infer_cause(h_only_equal, [Final(0, "train", s)]).cause == "other"


def test_bitwise_not_numeric_equality():
    s = state()
    s[0][0, 0, 0] = 0.0
    signed = [a.copy() for a in s]
    signed[0][0, 0, 0] = -0.0  # numerically equal, bitwise different
    inference = infer_cause(signed, [Final(0, "train", s)])
    assert inference.cause == "partial" and inference.row_sources == [None, 1, 2, 3]


def test_a_different_dtype_never_matches():
    s = state()
    assert infer_cause([a.astype(np.float64) for a in s], [Final(0, "train", s)]).cause == "other"


def test_full_permutation_beats_a_more_recent_partial_match():
    old, new = state(), state()
    permuted = [a[:, [3, 2, 1, 0]].copy() for a in old]
    new = [n.copy() for n in new]
    for n, p in zip(new, permuted):
        n[:, 0] = p[:, 0]  # the newer final shares one row
    inference = infer_cause(permuted, [Final(9, "train", new), Final(4, "train", old)])
    assert (inference.cause, inference.carried_from, inference.row_sources) == ("permuted", 4, [3, 2, 1, 0])


def test_partial_picks_the_final_with_most_matching_rows():
    a, b = state(rows=5), state(rows=5)
    initial = [np.concatenate([x[:, :1], y[:, 1:3]], axis=1) for x, y in zip(a, b)]  # 1 row of a, 2 of b
    inference = infer_cause(initial, [Final(2, "train", a), Final(1, "eval", b)])
    assert (inference.cause, inference.carried_from, inference.row_sources) == ("partial", 1, [None, 1, 2])


def test_zero_rows_never_count_as_continuing():
    s = state()
    s = [a.copy() for a in s]
    for a in s:
        a[:, 2] = 0
    initial = [np.zeros_like(a) for a in s]
    initial[0][:, 0] = s[0][:, 0]
    initial[1][:, 0] = s[1][:, 0]
    assert infer_cause(initial, [Final(0, "train", s)]).row_sources == [0, None, None, None]


def test_data_continues_with_and_without_row_sources():
    assert data_continues([4, 5], [0, 1], None, 4) is True
    assert data_continues([4, 6], [0, 1], None, 4) is False
    assert data_continues([4, 5], [0, 1], None, None) is None
    assert data_continues([5, 4], [0, 1], [1, 0], 4) is True
    assert data_continues([5, 9], [0, 1], [1, None], 4) is True
    assert data_continues([5], [0, 1], [None], 4) is None


def test_control_lines():
    assert parse_command('{"type":"resetNow"}').type == "resetNow"
    assert parse_command('{"type":"setResetSchedule","schedule":{"everyBatches":4}}').schedule == {"everyBatches": 4}
    assert parse_schedule("epoch") == "epoch"
    for bad, words in (("[]", "type"), ('{"type":"reset"}', "resetNow"), ("{", "not JSON"),
                       ('{"type":"setResetSchedule","schedule":{"everyBatches":true}}', "everyBatches")):
        with pytest.raises(ValueError, match=words):
            parse_command(bad)
