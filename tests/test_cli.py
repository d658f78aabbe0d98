"""The command line as a user sees it: data on stdout, one-line errors with exit codes."""
import json

import pytest
from typer.testing import CliRunner

from tarjama.cli import app

runner = CliRunner()


def test_segment_prints_sentences_and_paragraph_breaks(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("هل جاء؟ نعم، جاء أمس. شكرا!\nعنوان بلا نقطة\n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(article)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "هل جاء؟\nنعم، جاء أمس.\nشكرا!\n\nعنوان بلا نقطة\n\n"


def test_segment_reads_stdin():
    result = runner.invoke(app, ["segment", "-"], input="أولا. ثانيا.\n")
    assert result.stdout == "أولا.\nثانيا.\n\n"


@pytest.mark.parametrize("args,message", [
    (["segment", "/no/such/file.txt"], "no such file"),
    (["translate", "/no/such/file.txt"], "no such file"),
    (["segment", "."], "is a folder"),
    (["translate", "--model", "/no/such/model", "-"], "does not exist"),
], ids=["missing-file", "translate-missing-file", "folder", "missing-model-folder"])
def test_bad_input_is_one_line_exit_2(args, message):
    result = runner.invoke(app, args, input="جملة.\n")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_translate_jsonl_one_record_per_sentence(tiny_models, sample_article):
    result = runner.invoke(app, ["translate", str(sample_article), "--model", str(tiny_models.marian),
                                 "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 8
    assert [r["paragraph"] for r in records] == sorted(r["paragraph"] for r in records)
    assert all(r["source"] and r["translation"] for r in records)


def test_translate_text_to_output_file(tiny_models, sample_article, tmp_path):
    out = tmp_path / "out" / "en.txt"
    result = runner.invoke(app, ["translate", str(sample_article), "--model", str(tiny_models.marian),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = sample_article.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert len(out.read_text(encoding="utf-8").rstrip("\n").split("\n")) == len(lines)


def test_summarize_json(tiny_models, sample_article):
    result = runner.invoke(app, ["summarize", str(sample_article), "--model", str(tiny_models.marian),
                                 "--summarizer", str(tiny_models.summarizer), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["summary"] and record["translated"] is True and record["chunks"]
    assert record["signature"].startswith("model:")


def test_eval_translates_source_then_scores(tiny_models, tmp_path):
    src, ref = tmp_path / "src.ar", tmp_path / "ref.en"
    src.write_text("جملة أولى.\nجملة ثانية.\n", encoding="utf-8")
    ref.write_text("First sentence.\nSecond sentence.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--src", str(src), "--ref", str(ref), "--model",
                                 str(tiny_models.marian), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == {"format", "set", "segments", "baseline", "systems", "analysis"}
    assert set(record["systems"][0]["metrics"]) == {"bleu", "chrf", "chrf++", "ter"}


def test_models_lists_presets():
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    for model_id in ("Helsinki-NLP/opus-mt-tc-big-ar-en", "Helsinki-NLP/opus-mt-ar-en",
                     "sshleifer/distilbart-cnn-12-6"):
        assert model_id in result.stdout
