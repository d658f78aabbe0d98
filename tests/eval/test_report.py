"""The report: both files written, plots embedded, worst sentences shown, text escaped."""
from __future__ import annotations

import base64
import json
import re

import pytest

from tarjama.eval import ReferenceSet, System, evaluate_systems, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def flores_report(flores_run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    html_path, json_path = write_report(flores_run, folder)
    return html_path.read_text(encoding="utf-8"), json.loads(json_path.read_text(encoding="utf-8"))


def test_html_is_self_contained_with_embedded_pngs(flores_report):
    page, _ = flores_report
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 2
    assert all(base64.b64decode(image).startswith(PNG_MAGIC) for image in images)
    assert not re.search(r'(src|href)="(https?:|//)', page), "must open offline"


def test_html_shows_worst_sentences_with_arabic_right_to_left(flores_report, flores_run):
    page, _ = flores_report
    worst = flores_run.worst_sentences(1)
    assert page.count('<td dir="rtl" lang="ar">') == 40
    for sentence in worst[:3]:
        assert f'<td dir="rtl" lang="ar">{sentence.source}</td>' in page
    assert "The 20 worst sentences" in page
    assert "significant" in page and "not translated in this run" in page


def test_results_json(flores_report):
    _, record = flores_report
    assert record["format"] == 2
    assert record["set"] == {"name": "flores200-devtest", "segments": 1012, "references": 1,
                             "has_source": True, "documents": 281}
    baseline, derived = record["systems"]
    assert baseline["significance"] is None
    assert derived["significance"]["chrf"]["significant"] is True
    assert baseline["scores"]["bleu"]["signature"].startswith("nrefs:1|case:mixed")
    assert len(derived["worst_sentences"]) == 20
    assert len(derived["sentence_chrf"]["scores"]) == 1012
    assert sum(b["segments"] for b in derived["by_length"]) == 1012
    assert derived["integrity_flags"] is None


@pytest.mark.parametrize("flags,shown", [
    (((), ()), "none"),
    ((("repeated-ngram",), ()), "repeated-ngram: 1 (lines 1)"),
], ids=["translated-no-flags", "translated-with-flags"])
def test_integrity_flags_and_escaping(tmp_path, flags, shown):
    refset = ReferenceSet(("<b>مرحبا</b>", "سلام"), (("Hello & welcome", "Peace"),), name="tiny")
    system = System("m<script>", ("<i>Hello</i>", "Peace"), signature="model:x|beams:1",
                    flags=flags)
    run = evaluate_systems(refset, [system], n_bootstrap=20)
    page = write_report(run, tmp_path)[0].read_text(encoding="utf-8")
    assert f"<td>{shown}</td>" in page
    assert "m<script>" not in page and "m&lt;script&gt;" in page
    assert "&lt;b&gt;مرحبا&lt;/b&gt;" in page and "Hello &amp; welcome" in page


def test_sentence_view_is_searchable_sortable_and_offline(flores_report, flores_run):
    page, record = flores_report
    view = page[page.index('<h2 id="sentences">'):]
    assert view.count("<tr data-line=") == 1012
    assert 'id="sv-search"' in view and 'value="bleu1:asc"' in view and "<script>" in view
    assert not re.search(r'(src|href)="(https?:|//)', page)
    # every row carries the difference it is sorted by: compare-mt's sentence BLEU
    analysis = flores_run.analysis
    delta = analysis.systems[1].sentence_bleu[9] - analysis.systems[0].sentence_bleu[9]
    assert 'data-line="10" data-chrf0=' in view and f'data-bleu1="{round(delta, 4)}"' in view
    assert record["analysis"]["systems"][0]["bleu"] == pytest.approx(
        record["systems"][0]["scores"]["bleu"]["score"], abs=1e-4)


@pytest.mark.parametrize("hypothesis,reference,levels", [
    ("the cat sat", "the cat sat", [3, 3, 3]),
    ("a cat sat down", "the cat sat", [0, 2, 2, 0]),
    ("cat cat cat", "cat", [1, 0, 0]),
    ("Hello, world.", "Hello world.", [1, 0, 2, 2]),
], ids=["all", "bigram", "clipped", "punctuation"])
def test_matched_ngrams_are_shaded(hypothesis, reference, levels):
    from tarjama.eval.analysis import tokenize
    from tarjama.eval.sentence_view import highlighted, match_levels

    assert match_levels(tokenize(hypothesis), tokenize(reference)) == levels
    shown = highlighted(hypothesis, reference)
    assert re.sub(r"<[^>]+>", "", shown) == hypothesis  # the text as written, nothing lost
    assert shown.count("<span") == sum(1 for level in levels if level)
