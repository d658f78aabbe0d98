"""Every kind of bad input we know of, run through the real command line.

Each case says what the user gives, the command, the exit code and a part of what the user must
see. ``python tests/test_bad_input.py`` runs every case as a real ``python -m tarjama`` process and
writes the table in ``docs/bad-input.md`` from what it observed.
"""
from __future__ import annotations

import codecs
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.cli._common import EXIT_SIGINT, EXIT_SIGTERM, INTERRUPTED_NO_CACHE, reports_errors
from tarjama.textio import write_text_atomic

ARTICLE = "قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر.\n"
SEGMENTED = "قال الرئيس إن الاجتماع كان ناجحا.\nوأضاف أن العمل سيستمر.\n\n"
ENGLISH = "The president said the meeting went well.\n"
NOISY = ("\u200fقال الرئيس\u00a0إن الاجتمـــاع كان ناجحًا جدًّا\u200c. "
         "\u202bوأضاف\u202c أن \ufefbعب\u200dين سيستمرون.\n")
HTML = "<p>قال الرئيس&nbsp;إن الاجتماع كان ناجحا.</p><br/>\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"

# The files every case can use; {marian} in a command is the tiny translation model.
FILES: dict[str, bytes] = {
    "article.txt": ARTICLE.encode("utf-8"),
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n\n",
    "photo.png": PNG,
    "report.docx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)),
    "dump.bin": bytes(range(256)) * 4,
    "terminal.log": b"\x1b[31m\x08\x08\x07\x1b[0m" * 40 + b"text",
    "article-utf8-bom.txt": codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
    "article-utf16le.txt": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
    "article-utf16be.txt": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    "article-utf16-nobom.txt": ARTICLE.encode("utf-16-le"),
    "article-cp1256.txt": ARTICLE.encode("cp1256"),
    "article-iso8859-6.txt": ARTICLE.encode("iso8859_6"),
    "english-latin1.txt": "Café owners in Zürich said the deal was done.\n".encode("latin-1"),
    "english.txt": ENGLISH.encode("utf-8"),
    "noisy.txt": NOISY.encode("utf-8"),
    "scraped.html.txt": HTML.encode("utf-8"),
    "digits.txt": "٢٠٢٠.\n".encode(),
    "hyp.en": b"one\ntwo\n",
    "hyp.en.jsonl": b'{"id": 1, "text": "one"}\n',
    "ref.en": b"one\n",
}


@dataclass(frozen=True)
class Case:
    """One bad input: what it is, the command, and what the user must see."""

    id: str
    what: str
    args: tuple[str, ...]
    exit_code: int
    expect: str
    """Part of stderr when the command fails; part of stdout when it succeeds."""
    stdin: bytes = b""


