"""How the CLI reports on its work (issue 11): progress and a spinner on a terminal only, one closing
line on stderr, nothing of it on stdout; choices and an example in ``--help``; eval labels and
signatures. The real ``tarjama`` runs in a subprocess, its stderr a pseudo-terminal or a pipe."""
from __future__ import annotations

import json
import logging
import os
import pty
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tarjama.cli import EXAMPLES, app
from tarjama.cli._common import show_library_warnings
from tarjama.cli.reporting import report_run
from tarjama.env import CLOSING_LINE_AFTER

runner = CliRunner()
# The tiny model translates fast; repeating the sentences makes the run long enough for a bar
# (at least PROGRESS_MIN_ITEMS sentences) and gives known repeats.
SENTENCES = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر غدا.",
             "ارتفعت الأسعار في الأسواق المحلية.", "أعلنت الوزارة عن خطة جديدة للتعليم."]
REPEATS = 10
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("\n".join(SENTENCES * REPEATS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def translator(tiny_models):
    """The tiny model's translator, which also converts it for CTranslate2 in the session's cache."""
    from tarjama.translation import Translator

    return Translator(str(tiny_models.marian), guard="off")


def _env(cache: Path, *, converted: bool = False, **extra: str) -> dict[str, str]:
    """The environment of a run with its own cache folder, holding the session's converted models
    when ``converted`` (a conversion takes long on a busy machine)."""
    if converted:
        shutil.copytree(Path(os.environ["TARJAMA_CACHE"]) / "ct2", cache / "ct2")
    return {**os.environ, "TARJAMA_CACHE": str(cache), "COLUMNS": "200", "TERM": "xterm-256color",
            **extra}


def run_cli(args: list[str], env: dict[str, str], *, terminal: bool) -> tuple[bytes, str, int]:
    """Run ``tarjama ARGS``; stdout is a pipe, stderr a pseudo-terminal when ``terminal``.
    Returns stdout's bytes, stderr's text without escape codes, and the exit code."""
    command = [sys.executable, "-m", "tarjama", *args]
    if not terminal:
        done = subprocess.run(command, env=env, capture_output=True, timeout=600)
        return done.stdout, done.stderr.decode("utf-8"), done.returncode
    master, slave = pty.openpty()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=slave,
                          stdin=subprocess.DEVNULL) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.stdout is not None
        stdout = process.stdout.read()
        code = process.wait(timeout=600)
    os.close(master)
    return stdout, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")), code


def test_not_a_terminal_gets_only_the_closing_line_and_stdout_is_the_translation(
        tiny_models, translator, article, tmp_path):
    env = _env(tmp_path / "cache", **{CLOSING_LINE_AFTER.name: "0"})
    args = ["translate", "--model", str(tiny_models.marian), "--guard", "off", "--no-confidence",
            str(article)]
    stdout, stderr, code = run_cli(args, env, terminal=False)
    assert code == 0, stderr
    expected = translator.translate(article.read_text(encoding="utf-8")).text + "\n"
    assert stdout == expected.encode("utf-8")
    total = len(SENTENCES) * REPEATS
    repeats = total - len(SENTENCES)
    # A first run converts the model: off a terminal too, one line says so (a log would look hung).
    label = re.escape(str(tiny_models.marian))
    starting, done, line = stderr.splitlines()
    assert re.fullmatch(rf"converting {label}\S* for CTranslate2 \(once; later runs reuse it\)…",
                        starting), starting
    assert re.fullmatch(rf"✓ converting {label}\S* for CTranslate2: done in (\d+ min )?[\d.]+ s; "
                        "later runs reuse it", done), done
    assert re.fullmatch(rf"translated {total} sentences \({repeats} repeats\) in "
                        r"(\d+ min )?[\d.]+ s, [\d,.]+ sentences/s", line), line

    again, stderr, code = run_cli(args, env, terminal=False)
    assert code == 0 and again == stdout
    assert f"({len(SENTENCES)} from the cache, {repeats} repeats)" in stderr
    assert "converting" not in stderr


def test_summarize_ends_with_the_closing_line_and_stdout_is_the_summary(
        tiny_models, converted_tiny_models, article, tmp_path):
    args = ["summarize", "--model", str(tiny_models.marian), "--summarizer",
            str(tiny_models.summarizer), "--format", "json", str(article)]
    env = _env(tmp_path / "cache", converted=True, **{CLOSING_LINE_AFTER.name: "0"})
    stdout, stderr, code = run_cli(args, env, terminal=False)
    assert code == 0, stderr
    assert json.loads(stdout)["translated"]
    last = stderr.splitlines()[-1]
    # The article's own sentences: the translation the summarizer read may have more or fewer.
    assert re.fullmatch(rf"summarized an article of {len(SENTENCES) * REPEATS} sentences "
                        rf"\({len(SENTENCES) * (REPEATS - 1)} repeats\) in (\d+ min )?[\d.]+ s, "
                        r"[\d,.]+ sentences/s", last), last


def test_closing_line_waits_for_a_long_run(tiny_models, translator, article, tmp_path):
    env = _env(tmp_path / "cache", converted=True, **{CLOSING_LINE_AFTER.name: "3600"})
    _, stderr, code = run_cli(["translate", "--model", str(tiny_models.marian), "--guard", "off",
                               "--no-confidence", str(article)], env, terminal=False)
    assert code == 0 and stderr == ""


def test_terminal_shows_spinner_progress_and_closing_line_and_stdout_is_unchanged(
        tiny_models, translator, article, tmp_path):
    args = ["translate", "--model", str(tiny_models.marian), "--guard", "off", "--no-confidence",
            str(article)]
    plain, _, _ = run_cli(args, _env(tmp_path / "plain-cache", converted=True), terminal=False)
    env = _env(tmp_path / "cache", **{CLOSING_LINE_AFTER.name: "0"})
    stdout, stderr, code = run_cli(args, env, terminal=True)
    assert code == 0, stderr
    assert stdout == plain
    label = re.escape(str(tiny_models.marian))
    assert re.search(rf"Converting {label}\S* for CTranslate2 \(once\)…", stderr), stderr
    assert re.search(rf"converting {label}\S* for CTranslate2: done in (\d+ min )?[\d.]+ s", stderr), stderr
    total = len(SENTENCES) * REPEATS
    # done/total, the unit, the rate, elapsed and remaining time
    assert re.search(rf"translating article\.txt .*{total}/{total} sentences [\d,.?]+/s "
                     r"\d:\d\d:\d\d eta \d:\d\d:\d\d", stderr), stderr
    assert f"translated {total} sentences" in stderr


def test_eval_shows_the_progress_of_both_tests_on_a_terminal(eval_files, tmp_path):
    reference, good, bad = eval_files
    stdout, stderr, code = run_cli(
        ["eval", "--ref", str(reference), "--hyp", str(good), "--hyp", str(bad), "--format",
         "json", "--bootstrap", "50", "--ar-trials", "100"], _env(tmp_path / "cache"),
        terminal=True)
    assert code == 0, stderr
    json.loads(stdout)
    # both tests, counted in resamples over the 4 metrics (bootstrap: both systems resampled)
    assert re.search(r"paired bootstrap .*400/400 resamples", stderr), stderr
    assert re.search(r"approximate randomization .*400/400 resamples", stderr), stderr


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_help_shows_an_example(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"Example: {EXAMPLES[command]}" in result.output


@pytest.mark.parametrize("command", ["translate", "summarize", "eval"])
def test_help_lists_the_choices_the_library_checks(command):
    from tarjama.backends import BACKEND_CHOICES, COMPUTE_TYPES, DEVICES
    from tarjama.pipeline import STRATEGIES
    from tarjama.translation.settings import GUARD_MODES

    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    listed = {"--backend": BACKEND_CHOICES, "--device": DEVICES, "--compute-type": COMPUTE_TYPES}
    if command == "translate":
        listed["--guard"] = GUARD_MODES
    if command == "summarize":
        listed["--strategy"] = STRATEGIES
    for option, values in listed.items():
        line = next(line for line in result.output.splitlines() if f" {option} " in line)
        assert f"<{'|'.join(values)}>" in line, line


REFERENCES = ["The president said the meeting was a success.",
              "He added that the work would continue tomorrow.",
              "Prices rose in the local markets.",
              "The ministry announced a new plan for education."]


@pytest.fixture
def eval_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    reference, good, bad = (tmp_path / name for name in ("reference.en", "system-a.en",
                                                          "system-b.en"))
    reference.write_text("\n".join(REFERENCES) + "\n", encoding="utf-8")
    good.write_text("\n".join(REFERENCES[:3] + ["The ministry said a plan."]) + "\n",
                    encoding="utf-8")
    bad.write_text("\n".join(["The president spoke.", "Work goes on.", "Prices rose.",
                              "A plan."]) + "\n", encoding="utf-8")
    return reference, good, bad


FAST = ["--bootstrap", "50", "--ar-trials", "100"]


def test_eval_labels_systems_with_name_and_prints_signatures_whole(eval_files):
    reference, good, bad = eval_files
    args = ["eval", "--ref", str(reference), "--hyp", str(good), "--hyp", str(bad), *FAST]
    table = runner.invoke(app, [*args, "--name", "base", "--name", "mine"],
                          env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert "baseline base" in table.stdout and "│ mine" in table.stdout
    assert "system-a.en" not in table.stdout
    record = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    [baseline, tested] = record["systems"]
    assert baseline["metrics"]
    for score in baseline["metrics"].values():
        assert score["signature"] in table.stdout
        assert score["interval_signature"] in table.stdout
    assert "|ar:100|" in table.stdout


def test_eval_names_default_to_file_names_and_too_many_names_are_refused(eval_files):
    reference, good, bad = eval_files
    args = ["eval", "--ref", str(reference), "--hyp", str(good), "--hyp", str(bad), *FAST]
    default = runner.invoke(app, args, env={"COLUMNS": "120"})
    assert "system-a.en" in default.stdout and "system-b.en" in default.stdout
    refused = runner.invoke(app, [*args, "--name", "a", "--name", "b", "--name", "c"])
    assert refused.exit_code == 2
    assert "3 --name labels for 2 systems" in refused.output


def test_one_system_table_puts_signatures_below_when_they_do_not_fit(eval_files):
    reference, good, _ = eval_files
    args = ["eval", "--ref", str(reference), "--hyp", str(good), *FAST]
    narrow = runner.invoke(app, args, env={"COLUMNS": "60"})
    wide = runner.invoke(app, args, env={"COLUMNS": "250"})
    record = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    scores = list(record["systems"][0]["metrics"].values())
    assert scores
    for score in scores:
        for signature in (score["signature"], score["interval_signature"]):
            assert signature in narrow.stdout and signature in wide.stdout
    assert "BLEU: nrefs:1" in narrow.stdout  # below the table
    assert "BLEU: nrefs:1" not in wide.stdout  # in its own column


def test_paired_tests_report_progress_and_give_the_same_results(eval_files):
    from tarjama.eval.significance import BOOTSTRAP, RANDOMIZATION, paired_tests

    reference, good, bad = eval_files
    systems = [(path.name, path.read_text(encoding="utf-8").splitlines()) for path in (good, bad)]
    references = [reference.read_text(encoding="utf-8").splitlines()]
    events: list[tuple[str, int, int]] = []
    told = paired_tests(systems, references, 50, 100, progress=lambda *event: events.append(event))
    assert told == paired_tests(systems, references, 50, 100)
    for test, total in ((BOOTSTRAP, 50 * 2 * 4), (RANDOMIZATION, 100 * 4)):
        done = [d for t, d, n in events if t == test and n == total]
        assert done == sorted(done) and done[0] == 0 and done[-1] == total, events


def test_translator_tally_counts_repeats_and_cached_sentences(tiny_models, tmp_path):
    from tarjama.translation import Translator

    text = "\n".join(SENTENCES * 3)
    translator = Translator(str(tiny_models.marian), guard="off", cache=tmp_path / "cache.sqlite3")
    translator.translate(text)
    first = (translator.tally.sentences, translator.tally.from_cache, translator.tally.repeats)
    assert first == (12, 0, 8)
    translator.translate(text)
    assert translator.tally.from_cache == 4 and translator.tally.repeats == 16


def test_closing_line_counts_one_sentence_in_the_singular():
    from tarjama.cli.reporting import closing_line

    assert closing_line("translated", 1, 0, 0, 2.0).startswith("translated 1 sentence in ")
    assert closing_line("translated", 2, 0, 0, 2.0).startswith("translated 2 sentences in ")


def test_a_bad_closing_line_setting_is_one_warning_and_the_default_applies(monkeypatch, capsys):
    monkeypatch.setenv(CLOSING_LINE_AFTER.name, "soon")
    report_run("translated", 3, 0, 0, time.perf_counter() - 5)
    warning, closing = capsys.readouterr().err.splitlines()
    assert warning == (f"warning: {CLOSING_LINE_AFTER.name}='soon' is not a number of seconds; "
                       "set it to a number such as 2 or 0.5, or unset it; using 2 for now")
    assert closing.startswith("translated 3 sentences in ")


def test_library_warnings_are_worded_as_the_cli_s_own(capsys):
    logger = logging.getLogger("tarjama")
    before = list(logger.handlers)
    try:
        show_library_warnings()
        show_library_warnings()  # every command calls it; one line per warning all the same
        logger.warning("the copy at %s was converted again", "/tmp/x")
        logger.info("not shown")
    finally:
        logger.handlers[:] = before
    assert capsys.readouterr().err == "warning: the copy at /tmp/x was converted again\n"
