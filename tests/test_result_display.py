"""What a notebook user sees of a result: its HTML view, its short repr, its DataFrame and records.

Results come from the tiny models through the real code paths; the assertions are about what a
reader gets on screen (right-to-left Arabic, escaped text, visible flags, counts instead of
corpora).
"""
from __future__ import annotations

import html
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import tarjama
from tarjama import examples
from tarjama.cli import app
from tarjama.eval import ReferenceSet, evaluate_systems, load_reference_set

# A scraper's markup in the Arabic, and an English sentence the guard flags as not Arabic.
SOURCE = "قال الرئيس <b>إن</b> الاجتماع كان ناجحا & مثمرا.\nThe meeting went well."
MARKUP = "قال الرئيس <b>إن</b> الاجتماع كان ناجحا & مثمرا."


@pytest.fixture(scope="module")
def translation(tiny_models):
    translator = tarjama.Translator(str(tiny_models.marian), num_beams=1)
    return translator.translate(SOURCE)


@pytest.fixture(scope="module")
def article_summary(tiny_models):
    pipeline = tarjama.Pipeline(str(tiny_models.marian), str(tiny_models.summarizer))
    return pipeline.summarize(SOURCE)


@pytest.fixture(scope="module")
def eval_run():
    refset = load_reference_set(examples.path("news_ar_en.tsv"))
    references = refset.references[0]
    # A second system that drops the last word of every other line: scores differ, on purpose.
    worse = tuple(" ".join(r.split()[:-1]) if n % 2 else r for n, r in enumerate(references))
    return evaluate_systems(refset, {"reference copy": references, "<worse & co>": worse},
                            n_bootstrap=200, n_trials=200)


def test_translation_html_sets_the_arabic_right_to_left_and_escapes_it(translation):
    page = translation._repr_html_()
    assert page.count('dir="rtl"') == len(translation.sentences)  # the source column
    assert html.escape(MARKUP) in page
    assert "<b>إن</b>" not in page
    assert translation.sentences[0].source == MARKUP


def test_translation_html_shows_the_flags(translation):
    page = translation._repr_html_()
    assert translation.sentences[1].flags == ("not_arabic",)
    for flag in {flag for sentence in translation.sentences for flag in sentence.flags}:
        assert f"{html.escape(flag)}</span>" in page
    assert f"{len(translation.flagged)} flagged" in page
    # The English sentence passed through keeps its own direction inside the Arabic column.
    assert '<div dir="auto" style="text-align: start">The meeting went well.</div>' in page


def test_translation_repr_is_short_and_counts(translation):
    text = repr(translation)
    assert len(text) < 160, text
    assert text.startswith(f"Translation(2 sentences, 2 paragraphs, {len(translation.flagged)} "
                           "flagged, text=")


def test_translation_to_pandas_and_records(translation):
    frame = translation.to_pandas()
    assert list(frame.columns) == ["paragraph", "sentence", "source", "translation", "flags",
                                   "confidence", "terms", "names"]
    assert frame["source"].tolist() == [MARKUP, "The meeting went well."]
    assert frame["flags"].tolist()[1] == ["not_arabic"]
    assert translation.to_records() == [json.loads(line) for line in
                                        translation.to_jsonl().splitlines()]