CASES = (
    Case("missing-file", "a file that does not exist", ("segment", "nope.txt"), 2,
         "nope.txt: no such file; check the path"),
    Case("folder", "a folder instead of a file", ("segment", "."), 2,
         "is a folder, expected a text file"),
    Case("empty-file", "an empty file", ("segment", "empty.txt"), 2, "empty.txt: is empty"),
    Case("whitespace-only", "a file of spaces, tabs and blank lines", ("segment", "blank.txt"), 2,
         "blank.txt: has only whitespace"),
    Case("empty-stdin", "nothing on standard input", ("segment", "-"), 2,
         "standard input: is empty"),
    Case("png", "a PNG image", ("translate", "photo.png", "--model", "{marian}"), 2,
         "photo.png: is a PNG image, not text"),
    Case("docx", "a Word document (.docx)", ("segment", "report.docx"), 2,
         "save it as plain text first"),
    Case("binary", "binary data with NUL bytes", ("segment", "dump.bin"), 2,
         "looks like binary data (it has NUL bytes)"),
    Case("control-characters", "a terminal log full of escape codes", ("segment", "terminal.log"),
         2, "looks like binary data (control characters)"),
    Case("utf8-bom", "UTF-8 with a BOM (Notepad)", ("segment", "article-utf8-bom.txt"), 0,
         SEGMENTED),
    Case("utf16le-bom", "UTF-16 LE with a BOM (Word's \"Unicode text\")",
         ("segment", "article-utf16le.txt"), 0, SEGMENTED),
    Case("utf16be-bom", "UTF-16 BE with a BOM", ("segment", "article-utf16be.txt"), 0, SEGMENTED),
    Case("utf16-no-bom", "UTF-16 LE without a BOM", ("segment", "article-utf16-nobom.txt"), 0,
         SEGMENTED),
    Case("windows-1256", "Windows-1256 (older Arabic Windows files)",
         ("segment", "article-cp1256.txt"), 0, SEGMENTED),
    Case("windows-1256-stdin", "Windows-1256 piped in", ("segment", "-"), 0, SEGMENTED,
         stdin=ARTICLE.encode("cp1256")),
    Case("iso-8859-6-option", "ISO-8859-6, named with --encoding",
         ("segment", "article-iso8859-6.txt", "--encoding", "iso-8859-6"), 0, SEGMENTED),
    Case("wrong-encoding-option", "Windows-1256 file read with --encoding utf-8",
         ("segment", "article-cp1256.txt", "--encoding", "utf-8"), 2,
         "not valid utf-8 (byte 0: 0xde); check --encoding"),
    Case("unknown-encoding", "an encoding name that does not exist",
         ("segment", "article.txt", "--encoding", "klingon"), 2, "unknown encoding 'klingon'"),
    Case("latin-1-english", "English in Latin-1 (not UTF-8, not Arabic)",
         ("segment", "english-latin1.txt"), 0, "Café owners in Zürich said the deal was done.\n"),
    Case("english-translate", "English text given to translate",
         ("translate", "english.txt", "--model", "{marian}", "--format", "jsonl"), 0,
         '"translation": "The president said the meeting went well.", "flags": ["not_arabic"]'),
    Case("digits-only", "a line of Arabic-Indic digits", ("translate", "digits.txt", "--model",
         "{marian}"), 0, "2020."),
    Case("invisible-marks", "tatweel, harakat, ZWNJ/ZWJ, RLM, RLE/PDF, NBSP, a ligature",
         ("segment", "noisy.txt"), 0, NOISY.replace(". ", ".\n") + "\n"),
    Case("html-remnants", "HTML tags and entities left by a scraper",
         ("segment", "scraped.html.txt"), 0, HTML + "\n"),
    Case("html-translate", "HTML remnants given to translate",
         ("translate", "scraped.html.txt", "--model", "{marian}"), 0, ""),
    Case("missing-model", "a model folder that does not exist",
         ("translate", "article.txt", "--model", "./no-such-model"), 2, "does not exist"),
    Case("not-a-model", "a folder that is not a model", ("translate", "article.txt", "--model",
         "."), 2, "not a model folder (no config.json)"),
    Case("misspelt-preset", "a misspelt preset", ("translate", "article.txt", "--model", "fastest"),
         2, "'fastest' is not a translation preset (presets: best, fast; did you mean 'fast'?)"),
    Case("preset-of-other-task", "a translation preset given as the summarizer",
         ("summarize", "article.txt", "--model", "{marian}", "--summarizer", "fast"), 2,
         "'fast' is a translation preset, not a summarization one"),
    Case("unknown-backend", "an unknown --backend", ("translate", "article.txt", "--model",
         "{marian}", "--backend", "onnx"), 2, "unknown backend 'onnx'"),
    Case("unknown-format", "an unknown --format", ("translate", "article.txt", "--format", "xml"),
         2, "Invalid value for '--format'"),
    Case("output-is-folder", "-o pointing at a folder", ("translate", "article.txt", "--model",
         "{marian}", "-o", "."), 2, ".: is a folder; give a file name to write to"),
    Case("eval-mismatch", "hypothesis and reference of different lengths",
         ("eval", "--hyp", "hyp.en", "--ref", "ref.en"), 2, "hyp.en has 2 lines but ref.en has 1"),
    Case("eval-empty-ref", "an empty reference file", ("eval", "--hyp", "hyp.en", "--ref",
         "empty.txt"), 2, "empty.txt: is empty"),
    Case("eval-foreign-jsonl", "a JSONL hypothesis that is not tarjama's output",
         ("eval", "--hyp", "hyp.en.jsonl", "--ref", "ref.en"), 2,
         'hyp.en.jsonl:1: not a record of a tarjama translation saved as JSON Lines'),
    Case("summarize-empty", "an empty article given to summarize",
         ("summarize", "empty.txt", "--model", "{marian}"), 2, "empty.txt: is empty"),
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, converted_tiny_models: Path) -> Path:
    """The cases' files, and a cache (``cache``) that holds the session's converted models."""
    folder = tmp_path_factory.mktemp("bad-input")
    for name, content in FILES.items():
        (folder / name).write_bytes(content)
    shutil.copytree(converted_tiny_models, folder / "cache" / converted_tiny_models.name)
    return folder


