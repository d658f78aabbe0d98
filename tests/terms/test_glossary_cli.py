"""--glossary on the command line: translate and summarize apply it; a bad file is one line."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from tarjama.cli import app

ARTICLE = "قال رئيس الوزراء للكاظمي إن داعش هُزم.\nوزار الكاظمي البنتاغون.\n"


def _files(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("الكاظمي\tMustafa al-Kadhimi\nداعش\tISIS\nالبنتاغون\tthe Pentagon\n",
                        encoding="utf-8")
    return article, glossary


def test_translate_with_a_glossary(tiny_models, tmp_path):
    article, glossary = _files(tmp_path)
    result = CliRunner().invoke(app, ["translate", str(article), "--model", str(tiny_models.marian),
                                      "--format", "jsonl", "--glossary", str(glossary), "--no-cache"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [[t["english"] for t in r["terms"]] for r in records] == \
        [["Mustafa al-Kadhimi", "ISIS"], ["Mustafa al-Kadhimi", "the Pentagon"]]
    for record in records:
        for term in record["terms"]:
            assert term["english"].casefold() in record["translation"].casefold()


def test_summarize_with_a_glossary(tiny_models, tmp_path):
    article, glossary = _files(tmp_path)
    result = CliRunner().invoke(app, ["summarize", str(article), "--model", str(tiny_models.marian),
                                      "--summarizer", str(tiny_models.summarizer), "--format",
                                      "json", "--glossary", str(glossary), "--no-cache"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert "Mustafa al-Kadhimi" in record["translation"]
    assert "glossary:" in record["translation_signature"]


def test_a_bad_glossary_is_one_line(tiny_models, tmp_path):
    article, glossary = _files(tmp_path)
    glossary.write_text("الكاظمي\tKadhimi\nداعش\n", encoding="utf-8")
    for command in ("translate", "summarize"):
        result = CliRunner().invoke(app, [command, str(article), "--glossary", str(glossary)])
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0, result.output
        assert f"{glossary} line 2: no English rendering" in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["translate", str(article), "--glossary",
                                      str(tmp_path / "nope.tsv")])
    assert result.exit_code == 2 and "--glossary FILE" in result.output, result.output
