"""Outputs that are not regular files, and write errors: devices and pipes are written through as
streams, never replaced by a file; a write error is one line and exit 2, never success."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.errors import OutputError
from tarjama.textio import write_text_atomic

DEV_FULL = "/dev/full"
needs_dev_full = pytest.mark.skipif(not os.path.exists(DEV_FULL), reason="needs /dev/full")


@needs_dev_full
def test_fault_write_to_a_full_device_is_an_error():
    with pytest.raises(OutputError) as info:
        write_text_atomic(DEV_FULL, "English.\n")
    assert (info.value.path, info.value.cause) == (DEV_FULL, "No space left on device")
    assert stat.S_ISCHR(os.stat(DEV_FULL).st_mode)


def test_fault_named_pipe_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_text_atomic(fifo, "English.\n")
    reader.join(timeout=30)
    assert received == [b"English.\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_fault_link_to_a_file_stays_a_link(tmp_path):
    (tmp_path / "real.txt").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_text_atomic(tmp_path / "link.txt", "new\n")
    assert os.readlink(tmp_path / "link.txt") == "real.txt"
    assert (tmp_path / "real.txt").read_text(encoding="utf-8") == "new\n"


@needs_dev_full
@pytest.mark.parametrize("args", [["segment", "-"], ["eval", "--hyp", "h.en", "--ref", "h.en"]],
                         ids=["fault-segment", "fault-eval-table"])
def test_fault_stdout_on_a_full_device(args, tmp_path):
    (tmp_path / "h.en").write_text("one\n", encoding="utf-8")
    with open(DEV_FULL, "wb") as full:
        done = subprocess.run([sys.executable, "-m", "tarjama", *args], cwd=tmp_path, stdout=full,
                              stderr=subprocess.PIPE, input="قال الرئيس. وأضاف.\n".encode(),
                              env={k: v for k, v in os.environ.items() if k != "TARJAMA_DEBUG"},
                              timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip() == ("error: standard output: cannot write it (No space "
                                             "left on device); free some space, or write somewhere else")


@needs_dev_full
def test_fault_summarize_output_on_a_full_device(tiny_models, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("The minister said the talks went well. They will go on.\n",
                                    encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", "a.txt", "--summarizer",
                                      str(tiny_models.summarizer), "--model", str(tiny_models.marian),
                                      "-o", DEV_FULL])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().endswith("/dev/full: cannot write it (No space left on device); "
                                          "free some space, or write somewhere else")
    assert stat.S_ISCHR(os.stat(DEV_FULL).st_mode)
