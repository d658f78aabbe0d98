"""``tarjama eval`` with reference sets, several systems and reports."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tarjama.cli import app

from .files import write_lines, write_set

runner = CliRunner()

SOURCES = ["جملة أولى.", "جملة ثانية.", "جملة ثالثة.", "جملة رابعة."]
REFERENCES = ["First sentence.", "Second sentence.", "Third sentence.", "Fourth sentence."]
GOOD = REFERENCES
BAD = ["First sentence.", "A second one.", "Sentence three.", "Nothing."]
FAST = ["--bootstrap", "20", "--ar-trials", "20"]


@pytest.fixture
def small_set(tmp_path):
    return (write_set(tmp_path / "set.tsv", SOURCES, REFERENCES),
            write_lines(tmp_path / "good.en", GOOD), write_lines(tmp_path / "bad.en", BAD))


def test_two_systems_json(small_set):
    path, good, bad = small_set
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(good), "--hyp", str(bad),
                                 "--format", "json", *FAST])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["baseline"] == "good.en" and record["segments"] == 4
    assert record["format"] == 2 and [set(s) for s in record["systems"]] == [{"name", "metrics", "confidence"}] * 2
    assert [s["confidence"] for s in record["systems"]] == [None, None]  # read from files
    first, second = (system["metrics"] for system in record["systems"])
    assert first["chrf"]["score"] == 100.0 and "p_ar" not in first["chrf"]
    assert second["chrf"]["score"] < 100 and 0 < second["chrf"]["p_ar"] <= 1
    assert set(second) == {"bleu", "chrf", "chrf++", "ter"}


def test_two_systems_table_and_report(small_set, tmp_path):
    path, good, bad = small_set
    report = tmp_path / "out"
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(good), "--hyp", str(bad),
                                 "--report", str(report), *FAST])
    assert result.exit_code == 0, result.output
    for text in ("good.en", "bad.en", "chrF2++", "p (AR)", "baseline"):
        assert text in result.stdout
    assert (report / "report.html").is_file() and (report / "results.json").is_file()


def test_model_translates_the_set_and_reports_no_flags(small_set, tiny_models, tmp_path):
    path, good, _ = small_set
    report = tmp_path / "out"
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(good), "--model",
                                 str(tiny_models.marian), "--report", str(report), "--format",
                                 "json", *FAST])
    assert result.exit_code == 0, result.output
    record = json.loads((report / "results.json").read_text(encoding="utf-8"))
    translated = record["systems"][1]
    assert translated["translated_by"].startswith("model:")
    assert translated["integrity_flags"] == {"counts": {}, "flagged_lines": []}
    assert "<td>none</td>" in (report / "report.html").read_text(encoding="utf-8")


def test_legacy_src_ref_still_works_with_hyp_names(tmp_path):
    ref = write_lines(tmp_path / "ref.en", REFERENCES)
    hyp = write_lines(tmp_path / "hyp.en", BAD)
    result = runner.invoke(app, ["eval", "--hyp", str(hyp), "--ref", str(ref), "--ref", str(ref),
                                 "--format", "json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == {"format", "set", "segments", "baseline", "systems", "analysis"}
    [system] = record["systems"]
    metrics = system["metrics"]
    assert system["name"] == "hyp.en" and record["baseline"] == "hyp.en"
    # A consumer can iterate over the metrics: every entry is a metric's record.
    assert set(metrics) == {"bleu", "chrf", "chrf++", "ter"}
    assert all(isinstance(m["score"], float) for m in metrics.values())
    assert "interval" not in metrics["bleu"] and "nrefs:2" in metrics["bleu"]["signature"]
    assert record["analysis"]["systems"][0]["name"] == "hyp.en"


def _manifest_missing_file(tmp_path):
    manifest = tmp_path / "m.json"
    manifest.write_text('{"source": "src.ar", "references": ["ref.en"]}', encoding="utf-8")
    return ["--set", str(manifest), "--hyp", str(manifest)]


def _set_with_ref(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("a\tA\n", encoding="utf-8")
    return ["--set", str(path), "--ref", str(path)]


def _hyp_too_short(tmp_path):
    path, hyp = tmp_path / "s.tsv", tmp_path / "h.en"
    path.write_text("a\tA\nb\tB\n", encoding="utf-8")
    hyp.write_text("A\n", encoding="utf-8")
    return ["--set", str(path), "--hyp", str(hyp)]


def _model_without_source(tmp_path):
    ref = tmp_path / "r.en"
    ref.write_text("A\n", encoding="utf-8")
    return ["--ref", str(ref), "--hyp", str(ref), "--model", "fast"]


@pytest.mark.parametrize("make,message", [
    (lambda tmp: ["--set", str(tmp / "missing"), "--hyp", "x"], "not a sacrebleu test set"),
    (lambda tmp: ["--set", "wmt99", "--hyp", "x"], "not a sacrebleu test set"),
    (_manifest_missing_file, "source file src.ar not found"),
    (_set_with_ref, "drop --src and --ref"),
    (_hyp_too_short, "has 1 lines but"),
    (_model_without_source, "no source was given"),
    (lambda tmp: ["--hyp", "x"], "no reference given"),
], ids=["missing-set", "unknown-name", "manifest-missing-file", "set-and-ref", "short-hyp",
        "model-without-source", "no-reference"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, message):
    result = runner.invoke(app, ["eval", *make(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 3  # one message, wrapped by the terminal


def test_task_summary_is_routed_to_rouge(tmp_path):
    summaries = tmp_path / "s.txt"
    summaries.write_text("a cat sat.\nthe dog ran.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--task", "summary", "--hyp", str(summaries), "--ref",
                                 str(summaries), "--format", "json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    assert "rouge1" in json.loads(result.stdout)
    refused = runner.invoke(app, ["eval", "--task", "summary", "--hyp", str(summaries), "--ref",
                                  str(summaries), "--report", str(tmp_path / "r")])
    assert refused.exit_code == 2 and "--report belongs to translation" in refused.output


def test_identical_systems_show_a_zero_difference_and_say_so(small_set):
    path, good, _ = small_set
    args = ["eval", "--set", str(path), "--hyp", str(good), "--hyp", str(good), "--name", "a",
            "--name", "b", *FAST]
    table = runner.invoke(app, [*args, "--no-analyses"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Δ" in table.stdout and "+0.00" in table.stdout
    assert table.stdout.count("identical outputs") == 8  # both tests, four metrics
    assert "*" not in table.stdout.split("identical outputs")[1].splitlines()[0]
    record = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    second = record["systems"][1]["metrics"]["bleu"]
    assert second["difference"] == 0 and second["identical"] is True
    assert second["significant"] is False


def test_different_systems_show_the_difference(small_set):
    path, good, bad = small_set
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(good), "--hyp",
                                 str(bad), "--format", "json", *FAST])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    first, second = (system["metrics"] for system in record["systems"])
    assert second["chrf"]["difference"] == pytest.approx(
        second["chrf"]["score"] - first["chrf"]["score"], abs=1e-4)
    assert second["chrf"]["identical"] is False
    bleu = first["bleu"]["details"]
    # three tokens a segment: no 4-gram to match, so sacrebleu's fourth precision is 0
    assert bleu["precisions"] == [100.0, 100.0, 100.0, 0.0] and bleu["brevity_penalty"] == 1.0
    analysis = record["analysis"]
    assert [s["name"] for s in analysis["systems"]] == ["good.en", "bad.en"]
    assert analysis["pairs"][0]["sentences_baseline_better"][0]["line"] == 4


def test_analyses_print_as_tables(small_set, tmp_path):
    path, good, bad = small_set
    train = tmp_path / "train.en"
    train.write_text("First sentence.\nSentence again and again.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(good), "--hyp",
                                 str(bad), "--train-corpus", str(train), *FAST])
    assert result.exit_code == 0, result.output
    for title in ("What BLEU is made of", "compare-mt: aggregate scores",
                  f"frequency: training file {train}", "BLEU by reference length",
                  "Sentences by length difference", "Sentences by sentence BLEU",
                  "n-grams good.en matches more often", "Sentences where bad.en is most ahead"):
        assert title in result.stdout, title
