"""``tarjama summarize`` as a user sees it, on the tiny models: JSON shape, controls, messages."""
import json
import re

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.summarization.faithfulness import Flag, describe

runner = CliRunner()

# About twice the tiny summarizer's 128-token limit; no "Amman", which the tiny model likes to write.
ARTICLE = """\
The government of Jordan announced on Sunday a plan to build three desalination plants on the Red Sea coast.
The first plant will produce 300 million cubic metres of water a year by 2029, the water minister told reporters.
Officials said the project would cost about 2.8 billion dollars and would be financed by a group of international lenders.
Farmers in the Jordan Valley have complained for years that their wells are running dry.
The minister said the new water would go first to households in the capital and in the northern cities.
Environmental groups welcomed the plan but warned that brine from the plants could harm the coral reefs near Aqaba.
The ministry said an independent study of the environmental effects would be published before construction starts.
Construction is expected to begin next spring and to employ about 4,000 workers.
"""
SENTENCES = 8


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    path = tmp_path_factory.mktemp("article") / "article.en.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _summarize(tiny_models, article, *args):
    return runner.invoke(app, ["summarize", str(article), "--summarizer", str(tiny_models.summarizer),
                               "--model", str(tiny_models.marian), *args])


def test_json_lists_every_chunk_and_flags(tiny_models, article):
    result = _summarize(tiny_models, article, "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert {"summary", "sentences", "chunks", "model", "signature", "strategy", "flags",
            "translated", "truncated", "omitted_sentences", "article_sentences"} <= set(record)
    assert record["article_sentences"] == SENTENCES
    first_round = [c for c in record["chunks"] if c["round"] == 1]
    assert len(first_round) > 1
    assert [i for c in first_round for i in range(c["first"], c["last"] + 1)] == list(range(SENTENCES))
    assert all({"round", "first", "last", "tokens", "summary"} == set(c) for c in record["chunks"])
    assert record["summary"] == " ".join(record["sentences"])
    assert record["model"].endswith("summarizer-tiny@local")
    assert record["signature"].startswith("model:")
    assert record["strategy"] == "translate-then-summarize"
    assert record["translated"] is False and record["truncated"] is False
    assert "chunks" in result.stderr
    # An oracle apart from the checker: a flagged statement is in the summary and not in the
    # article, and every number of the summary that the article lacks is flagged.
    summary = " ".join(record["sentences"])
    flagged = {(flag["kind"], flag["text"]) for flag in record["flags"]}
    article_numbers = set(re.findall(r"\d+(?:\.\d+)?", ARTICLE.replace(",", "")))
    article_words = set(re.findall(r"\w+", ARTICLE.lower()))
    for kind, text in flagged:
        assert text in summary
        if kind == "number":
            assert text.replace(",", "") not in article_numbers
        else:
            assert text.lower() not in article_words
    missing_numbers = {n for n in re.findall(r"(?<![\w.,])\d+(?![\w.,])", summary)
                       if n not in article_numbers}
    assert missing_numbers <= {text for kind, text in flagged if kind == "number"}
    if flagged:
        assert f"{len(flagged)} statement" in result.stderr


def test_lead_only_says_what_was_left_out(tiny_models, article):
    result = _summarize(tiny_models, article, "--lead-only", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["truncated"] is True and len(record["chunks"]) == 1
    left_out = SENTENCES - record["chunks"][0]["last"] - 1
    assert record["omitted_sentences"] == left_out
    assert f"{left_out} sentences left out" in result.stderr


def test_headline_is_one_line(tiny_models, article):
    result = _summarize(tiny_models, article, "--headline")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1 and 0 < len(result.stdout.split()) <= 16


def test_bullets_and_max_words(tiny_models, article):
    result = _summarize(tiny_models, article, "--bullets", "--max-words", "12")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("- ") for line in lines)
    assert sum(len(line[2:].split()) for line in lines) <= 12


@pytest.mark.parametrize("args,message", [
    (["--strategy", "summarize-then-translate", "--summarizer", "distilbart"], "reads English only"),
    (["--bullets", "--headline"], "exclude each other"),
    (["--max-words", "5", "--min-words", "9"], "above max-words"),
], ids=["english-summarizer-first", "bullets-and-headline", "min-above-max"])
def test_impossible_requests_are_one_line_exit_2(args, message):
    result = runner.invoke(app, ["summarize", "-", *args], input="جملة.\n")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_models_lists_summarization_presets():
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    for name, model_id in [("distilbart", "sshleifer/distilbart-cnn-12-6"),
                           ("bart-large", "facebook/bart-large-cnn"),
                           ("pegasus", "google/pegasus-cnn_dailymail"),
                           ("mt5-xlsum", "csebuetnlp/mT5_multilingual_XLSum")]:
        assert name in result.stdout and model_id in result.stdout


def test_flags_line_names_each_statement():
    assert describe([Flag("number", "42"), Flag("name", "Obama")]) == \
        '2 statements not found in the article: "42", "Obama"'


@pytest.mark.parametrize("word", [
    "https://example.com/" + "a1b2c3d4e5/" * 545,  # a 6,000-character URL
    "x" * 6000,
], ids=["long-url", "long-word"])
def test_a_word_longer_than_the_input_limit_is_cut_not_a_crash(tiny_models, tmp_path, word):
    path = tmp_path / "url.en.txt"
    path.write_text(ARTICLE.replace("\n", f" More at {word} today.\n", 1), encoding="utf-8")
    result = _summarize(tiny_models, path, "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["summary"]
    assert all(c["tokens"] <= 128 for c in record["chunks"])
