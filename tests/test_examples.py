"""The samples that ship with tarjama: the article, its English reference, the sentence pairs."""
from typer.testing import CliRunner

from tarjama import examples, load_reference_set
from tarjama.cli import app
from tarjama.segment import split_paragraphs


def test_the_article_reference_matches_the_article_paragraph_for_paragraph():
    article = examples.article_ar().splitlines()
    reference = examples.path("article_en.txt").read_text(encoding="utf-8").splitlines()
    assert len(reference) == len(article) == len(split_paragraphs(examples.article_ar()))
    assert all(line.strip() for line in reference)
    # Numbers of each paragraph carried over (600 ألف -> 600,000 is written out in full).
    assert [n for n in ("600,000", "40 percent", "2.5 billion", "3 percent", "180") if
            not any(n in line for line in reference)] == []


def test_tarjama_eval_scores_a_translation_of_the_article_against_its_reference():
    reference = str(examples.path("article_en.txt"))
    result = CliRunner().invoke(app, ["eval", "--hyp", reference, "--ref", reference,
                                      "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    assert "6 segments" in result.output
    assert "100.00" in result.output


def test_the_sentence_pairs_have_no_header_so_their_columns_cut_cleanly():
    lines = examples.path("news_ar_en.tsv").read_text(encoding="utf-8").splitlines()
    refset = load_reference_set(examples.path("news_ar_en.tsv"))
    assert [line.split("\t")[0] for line in lines] == list(refset.sources)
    assert [line.split("\t")[1] for line in lines] == list(refset.references[0])
    assert len(refset) == 10
