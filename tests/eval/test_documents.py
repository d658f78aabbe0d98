"""Per-document scores and the document bootstrap, against sacrebleu."""
from __future__ import annotations

import pytest

from tarjama.eval import ReferenceSet, evaluate_systems


@pytest.fixture(scope="module")
def flores_lines(flores):
    read = lambda path: path.read_text(encoding="utf-8").splitlines()  # noqa: E731
    return read(flores.source), read(flores.reference), read(flores.published), read(flores.derived)


@pytest.mark.parametrize("systems", [1, 2], ids=["one-system", "paired"])
def test_one_segment_per_document_is_sacrebleus_sentence_bootstrap(flores_lines, systems):
    source, reference, published, derived = (lines[:150] for lines in flores_lines)
    refset = ReferenceSet(tuple(source), (tuple(reference),),
                          tuple(f"d{n}" for n in range(len(reference))), "each-its-own")
    outputs = {"a": published, "b": derived} if systems == 2 else {"a": published}
    run = evaluate_systems(refset, outputs, n_bootstrap=100, n_trials=10, analyses=False)
    for result in run.results:
        assert result.document_intervals is not None
        for metric, score in result.scores.items():
            document = result.document_intervals[metric]
            assert score.interval is not None
            assert document.interval == pytest.approx(score.interval, abs=2e-4)
            if result.paired is not None:
                assert document.p_value == result.paired[metric].p_bootstrap


def test_document_scores_are_sacrebleus_on_each_document(flores_run):
    from sacrebleu.metrics import BLEU, CHRF

    refset = flores_run.refset
    derived = flores_run.results[1]
    assert sum(d.segments for d in derived.by_document) == len(refset) == 1012
    assert len(derived.by_document) == len(refset.documents) == 281
    for document, scored in list(zip(refset.documents, derived.by_document, strict=True))[:5]:
        hyps = list(derived.system.hypotheses[document.start:document.end])
        refs = [list(refset.references[0][document.start:document.end])]
        assert scored.doc_id == document.doc_id
        assert scored.scores["bleu"] == pytest.approx(BLEU().corpus_score(hyps, refs).score,
                                                      abs=1e-4)
        assert scored.scores["chrf"] == pytest.approx(CHRF().corpus_score(hyps, refs).score,
                                                      abs=1e-4)


def test_flores_document_intervals_beside_sentence_intervals(flores_run):
    for result in flores_run.results:
        assert result.document_intervals is not None
        for metric, score in result.scores.items():
            low, high = result.document_intervals[metric].interval
            assert low < score.score < high
    assert flores_run.results[0].document_intervals["bleu"].p_value is None
    assert 0 < flores_run.results[1].document_intervals["chrf"].p_value < 0.05
