"""Class 7 of issue 30: paths and special files say what is true. A file or device given as a
model folder, paths the system refuses (too long, a loop of links) wherever a command takes a
path, ``-o -``, a named pipe with no writer, and the interrupt line of a command with no cache."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.cli._common import INTERRUPTED_NO_CACHE

ARTICLE = "قال الرئيس إن الاجتماع كان ناجحا.\n"
TOO_LONG_NAME = "x" * 5000
TOO_LONG_PATH = "/".join(["y" * 200] * 30)


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "hyp.en").write_text("one\n", encoding="utf-8")
    os.symlink("loop", tmp_path / "loop")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TARJAMA_DEBUG", raising=False)
    return tmp_path


def _commands(bad: str) -> list[list[str]]:
    """Every place a command takes a path, each given ``bad``."""
    return [["segment", bad], ["translate", bad, "--model", "{marian}"],
            ["translate", "a.txt", "--model", bad], ["summarize", bad, "--model", "{marian}"],
            ["summarize", "a.txt", "--model", "{marian}", "--summarizer", bad],
            ["eval", "--hyp", bad, "--ref", "hyp.en"], ["eval", "--hyp", "hyp.en", "--ref", bad],
            ["eval", "--set", bad, "--hyp", "hyp.en"]]


@pytest.mark.parametrize("bad", [TOO_LONG_NAME, TOO_LONG_PATH, "loop"],
                         ids=["name-too-long", "path-too-long", "loop-of-links"])
@pytest.mark.parametrize("where", range(8))
def test_a_path_the_system_refuses_is_one_line(workdir, tiny_models, bad, where):
    args = [arg.replace("{marian}", str(tiny_models.marian)) for arg in _commands(bad)[where]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    if bad != "loop":
        assert "too long" in line and len(line) < 400, line


@pytest.mark.parametrize(("model", "kind"), [("/etc/passwd", "a file"), ("/dev/null", "a special file"),
                                             ("a.txt", "a file")])
def test_a_file_given_as_the_model_is_called_a_file(workdir, model, kind):
    result = CliRunner().invoke(app, ["translate", "a.txt", "--model", model])
    assert result.exit_code == 2
    assert f"error: {model}: is {kind}, not a model folder; point --model PATH at a folder" in \
        " ".join(result.stderr.split())


@pytest.mark.parametrize("command", [["translate", "a.txt", "--model", "{marian}", "-o", "-"],
                                     ["summarize", "a.txt", "--model", "{marian}",
                                      "--summarizer", "{summarizer}", "-o", "-"]],
                         ids=["translate", "summarize"])
def test_dash_as_output_is_standard_output(workdir, tiny_models, command):
    args = [arg.replace("{marian}", str(tiny_models.marian))
            .replace("{summarizer}", str(tiny_models.summarizer)) for arg in command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert not (workdir / "-").exists()
    assert "wrote -" not in result.stderr


def _tarjama() -> list[str]:
    return [sys.executable, "-m", "tarjama"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_with_no_writer_says_once_that_it_waits(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    process = subprocess.Popen([*_tarjama(), "segment", str(pipe)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        os.set_blocking(process.stderr.fileno(), False)
        said = b""
        deadline = time.monotonic() + 60
        while b"waiting for data" not in said:
            assert time.monotonic() < deadline and process.poll() is None, said
            said += process.stderr.read() or b""
            time.sleep(0.05)
        with open(pipe, "w", encoding="utf-8") as writer:
            writer.write(ARTICLE)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    said += err
    assert process.returncode == 0
    assert out.decode().strip() == ARTICLE.strip()
    assert said.decode().count("waiting for data") == 1
    assert f"warning: {pipe}: is a named pipe that no program writes to yet" in said.decode()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_interrupted_eval_does_not_speak_of_a_cache(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "ref.en").write_text("one\n", encoding="utf-8")
    process = subprocess.Popen([*_tarjama(), "eval", "--hyp", str(pipe), "--ref",
                                str(tmp_path / "ref.en")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        os.set_blocking(process.stderr.fileno(), False)
        said = b""
        deadline = time.monotonic() + 60
        while b"waiting for data" not in said:
            assert time.monotonic() < deadline and process.poll() is None, said
            said += process.stderr.read() or b""
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.decode().strip().splitlines()[-1] == INTERRUPTED_NO_CACHE
    assert "cache" not in err.decode()
