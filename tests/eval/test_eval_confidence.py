"""``tarjama eval`` sets a translated system's confidence beside its sentence chrF2."""
from __future__ import annotations

import json
import random

import pytest
from scipy import stats
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.eval.confidence import confidence_against_scores, spearman
from tarjama.translation import Translator

from .files import write_lines, write_set

runner = CliRunner()
FAST = ["--bootstrap", "20", "--ar-trials", "20"]
SOURCES = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر.",
           "ارتفعت الأسعار في الأسواق.", "زار الوزير المدينة أمس.", "هطلت أمطار غزيرة.",
           "افتتحت المدرسة الجديدة.", "Reuters", "عاد الهدوء إلى العاصمة بعد يومين."]
REFERENCES = ["The president said the meeting was a success.", "He added that work would go on.",
              "Prices rose in the markets.", "The minister visited the city yesterday.",
              "Heavy rain fell.", "The new school opened.", "Reuters",
              "Calm returned to the capital after two days."]


@pytest.mark.parametrize("seed", range(5))
def test_spearman_is_scipy_s_with_ties(seed):
    rng = random.Random(seed)
    xs = [rng.choice([0.1, 0.25, 0.5, 0.75, 0.9]) for _ in range(40)]
    ys = [round(rng.uniform(0, 100), 0 if seed % 2 else 2) for _ in range(40)]
    assert spearman(xs, ys) == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-4)


def test_no_correlation_where_it_is_undefined():
    assert spearman([0.5, 0.5, 0.5], [1.0, 2.0, 3.0]) is None
    assert spearman([0.1, 0.2], [1.0, 2.0]) is None


def test_bins_split_the_segments_evenly_from_least_to_most_confident():
    confidence = [0.9, None, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8]
    chrf = [90.0, 50.0, 10.0, 50.0, 30.0, 70.0, 20.0, 80.0]
    view = confidence_against_scores(confidence, chrf, bins=3, threshold=0.4)
    assert view is not None and view.segments == 7
    assert [b.segments for b in view.bins] == [2, 3, 2]
    assert [(b.low, b.high) for b in view.bins] == [(0.1, 0.2), (0.3, 0.7), (0.8, 0.9)]
    assert [b.mean_chrf for b in view.bins] == [15.0, 50.0, 85.0]
    assert (view.flagged, view.flagged_chrf, view.others_chrf) == (3, 20.0, 72.5)
    assert view.spearman == 1.0
    assert confidence_against_scores([None, None], [1.0, 2.0]) is None


def test_equal_confidences_are_not_ordered_by_their_scores():
    # Confidence is rounded to 4 places: ties happen, and must not make a trend of their own.
    view = confidence_against_scores([0.5, 0.5, 0.5, 0.5], [90.0, 10.0, 80.0, 20.0], bins=2)
    assert view is not None and [b.mean_chrf for b in view.bins] == [50.0, 50.0]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("set")
    return (write_set(folder / "news.tsv", SOURCES, REFERENCES),
            write_lines(folder / "references.en", REFERENCES))


def test_a_translated_system_has_its_confidence_beside_its_scores(small_set, tiny_models,
                                                                  tmp_path):
    path, references = small_set
    report = tmp_path / "report"
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(references), "--model",
                                 str(tiny_models.marian), "--report", str(report), *FAST])
    assert result.exit_code == 0, result.output
    assert "Confidence against sentence chrF2" in result.stdout
    record = json.loads((report / "results.json").read_text(encoding="utf-8"))
    from_file, translated = record["systems"]
    assert from_file["confidence"] is None
    view = translated["confidence"]
    # The same numbers as the translator gives the same sentences, the English line none.
    expected = [out.confidence for out in
                Translator(str(tiny_models.marian)).translate_sentences_detailed(SOURCES)]
    assert view["per_segment"] == expected and expected[6] is None
    assert view["segments"] == len(SOURCES) - 1
    assert sum(b["segments"] for b in view["bins"]) == view["segments"]
    scored = [(c, s) for c, s in zip(expected, translated["sentence_chrf"]["scores"], strict=True)
              if c is not None]
    assert view["spearman"] == pytest.approx(
        stats.spearmanr(*zip(*scored, strict=True)).statistic, abs=1e-4)
    assert view["low_confidence"]["segments"] == sum(c < view["low_confidence"]["threshold"]
                                                     for c, _ in scored)
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "<h2>Confidence against sentence chrF2</h2>" in html