def _args(case: Case, marian: Path) -> list[str]:
    return [arg.replace("{marian}", str(marian)) for arg in case.args]


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_bad_input(case: Case, workdir: Path, request: pytest.FixtureRequest,
                   monkeypatch: pytest.MonkeyPatch):
    marian = request.getfixturevalue("tiny_models").marian if any(
        "{marian}" in arg for arg in case.args) else Path("unused")
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("TARJAMA_DEBUG", raising=False)
    monkeypatch.setenv("TARJAMA_CACHE", str(workdir / "cache"))
    result = CliRunner().invoke(app, _args(case, marian), input=case.stdin)
    assert result.exit_code == case.exit_code, result.output
    assert "Traceback" not in result.output
    if case.exit_code == 0:
        assert case.expect in result.stdout
    else:
        assert case.expect in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 6  # typer's usage box, or our one line


def test_debug_variable_shows_the_traceback(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TARJAMA_DEBUG", "1")
    result = CliRunner().invoke(app, ["segment", "empty.txt"])
    assert result.exit_code != 0
    assert "is empty" in str(result.exception)


@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, EXIT_SIGTERM),
                                          (signal.SIGINT, EXIT_SIGINT)], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_cleanly_and_keeps_no_half_file(tmp_path, capsys, monkeypatch, signum,
                                                       code):
    before = signal.getsignal(signal.SIGTERM)

    def killed_while_writing(fd: int) -> None:  # the worst moment: half the output is written
        os.kill(os.getpid(), signum)
        time.sleep(5)

    monkeypatch.setattr(os, "fsync", killed_while_writing)

    @reports_errors
    def command() -> None:
        write_text_atomic(tmp_path / "out.txt", "English.\n" * 1000)

    with pytest.raises(typer.Exit) as info:
        command()
    assert info.value.exit_code == code
    assert capsys.readouterr().err.strip() == INTERRUPTED_NO_CACHE
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is before


def _blocked_reading_stdin(pid: int) -> bool:
    """Whether the process sits in ``read(0, ...)``: the command runs and waits for its input."""
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(fields) > 1 and fields[0] == "0" and int(fields[1], 16) == 0


@pytest.mark.skipif(not Path("/proc/self/syscall").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, EXIT_SIGTERM),
                                          (signal.SIGINT, EXIT_SIGINT)], ids=["SIGTERM", "SIGINT"])
