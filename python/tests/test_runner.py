"""The zero-code runner: scripts that fail, exit, get stopped or get killed; its command line."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

from runreader import PYTHON_DIR, Run, check_against_spec, only_run, run_recorder, runs_in

LOOP = """\
import sys, time
import torch
torch.manual_seed(0)
lstm = torch.nn.LSTM(1, 4)
state = None
for step in range({steps}):
    out, state = lstm(torch.randn(5, 3, 1), state)
    state = tuple(s.detach() for s in state)
    out.sum().backward()
    time.sleep({sleep})
"""


def script(tmp_path, text, name="train.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_an_exception_ends_the_run_failed_with_the_scripts_file_and_line(tmp_path):
    path = script(tmp_path, LOOP.format(steps=3, sleep=0) + "raise ValueError('the data ran out')\n")
    result = run_recorder([path], cwd=str(tmp_path))
    assert result.returncode == 1
    assert "ValueError: the data ran out" in result.stderr and "lstm_state_timeline" not in result.stderr.split("Traceback")[1]
    run = only_run(str(tmp_path / ".lstm-runs"))
    check_against_spec(run)
    end = run.end()
    assert (end["status"], end["message"], end["location"]) == ("failed", "ValueError: the data ran out", {"file": path, "line": 11})
    assert len(run.batches) == 3 and run.manifest["script"]["module"] == "lstm"


def test_an_error_inside_torch_points_at_the_scripts_line(tmp_path):
    path = script(tmp_path, """\
        import torch
        lstm = torch.nn.LSTM(1, 4)
        state = None
        for step in range(3):
            out, state = lstm(torch.randn(5, 3, 1), state)
            out.sum().backward()
        """)
    result = run_recorder([path], cwd=str(tmp_path))
    assert result.returncode == 1
    run = only_run(str(tmp_path / ".lstm-runs"))
    check_against_spec(run)
    end = run.end()
    assert end["status"] == "failed" and "backward through the graph a second time" in end["message"]
    assert end["location"] == {"file": path, "line": 6}
    assert [b["flags"] for b in run.batches] == [[], ["withGraph"]]
    assert isinstance(run.batches[1]["loss"], float)  # the batch keeps its loss although backward raised


def test_sys_exit_codes(tmp_path):
    ok = script(tmp_path, LOOP.format(steps=1, sleep=0) + "import sys; sys.exit(0)\n", "ok.py")
    bad = script(tmp_path, LOOP.format(steps=1, sleep=0) + "import sys; sys.exit(3)\n", "bad.py")
    assert run_recorder(["--runs-dir", "ok", ok], cwd=str(tmp_path)).returncode == 0
    assert run_recorder(["--runs-dir", "bad", bad], cwd=str(tmp_path)).returncode == 3
    assert only_run(str(tmp_path / "ok")).end()["status"] == "finished"
    end = only_run(str(tmp_path / "bad")).end()
    assert (end["status"], end["message"], end["location"]["line"]) == ("failed", "SystemExit: 3", 11)


def test_the_script_gets_its_argv_name_and_folder(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 7\n")
    path = script(tmp_path, """\
        import sys, torch
        from helper import VALUE
        assert __name__ == "__main__" and VALUE == 7
        print(sys.argv)
        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = torch.nn.GRU(1, 2)
                self.decoder = torch.nn.LSTM(2, 2)
        net = Net()
        out, _ = net.encoder(torch.randn(4, 2, 1))
        net.decoder(out)
        """)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_recorder(["--name", "exp", path, "--lr", "0.1", "x"], cwd=str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([path, "--lr", "0.1", "x"])
    runs = runs_in(str(elsewhere / ".lstm-runs"))  # the runs go to the working directory, not the script's
    assert sorted(r.manifest["name"] for r in runs) == ["exp-net.decoder", "exp-net.encoder"]
    assert {r.manifest["model"]["kind"] for r in runs} == {"gru", "lstm"}


def wait_for_batches(runs_dir, count, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        runs = runs_in(str(runs_dir))
        if runs and len(runs[0].batches) >= count:
            return runs[0].path
        time.sleep(0.05)
    raise AssertionError(f"no run with {count} batches in {runs_dir} after {timeout} s")


def test_sigkill_leaves_every_logged_batch_readable_and_no_end(tmp_path):
    path = script(tmp_path, LOOP.format(steps=100000, sleep=0.001))
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR}
    for delay in (0.0, 0.13, 0.37):  # after a few batches, at different moments of a batch
        runs_dir = tmp_path / f"kill{delay}"
        proc = subprocess.Popen([sys.executable, "-m", "lstm_state_timeline", "--runs-dir", str(runs_dir), path],
                                cwd=str(tmp_path), env=env, stderr=subprocess.DEVNULL)
        wait_for_batches(runs_dir, 6)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        run = only_run(str(runs_dir))
        check_against_spec(run)  # every complete line's bytes are on disk, every claim holds
        assert len(run.batches) > 5 and run.end() is None
        assert run.manifest["process"]["pid"] == proc.pid and not os.path.exists(f"/proc/{proc.pid}/stat")


def test_a_stop_command_ends_the_script_stopped_with_exit_code_0(tmp_path):
    path = script(tmp_path, LOOP.format(steps=100000, sleep=0.005))
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR}
    proc = subprocess.Popen([sys.executable, "-m", "lstm_state_timeline", path], cwd=str(tmp_path), env=env,
                            stderr=subprocess.PIPE, text=True)
    run_dir = wait_for_batches(tmp_path / ".lstm-runs", 1)
    with open(os.path.join(run_dir, "control.jsonl"), "a") as f:
        f.write(json.dumps({"type": "stop"}) + "\n")
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    run = Run(run_dir)
    check_against_spec(run)
    assert run.end()["status"] == "stopped" and "KeyboardInterrupt" in run.end()["message"]


def test_sigterm_ends_the_run_stopped(tmp_path):
    path = script(tmp_path, LOOP.format(steps=100000, sleep=0.005))
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR}
    proc = subprocess.Popen([sys.executable, "-m", "lstm_state_timeline", path], cwd=str(tmp_path), env=env, stderr=subprocess.DEVNULL)
    wait_for_batches(tmp_path / ".lstm-runs", 1)
    proc.terminate()
    assert proc.wait(timeout=60) == 143
    assert only_run(str(tmp_path / ".lstm-runs")).end()["status"] == "stopped"


def test_a_missing_script_and_a_missing_torch_are_clear_errors(tmp_path):
    missing = run_recorder(["nope.py"], cwd=str(tmp_path))
    assert missing.returncode == 2 and "script not found: nope.py" in missing.stderr
    path = script(tmp_path, "print('never runs')\n")
    no_torch = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['torch'] = None\n"
         "from lstm_state_timeline.__main__ import main; sys.exit(main(sys.argv[1:]))", path],
        env={**os.environ, "PYTHONPATH": PYTHON_DIR}, capture_output=True, text=True)
    assert no_torch.returncode == 3 and "torch is not installed" in no_torch.stderr and "python3-torch" in no_torch.stderr


def test_importing_the_package_does_not_import_torch():
    result = subprocess.run([sys.executable, "-c", "import sys, lstm_state_timeline; print('torch' in sys.modules)"],
                            env={**os.environ, "PYTHONPATH": PYTHON_DIR}, capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