def test_to_pandas_without_pandas_says_how_to_install_it(translation, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # what an environment without pandas gives
    with pytest.raises(ImportError) as caught:
        translation.to_pandas()
    assert str(caught.value) == ("to_pandas() needs pandas, which is not installed: "
                                 "pip install pandas")


def test_article_summary_html_shows_summary_flags_and_translation(article_summary):
    page = article_summary._repr_html_()
    assert html.escape(article_summary.summary.text) in page
    assert "<details><summary>translation</summary>" in page
    for chunk in article_summary.summary.chunks:
        assert html.escape(chunk.summary) in page
    assert html.escape(MARKUP) in page and 'dir="rtl"' in page
    for flag in article_summary.flags:
        assert html.escape(repr(flag.text)) in page


def test_article_summary_repr_and_chunks_frame(article_summary):
    text = repr(article_summary)
    assert len(text) < 200, text
    assert "2 sentences translated" in text and "translate-then-summarize" in text
    frame = article_summary.to_pandas()
    assert list(frame.columns) == ["round", "first", "last", "tokens", "summary"]
    assert len(frame) == len(article_summary.summary.chunks)
    assert article_summary.to_records() == [c.to_record() for c in article_summary.summary.chunks]
    assert repr(article_summary.summary).startswith("Summary(2 sentences summarized in ")


def test_reference_set_repr_names_the_set_and_sizes_not_the_segments():
    line = "كلمة " * 40
    refset = ReferenceSet(sources=(line,) * 5000, references=(("word " * 40,) * 5000,) * 2,
                          doc_ids=tuple(f"doc{n // 10}" for n in range(5000)), name="big set")
    assert repr(refset) == "ReferenceSet('big set', 5000 segments, 2 references, with source, 500 documents)"


def test_eval_run_repr_is_short(eval_run):
    text = repr(eval_run)
    assert len(text) < 250, text
    assert text == ("EvalRun(ReferenceSet('news_ar_en', 10 segments, 1 reference, with source), "
                    "systems=['reference copy', '<worse & co>'], bootstrap=200, trials=200)")
    assert repr(eval_run.results[1]).startswith("SystemResult('<worse & co>', BLEU ")
    assert repr(eval_run.results[1].system) == "System('<worse & co>', 10 segments, read from a file)"


def test_eval_run_html_shows_intervals_p_values_and_escapes_names(eval_run):
    page = eval_run._repr_html_()
    assert "&lt;worse &amp; co&gt;" in page and "<worse" not in page
    chrf = eval_run.results[1].scores["chrf"]
    assert f"[{chrf.interval[0]:.2f}, {chrf.interval[1]:.2f}]" in page
    assert f"bs p={eval_run.results[1].paired['chrf'].p_bootstrap:.4f}" in page
    assert "Evaluation on news_ar_en" in page


def test_eval_run_to_pandas(eval_run):
    frame = eval_run.to_pandas()
    assert len(frame) == 8  # two systems, four metrics
    baseline = frame[frame["system"] == "reference copy"]
    assert baseline["score"].tolist()[0] == 100.0  # BLEU of the references against themselves
    assert baseline["p_bootstrap"].isna().all()
    tested = frame[frame["system"] == "<worse & co>"].set_index("metric")
    paired = eval_run.results[1].paired["bleu"]
    assert tested.loc["BLEU", "p_ar"] == paired.p_ar
    assert tested.loc["BLEU", "difference"] < 0
    assert tested.loc["chrF2", "low"] <= tested.loc["chrF2", "score"] <= tested.loc["chrF2", "high"]


def test_evaluate_gives_the_cli_intervals(tmp_path):
    refset = load_reference_set(examples.path("news_ar_en.tsv"))
    hypotheses = [" ".join(r.split()[:-2]) for r in refset.references[0]]
    (tmp_path / "hyp.en").write_text("\n".join(hypotheses) + "\n", encoding="utf-8")
    (tmp_path / "ref.en").write_text("\n".join(refset.references[0]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--hyp", str(tmp_path / "hyp.en"), "--ref",
                                      str(tmp_path / "ref.en"), "--format", "json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)["systems"][0]["metrics"]
    scores = tarjama.evaluate(hypotheses, refset.references, n_bootstrap=1000)
    for name, score in scores.items():
        assert score.interval is not None
        assert list(score.interval) == cli[name]["interval"]
    assert tarjama.evaluate(hypotheses, refset.references)["bleu"].interval is None


def test_examples_ship_the_article_and_the_reference_set():
    assert examples.article_ar() == examples.path("article_ar.txt").read_text(encoding="utf-8")
    assert len(examples.article_ar().splitlines()) > 3
    assert len(load_reference_set(examples.path("news_ar_en.tsv"))) == 10
    with pytest.raises(ValueError, match="samples are: article_ar.txt, article_en.txt, news_ar_en.tsv"):
        examples.path("nope.txt")


def test_results_and_examples_do_not_import_pandas_or_torch():
    probe = ("import sys, tarjama\nfrom tarjama import examples\nexamples.article_ar()\n"
             "tarjama.Translation, tarjama.ArticleSummary, tarjama.EvalRun\n"
             "print(*(m for m in ('pandas', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", result.stdout
