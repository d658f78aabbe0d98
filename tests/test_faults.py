"""Faults: an output that would be written over an input is refused before any work.

The models named here do not exist: the clash must be found before a model is loaded, so the
error is about the clash, not the model.
"""
import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tarjama.cli import app

ARTICLE = "قال الرئيس إن الاجتماع كان ناجحا.\n\nجملة أخيرة.\n"
NO_MODEL = ["--model", "/nonexistent"]
NO_SUMMARIZER = [*NO_MODEL, "--summarizer", "/nonexistent"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _symlink(folder: Path) -> str:
    (folder / "link.txt").symlink_to("a.txt")
    return "link.txt"


def _hard_link(folder: Path) -> str:
    os.link(folder / "a.txt", folder / "hard.txt")
    return "hard.txt"


# Each case: the arguments (given the folder, cwd) after the command's name.
SINGLE = {
    "same-path": lambda d: ["a.txt", "-o", "a.txt"],
    "dot-slash": lambda d: ["./a.txt", "-o", "a.txt"],
    "absolute": lambda d: ["a.txt", "-o", str(d / "a.txt")],
    "other-spelling": lambda d: [str(d / "sub" / ".." / "a.txt"), "-o", "a.txt"],
    "symlink": lambda d: ["a.txt", "-o", _symlink(d)],
    "symlinked-input": lambda d: [_symlink(d), "-o", "a.txt"],
    "hard-link": lambda d: ["a.txt", "-o", _hard_link(d)],
}
SEVERAL = {
    # x.txt is translated to out/x.en.txt, which is also an input.
    "planned-output-is-input": lambda d: ["x.txt", "out/x.en.txt", "-o", "out"],
    "planned-output-is-input-same-folder": lambda d: ["x.txt", "x.en.txt", "-o", "."],
    "folder-into-itself": lambda d: [".", "-o", "."],
}


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "out").mkdir()
    for name in ("a.txt", "x.txt", "x.en.txt", "out/x.en.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _assert_refused(result, folder: Path, before: dict[Path, str]) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "error:" in lines[0] and "would be overwritten" in lines[0], lines[0]
    assert "choose another -o" in lines[0]
    assert result.stdout == ""
    after = {path: _sha256(path) for path in before}
    assert after == before
    assert not [p for p in folder.rglob("*.tmp")]


def _hashes(folder: Path) -> dict[Path, str]:
    return {path: _sha256(path) for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("make_args", [*SINGLE.values(), *SEVERAL.values()],
                         ids=[f"fault-{name}" for name in [*SINGLE, *SEVERAL]])
def test_translate_fault_output_over_input_refused(folder, make_args):
    args = make_args(folder)
    before = _hashes(folder)
    result = CliRunner().invoke(app, ["translate", *args, *NO_MODEL])
    _assert_refused(result, folder, before)


@pytest.mark.parametrize("make_args", list(SINGLE.values()),
                         ids=[f"fault-{name}" for name in SINGLE])
def test_summarize_fault_output_over_input_refused(folder, make_args):
    args = make_args(folder)
    before = _hashes(folder)
    result = CliRunner().invoke(app, ["summarize", *args, *NO_SUMMARIZER])
    _assert_refused(result, folder, before)


@pytest.mark.parametrize("command,models", [("translate", NO_MODEL), ("summarize", NO_SUMMARIZER)],
                         ids=["fault-translate", "fault-summarize"])
def test_fault_check_comes_before_the_model(folder, command, models):
    """Without a clash the same command gets as far as the (missing) model: the clash check above
    really ran first."""
    result = CliRunner().invoke(app, [command, "a.txt", "-o", "elsewhere.txt", *models])
    assert result.exit_code != 0
    assert "would be overwritten" not in result.stderr
    assert "/nonexistent" in result.stderr
    assert not (folder / "elsewhere.txt").exists()
