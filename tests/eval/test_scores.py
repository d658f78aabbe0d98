"""Scores, intervals and significance checked against published numbers and sacrebleu itself."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.eval import ReferenceSet, evaluate_systems
from tarjama.eval.buckets import length_buckets

from .conftest import DERIVED_EVERY, TEST_AR_TRIALS, TEST_BOOTSTRAP

runner = CliRunner()


def _sacrebleu(metric: str):
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU, "chrf": CHRF, "chrf++": lambda: CHRF(word_order=2), "ter": TER}[metric]()


@pytest.fixture(scope="module")
def published_json(flores):
    result = runner.invoke(app, ["eval", "--set", str(flores.manifest), "--hyp",
                                 str(flores.published), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["systems"][0]["metrics"]


# Published in opusmt-ara-eng-flores200-output/flores200-devtest.ara-eng.eval.
@pytest.mark.parametrize("metric,published,digits", [
    ("bleu", 35.3, 1),
    ("chrf", 61.552, 3),
    ("chrf++", 59.607, 3),
])
def test_published_scores_on_the_flores_set(published_json, flores, metric, published, digits):
    record = published_json[metric]
    assert record["score"] == pytest.approx(published, abs=10 ** -digits)  # published rounding
    # The interval is sacrebleu's own: mean ± ci over 1000 resamples with its default seed.
    expected = _sacrebleu(metric).corpus_score(
        flores.published.read_text(encoding="utf-8").splitlines(),
        [flores.reference.read_text(encoding="utf-8").splitlines()], n_bootstrap=1000)
    low, high = record["interval"]
    assert low == pytest.approx(expected._mean - expected._ci, abs=1e-3)
    assert high == pytest.approx(expected._mean + expected._ci, abs=1e-3)
    assert "bs:1000|seed:12345" in record["interval_signature"]
    assert "bs:" not in record["signature"]


def test_ter_has_an_interval_around_it(published_json):
    low, high = published_json["ter"]["interval"]
    assert low < published_json["ter"]["score"] < high


@pytest.mark.parametrize("metric", ["bleu", "chrf", "chrf++", "ter"])
def test_derived_system_is_significantly_different(flores_run, metric):
    baseline, derived = flores_run.results
    assert baseline.paired is None
    paired = derived.paired[metric]
    assert paired.p_bootstrap < 0.05 and paired.p_ar < 0.05 and paired.significant
    assert f"bs:{TEST_BOOTSTRAP}" in paired.bootstrap_signature
    assert f"ar:{TEST_AR_TRIALS}" in paired.ar_signature
    worse = (derived.scores[metric].score > baseline.scores[metric].score if metric == "ter"
             else derived.scores[metric].score < baseline.scores[metric].score)
    assert worse


def test_paired_interval_matches_sacrebleu(flores_run, flores):
    derived = flores_run.results[1].scores["chrf"]
    expected = _sacrebleu("chrf").corpus_score(
        flores.derived.read_text(encoding="utf-8").splitlines(),
        [flores.reference.read_text(encoding="utf-8").splitlines()], n_bootstrap=TEST_BOOTSTRAP)
    assert derived.interval == pytest.approx(
        (expected._mean - expected._ci, expected._mean + expected._ci), abs=1e-3)


def test_worst_sentences_are_the_untranslated_lines(flores_run):
    worst = flores_run.worst_sentences(1)
    assert len(worst) == 20
    assert all(w.line % DERIVED_EVERY == 0 for w in worst)
    assert all(w.hypothesis == w.source for w in worst)
    assert worst[0].doc_id.startswith("https://")


def test_system_against_itself_is_not_significant(flores):
    hyps = flores.published.read_text(encoding="utf-8").splitlines()[:60]
    refs = flores.reference.read_text(encoding="utf-8").splitlines()[:60]
    run = evaluate_systems(ReferenceSet(None, (tuple(refs),)), {"a": hyps, "b": hyps},
                           n_bootstrap=50, n_trials=100)
    for paired in run.results[1].paired.values():
        assert paired.difference == 0 and not paired.significant
    assert run.length_measure == "reference words"


@pytest.mark.parametrize("texts,expected", [
    (["a " * 3, "a " * 10, "a " * 11, "a " * 45], [("≤10", (0, 1)), ("11–20", (2,)),
                                                   ("41+", (3,))]),
    ([""], [("≤10", (0,))]),
], ids=["mixed", "empty-segment"])
def test_length_buckets(texts, expected):
    assert [(b.label, b.indices) for b in length_buckets(texts)] == expected
