"""Each example in examples/pytorch/ recorded without code changes: the causes, flags and claims it must show."""
import os

from conftest import EXAMPLES
from runreader import causes, check_against_spec, flag_counts, only_run, run_recorder


def recorded(tmp_path, example, *options):
    result = run_recorder(["--runs-dir", str(tmp_path), *options, os.path.join(EXAMPLES, example)], cwd=EXAMPLES)
    assert result.returncode == 0, result.stderr
    run = only_run(str(tmp_path))
    check_against_spec(run)
    assert run.end()["status"] == "finished"
    assert run.manifest["name"] == f"{example[:-3]}-model.lstm" and run.manifest["script"]["module"] == "model.lstm"
    return run


def continues(run):
    return [b["dataContinues"] for b in run.batches]


def test_tbptt_correct(tmp_path):
    run = recorded(tmp_path, "tbptt_correct.py", "--stride", "200")
    assert causes(run) == {"auto": 15, "carried": 60} and flag_counts(run) == {}
    assert run.manifest["batchSize"] == 200 and run.manifest["batchesPerEpoch"] == 5 and run.manifest["data"]["samples"] == 1000
    assert [b["epoch"] for b in run.batches] == [e for e in range(15) for _ in range(5)]
    assert continues(run) == [None] + ([True] * 4 + [False]) * 14 + [True] * 4
    assert all(isinstance(b["loss"], float) for b in run.batches) and len(run.of("epochEnd")) == 15


def test_missing_detach(tmp_path):
    run = recorded(tmp_path, "missing_detach.py")
    assert causes(run) == {"auto": 6, "carried": 24} and flag_counts(run) == {"withGraph": 24}
    assert [w["code"] for w in run.of("warning")] == ["PT001"]


def test_shuffled_carry(tmp_path):
    run = recorded(tmp_path, "shuffled_carry.py", "--stride", "200")
    assert causes(run) == {"auto": 8, "carried": 32} and flag_counts(run) == {"shuffledData": 32}
    assert continues(run) == [None] + [False] * 39
    assert [w["code"] for w in run.of("warning")] == ["PT003"]


def test_validation_carry(tmp_path):
    run = recorded(tmp_path, "validation_carry.py", "--stride", "200")
    assert causes(run) == {"auto": 1, "carried": 39} and flag_counts(run) == {"fromEval": 15}
    assert [b["phase"] for b in run.batches[:10]] == ["train"] * 4 + ["eval"] + ["train"] * 4 + ["eval"]
    assert [b["epoch"] for b in run.batches[:10]] == [0] * 5 + [1] * 5
    assert [b["rows"][0] for b in run.batches[:6]] == [0, 200, 400, 600, 800, 0]
    # validation continues the streams (800 follows 600); the next epoch's start (0) does not follow 800
    assert continues(run)[:6] == [None, True, True, True, True, False]
    assert all(e["validation"]["batches"] == 1 for e in run.of("epochEnd"))


def test_reinit_every_batch(tmp_path):
    run = recorded(tmp_path, "reinit_every_batch.py", "--stride", "200")
    assert causes(run) == {"zeros": 40} and flag_counts(run) == {}
    assert continues(run) == [None] + ([True] * 4 + [False]) * 7 + [True] * 4


def test_small_last_batch(tmp_path):
    run = recorded(tmp_path, "small_last_batch.py", "--stride", "300")
    assert causes(run) == {"auto": 8, "carried": 16, "partial": 8} and flag_counts(run) == {}
    partial = [b for b in run.batches if b["cause"] == "partial"]
    assert all(b["rowCount"] == 100 and b["rowSources"] == list(range(100)) and b["dataContinues"] is True for b in partial)
    assert [b["rowCount"] for b in run.batches[:4]] == [300, 300, 300, 100]
