"""compare-mt 0.2.10 itself, run on 13a-tokenized files, is the oracle of tarjama's analyses."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from tarjama.eval.analysis import (
    NGRAM_REPORT_LENGTH,
    SENTENCE_REPORT_LENGTH,
    analyse,
    sentence_bleu,
    tokenize,
)

compare_mt_main = pytest.importorskip("compare_mt.compare_mt_main")
reporters = pytest.importorskip("compare_mt.reporters")
corpus_utils = pytest.importorskip("compare_mt.corpus_utils")

PLACES = 4  # JSON keeps full precision; the figures must agree to 4 decimals


def _write_tokens(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(" ".join(tokenize(line)) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def oracle(flores, tmp_path_factory):
    """compare-mt's reports on the 13a-tokenized reference and the two systems' files."""
    folder = tmp_path_factory.mktemp("compare-mt")
    lines = {name: path.read_text(encoding="utf-8").splitlines()
             for name, path in (("ref", flores.reference), ("a", flores.published),
                                ("b", flores.derived))}
    files = {name: _write_tokens(folder / f"{name}.tok", text) for name, text in lines.items()}
    ref = corpus_utils.load_tokens(str(files["ref"]))
    outs = [corpus_utils.load_tokens(str(files["a"])), corpus_utils.load_tokens(str(files["b"]))]
    reporters.sys_names = ["sys1", "sys2"]
    with contextlib.redirect_stdout(io.StringIO()):
        reports = {
            "bleu": compare_mt_main.generate_score_report(ref, outs, score_type="bleu"),
            "length": compare_mt_main.generate_score_report(ref, outs, score_type="length"),
            "words": compare_mt_main.generate_word_accuracy_report(ref, outs),
            "by_length": compare_mt_main.generate_sentence_bucketed_report(
                ref, outs, bucket_type="length", statistic_type="score", score_measure="bleu"),
            "length_difference": compare_mt_main.generate_sentence_bucketed_report(
                ref, outs, bucket_type="lengthdiff"),
            "sentence_bleu": compare_mt_main.generate_sentence_bucketed_report(
                ref, outs, bucket_type="score", score_measure="sentbleu"),
            "ngrams": compare_mt_main.generate_ngram_report(ref, outs),
            "sentences": compare_mt_main.generate_sentence_examples(ref, outs),
        }
    return reports, lines, files


@pytest.fixture(scope="module")
def ours(flores_run):
    assert flores_run.analysis is not None
    return flores_run.analysis


def test_bleu_and_length_ratio(oracle, ours, flores_run):
    reports, _, _ = oracle
    for index, system in enumerate(ours.systems):
        assert system.bleu == pytest.approx(reports["bleu"].scores[index], abs=10 ** -PLACES)
        assert system.length_ratio == pytest.approx(reports["length"].scores[index],
                                                    abs=10 ** -PLACES)
        # ... and the analyses' BLEU is tarjama's (sacrebleu's) BLEU.
        assert system.bleu == pytest.approx(flores_run.results[index].scores["bleu"].score,
                                            abs=1e-4)


def test_word_f_measure_by_frequency_bucket(oracle, ours):
    reports, _, _ = oracle
    for index, system in enumerate(ours.systems):
        expected = reports["words"].statistics[index]
        assert [b.bucket for b in system.word_accuracy] == reports["words"].bucketer.bucket_strs
        for bucket, (matched, ref_total, out_total, rec, prec, fmeas) in zip(
                system.word_accuracy, expected, strict=True):
            assert (bucket.matched, bucket.reference_words, bucket.output_words) == (
                matched, ref_total, out_total)
            assert bucket.f_measure == pytest.approx(fmeas, abs=10 ** -PLACES)
            assert bucket.recall == pytest.approx(rec, abs=10 ** -PLACES)
            assert bucket.precision == pytest.approx(prec, abs=10 ** -PLACES)


def test_word_frequencies_from_a_training_file(oracle, flores, tmp_path):
    reports, lines, files = oracle
    # A "training corpus": the source-side-free English of the first system, tokenized.
    training = lines["a"][:500]
    with contextlib.redirect_stdout(io.StringIO()):
        expected = compare_mt_main.generate_word_accuracy_report(
            corpus_utils.load_tokens(str(files["ref"])),
            [corpus_utils.load_tokens(str(files["a"]))],
            freq_corpus_file=str(_write_tokens(tmp_path / "train.tok", training)))
    analysis = analyse(["a"], [lines["a"]], lines["ref"], training=training, training_name="t")
    assert analysis.frequency_source == "training file t"
    for bucket, row in zip(analysis.systems[0].word_accuracy, expected.statistics[0], strict=True):
        assert (bucket.matched, bucket.reference_words, bucket.output_words) == tuple(row[:3])
        assert bucket.f_measure == pytest.approx(row[5], abs=10 ** -PLACES)


@pytest.mark.parametrize("report,attribute,bleu", [
    ("by_length", "bleu_by_reference_length", True),
    ("length_difference", "length_difference", False),
    ("sentence_bleu", "sentence_bleu_buckets", False),
])
def test_sentence_buckets(oracle, ours, report, attribute, bleu):
    reports, _, _ = oracle
    expected = reports[report]
    for index, system in enumerate(ours.systems):
        buckets = getattr(system, attribute)
        assert [b.bucket for b in buckets] == expected.bucketer.bucket_strs
        values = [b.bleu if bleu else b.segments for b in buckets]
        assert values == pytest.approx(expected.sys_stats[index], abs=10 ** -PLACES)


def test_ngrams_each_system_matches_more_often(oracle, ours):
    reports, _, _ = oracle
    ngrams = reports["ngrams"]
    expected = dict(ngrams.scorelist[0])
    pair = ours.pairs[0]
    for rows, oracle_rows in ((pair.ngrams_baseline_better,
                               ngrams.scorelist[0][:NGRAM_REPORT_LENGTH]),
                              (pair.ngrams_system_better,
                               ngrams.scorelist[0][-NGRAM_REPORT_LENGTH:])):
        assert len(rows) == NGRAM_REPORT_LENGTH
        # compare-mt leaves ties in hash order: the same scores, and each n-gram's own figures.
        assert sorted(round(r.score, PLACES) for r in rows) == sorted(
            round(score, PLACES) for _, score in oracle_rows)
        for row in rows:
            gram = tuple(row.ngram.split(" "))
            assert row.score == pytest.approx(expected[gram], abs=10 ** -PLACES)
            assert (row.baseline, row.system) == (ngrams.matches[0][gram], ngrams.matches[1][gram])


def test_sentences_with_the_largest_differences(oracle, ours):
    reports, _, _ = oracle
    differences = reports["sentences"].scorediff_lists[0]
    pair = ours.pairs[0]
    for rows, oracle_rows in ((pair.sentences_baseline_better,
                               differences[:SENTENCE_REPORT_LENGTH]),
                              (pair.sentences_system_better,
                               list(reversed(differences[-SENTENCE_REPORT_LENGTH:])))):
        assert [r.line - 1 for r in rows] == [row[5] for row in oracle_rows]
        for row, (diff, s1, s2, *_rest) in zip(rows, oracle_rows, strict=True):
            assert (row.difference, row.baseline, row.system) == pytest.approx(
                (diff, s1, s2), abs=10 ** -PLACES)


@pytest.mark.parametrize("hypothesis,reference", [
    ("The cat sat on the mat.", "The cat sat on the mat."),
    ("A cat.", "The cat sat on the mat."),
    ("cat", "The cat sat on the mat."),
    ("Nothing here matches", "The cat sat on the mat."),
    ("The cat sat on the mat and then on the rug for a long while.", "The cat sat on the mat."),
    ("the the the the", "The cat the mat"),
], ids=["exact", "short", "one-word", "no-match", "longer", "repeats"])
def test_sentence_bleu_is_compare_mts(hypothesis, reference):
    from compare_mt.scorers import SentBleuScorer

    expected, _ = SentBleuScorer().score_sentence(list(tokenize(reference)),
                                                  list(tokenize(hypothesis)))
    assert sentence_bleu(tokenize(hypothesis), tokenize(reference)) == pytest.approx(
        expected, abs=1e-9)