def test_the_json_format_carries_it_too(small_set, tiny_models):
    path, _ = small_set
    result = runner.invoke(app, ["eval", "--set", str(path), "--model", str(tiny_models.marian),
                                 "--format", "json", *FAST])
    assert result.exit_code == 0, result.output
    [system] = json.loads(result.stdout)["systems"]
    assert system["confidence"]["segments"] == len(SOURCES) - 1
    assert "per_segment" not in system["confidence"]


def test_a_translation_saved_as_jsonl_is_scored_with_its_confidence(tiny_models, tmp_path):
    # A blank line in the middle and two sentences on one line: segments are paragraphs.
    lines = [*SOURCES[:3], "", f"{SOURCES[3]} {SOURCES[4]}", *SOURCES[5:]]
    source = write_lines(tmp_path / "news.ar", lines)
    references = write_lines(tmp_path / "references.en",
                             [*REFERENCES[:3], "Nothing.", "Two.", *REFERENCES[5:]])
    for form in ("jsonl", "text"):
        result = runner.invoke(app, ["translate", str(source), "--model", str(tiny_models.marian),
                                     "--format", form, "-o", str(tmp_path / f"out.{form}")])
        assert result.exit_code == 0, result.output
    jsonl = tmp_path / "out.en.jsonl"
    (tmp_path / "out.jsonl").replace(jsonl)
    systems = {}
    for hyp in (jsonl, tmp_path / "out.text"):
        report = tmp_path / f"report-{hyp.suffix}"
        result = runner.invoke(app, ["eval", "--src", str(source), "--ref", str(references),
                                     "--hyp", str(hyp), "--report", str(report), *FAST])
        assert result.exit_code == 0, result.output
        [systems[hyp.suffix]] = json.loads(
            (report / "results.json").read_text(encoding="utf-8"))["systems"]
    # Scored as the text output is: the same segments, so the same scores.
    assert systems[".jsonl"]["scores"] == systems[".text"]["scores"]
    assert systems[".jsonl"]["sentence_chrf"] == systems[".text"]["sentence_chrf"]
    assert systems[".text"]["confidence"] is None
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    by_paragraph = {r["paragraph"]: r["confidence"] for r in records if r["paragraph"] != 4}
    pair = [r["confidence"] for r in records if r["paragraph"] == 4]
    assert len(pair) == 2
    expected = [by_paragraph.get(k) for k in range(len(lines))]
    expected[4] = pytest.approx((pair[0] * pair[1]) ** 0.5, abs=1e-4)
    # The blank line and the English line have none.
    assert systems[".jsonl"]["confidence"]["per_segment"] == expected
    assert expected[3] is None and expected[lines.index("Reuters")] is None


@pytest.mark.parametrize("record, problem", [
    ('{"text": "x"}', "needs \"paragraph\" and \"translation\""),
    ('{"paragraph": -1, "translation": "x"}', "\"paragraph\" must be a whole number"),
    ('{"paragraph": 0, "translation": "x", "confidence": 3}', "\"confidence\" must be a number"),
    ('[1, 2]', "needs \"paragraph\""),
])
def test_a_jsonl_translation_that_is_not_tarjama_s_is_one_line(small_set, tmp_path, record,
                                                                 problem):
    path, _ = small_set
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_text(record + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(hyp), *FAST])
    assert result.exit_code != 0
    assert problem in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