def test_a_real_process_reports_the_signal(signum, code):
    process = subprocess.Popen([sys.executable, "-m", "tarjama", "segment", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _blocked_reading_stdin(process.pid):
            assert time.monotonic() < deadline, "the command never started reading its input"
            time.sleep(0.05)
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code
    assert err.decode().strip() == INTERRUPTED_NO_CACHE


def _tarjama() -> list[str]:
    """The console script next to this Python, as a user runs it; else ``python -m tarjama``."""
    script = Path(sys.executable).with_name("tarjama")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tarjama"]


def _observe(case: Case, folder: Path, marian: Path) -> tuple[int, str, str]:
    env = {**os.environ, "COLUMNS": "200", "TARJAMA_CACHE": str(folder / "cache")}
    env.pop("TARJAMA_DEBUG", None)
    done = subprocess.run([*_tarjama(), *_args(case, marian)], cwd=folder, input=case.stdin,
                          capture_output=True, env=env, timeout=600)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def _observe_signal(signum: int) -> tuple[int, str]:
    process = subprocess.Popen([*_tarjama(), "segment", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while not _blocked_reading_stdin(process.pid):
        time.sleep(0.05)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    return process.returncode, err.decode("utf-8")


def _cell(text: str, limit: int = 240) -> str:
    text = " ".join(line.strip(" │╭╰─╮╯") for line in text.strip().split("\n")
                    if line.strip(" │╭╰─╮╯")) if "╭" in text else text.strip()
    shown = text if len(text) <= limit else text[:limit - 1] + "…"
    return "`" + shown.replace("|", "\\|").replace("`", "'").replace("\n", "⏎") + "`" if text else ""


def write_table(target: Path) -> None:
    """Run every case as a real process and write the table of what the user saw."""
    import tempfile

    from tarjama.testing import make_models

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, content in FILES.items():
            (folder / name).write_bytes(content)
        models = make_models(folder / "tiny")
        marian = models.marian.relative_to(folder)
        rows = []
        for number, case in enumerate(CASES, 1):
            code, out, err = _observe(case, folder, marian)
            seen = _cell(err) if code else " ".join(
                [f"stdout: {_cell(out, 120)}"] + ([f"stderr: {_cell(err)}"] if err.strip() else []))
            command = "tarjama " + " ".join(_args(case, marian))
            rows.append(f"| {number} | {case.what} | `{command}` | {seen} | {code} |")
            print(f"{case.id}: {code}", file=sys.stderr)
        for signum, what in ((signal.SIGINT, "Ctrl-C (SIGINT) while a command runs"),
                             (signal.SIGTERM, "`kill` (SIGTERM) while a command runs")):
            code, err = _observe_signal(signum)
            rows.append(f"| {len(rows) + 1} | {what} | `tarjama segment -` | {_cell(err)} | {code} |")
        faults = _fault_rows(folder, models.marian, models.summarizer)
    target.write_text(
        "# Bad input: what the user sees\n\n"
        "Every row was produced by running the command for real (`python tests/test_bad_input.py`"
        " regenerates this file); `tests/test_bad_input.py` checks the same cases. Errors are one "
        "line on standard error; `TARJAMA_DEBUG=1` shows the traceback instead. Exit codes: 0 "
        "success, 2 bad input or option, 130 Ctrl-C, 143 SIGTERM. `⏎` marks a line break. "
        f"`{marian}` is the tiny test model (`python -m tarjama.testing make-models tiny`): its "
        "translations are noise.\n\n"
        "| # | input | command | what the user sees | exit |\n|---|---|---|---|---|\n"
        + "\n".join(rows) + "\n\n" + FAULTS_INTRO + "\n".join(faults) + "\n"
        + _sections_written_elsewhere(target), encoding="utf-8")


def _sections_written_elsewhere(target: Path) -> str:
    """The sections of ``target`` after "Faults" (bad documents, boundaries, ...), which other
    tests' runs wrote: kept as they are."""
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    faults = old.find("\n## Faults\n")
    later = old.find("\n## ", faults + 1) if faults >= 0 else -1
    return "\n" + old[later + 1:] if later >= 0 else ""


FAULTS_INTRO = (
    "## Faults\n\n"
    "Faults made for real (`tests/fault_cases.py`; `tests/test_faults_cases.py` checks the same "
    "cases): full devices (`/dev/full`), a full disk and a read-only file system (small tmpfs "
    "mounts, made only when run as root), a translation cache damaged inside with its header "
    "intact, a damaged CTranslate2 copy in tarjama's cache (bytes changed, cut short, a file "
    "missing), damaged model folders (weights cut short, a tokenizer file missing, a config that "
    "is not JSON, an empty folder). The last column is what was checked after the run: nothing "
    "the user had is lost. A damaged CTranslate2 copy is converted again (it carries checksums "
    "recorded at conversion), with one warning line naming the file; a damaged model folder stops "
    "the command before any work, with one line naming the file and what to do, on both backends. A "
    "fault in the translation cache never stops a translation: the run goes on without the cache "
    "after one warning line. A JSONL corpus is always translated into JSONL (its records, with "
    "\"translation\" added), so `-f text` is refused for it; every input is checked before any "
    "work, and all bad lines of all inputs are reported together.\n\n"
    "| # | class | fault | command | what the user sees | exit | what was kept |\n"
    "|---|---|---|---|---|---|---|\n")


def _fault_rows(folder: Path, marian: Path, summarizer: Path) -> list[str]:
    """Run every fault case for real; one table row each."""
    from fault_cases import FAULT_CASES, Place, Unavailable, ct2_seed, run_case

    seed = ct2_seed(marian, folder / "fault-seed")
    rows = []
    for number, case in enumerate(FAULT_CASES, 1):
        place = Place(folder / "faults" / case.id, marian, summarizer, seed)
        try:
            seen, kept = run_case(case, place)
        except Unavailable as reason:
            print(f"{case.id}: not run ({reason})", file=sys.stderr)
            continue
        shown = seen.stderr.replace(str(place.folder) + "/", "").replace(str(folder) + "/", "")
        command = "tarjama " + " ".join(_shown_args(case.args, folder, marian, summarizer))
        if case.stdout:
            command += f" > {case.stdout}"
        rows.append(f"| {number} | {case.fault_class} | {case.what} | `{command}` | {_cell(shown)} | "
                    f"{seen.exit_code} | {kept} |")
        print(f"{case.id}: {seen.exit_code}", file=sys.stderr)
    return rows


def _shown_args(args: tuple[str, ...], folder: Path, marian: Path, summarizer: Path) -> list[str]:
    """The arguments as typed in ``folder``: the models by their paths relative to it."""
    return [arg.replace("{marian}", str(marian.relative_to(folder)))
            .replace("{summarizer}", str(summarizer.relative_to(folder))) for arg in args]


if __name__ == "__main__":
    write_table(Path(__file__).resolve().parents[1] / "docs" / "bad-input.md")
