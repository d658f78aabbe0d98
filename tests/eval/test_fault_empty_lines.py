"""``tarjama eval`` with empty lines in a hypothesis or reference file (issue 12).

An MT system that produced nothing for a sentence leaves an empty line. Bootstrap resamples made
only of such segments used to crash sacrebleu's interval code (``TypeError: don't know how to
coerce float and float32``); the scores must be sacrebleu's own, intervals and p-values included.
"""
from __future__ import annotations

import json

import pytest
import sacrebleu
from typer.testing import CliRunner

from tarjama.cli import app

runner = CliRunner()

REFERENCES = ["First sentence.", "Second sentence.", "Third sentence.", "Fourth sentence."]
HYPOTHESES = ["First sentence.", "The second one.", "Third sentence here.", "A fourth."]
OTHER = ["First sentence.", "Second sentence.", "Sentence three.", "Nothing."]
# With four segments and one or two of them empty, many of the 200 resamples hold only empty
# segments: the degenerate statistics that used to crash.
FAST = ["--bootstrap", "200", "--ar-trials", "50"]

PLACES = {
    "hyp": ({1}, set()),
    "ref": (set(), {1}),
    "both-same-line": ({2}, {2}),
    "both-other-lines": ({0, 3}, {1, 3}),
}

ORACLES = {
    "bleu": lambda h, r: sacrebleu.corpus_bleu(h, r).score,
    "chrf": lambda h, r: sacrebleu.corpus_chrf(h, r).score,
    "chrf++": lambda h, r: sacrebleu.corpus_chrf(h, r, word_order=2).score,
    "ter": lambda h, r: sacrebleu.corpus_ter(h, r).score,
}


def _blank(lines: list[str], empty: set[int]) -> list[str]:
    return ["" if n in empty else line for n, line in enumerate(lines)]


def _write(path, lines: list[str]):
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _check_scores(record: dict, hypotheses: list[str], references: list[str]) -> None:
    for name, oracle in ORACLES.items():
        expected = round(oracle(hypotheses, [references]), 4)
        assert record[name]["score"] == pytest.approx(expected, abs=1e-4), name
        low, high = record[name]["interval"]
        assert low <= record[name]["mean"] <= high, name


@pytest.mark.parametrize("place", sorted(PLACES))
def test_one_system_with_empty_lines_gets_intervals(place, tmp_path):
    empty_hyp, empty_ref = PLACES[place]
    hypotheses = _blank(HYPOTHESES, empty_hyp)
    references = _blank(REFERENCES, empty_ref)
    hyp = _write(tmp_path / "hyp.en", hypotheses)
    ref = _write(tmp_path / "ref.en", references)
    result = runner.invoke(app, ["eval", "--hyp", str(hyp), "--ref", str(ref),
                                 "--format", "json", *FAST])
    assert result.exit_code == 0, result.output
    _check_scores(json.loads(result.stdout)["systems"][0]["metrics"], hypotheses, references)


@pytest.mark.parametrize("place", sorted(PLACES))
def test_two_systems_with_empty_lines_get_paired_tests(place, tmp_path):
    empty_hyp, empty_ref = PLACES[place]
    systems = {"a.en": _blank(HYPOTHESES, empty_hyp), "b.en": _blank(OTHER, empty_hyp | {0})}
    references = _blank(REFERENCES, empty_ref)
    hyps = [_write(tmp_path / name, lines) for name, lines in systems.items()]
    ref = _write(tmp_path / "ref.en", references)
    result = runner.invoke(app, ["eval", "--hyp", str(hyps[0]), "--hyp", str(hyps[1]),
                                 "--ref", str(ref), "--format", "json", *FAST])
    assert result.exit_code == 0, result.output
    first, second = (s["metrics"] for s in json.loads(result.stdout)["systems"])
    _check_scores(first, systems["a.en"], references)
    _check_scores(second, systems["b.en"], references)
    for name in ORACLES:
        assert 0 < second[name]["p_bootstrap"] <= 1 and 0 < second[name]["p_ar"] <= 1, name
