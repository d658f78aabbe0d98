"""Summaries on the preset stand-ins: inputs that never exceed the model, failures in one line,
the mT5-XLSum card's input handling, no silent empty summary, DistilBART loading quietly (issue 13)."""
import json
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.errors import GenerationError
from tarjama.summarization import Summarizer
from tarjama.summarization.model_input import card_whitespace

runner = CliRunner()
# A tracking link: no slash, no punctuation to split at after its first 29 characters.
URL = ("https://example.com/track?id=" + "a1b2c3d4e5" * 600)[:6000]
ARTICLE = ("The water minister said on Sunday that three desalination plants would be built on the "
           f"Red Sea coast. The full plan is published at {URL} for everyone to read. Farmers in "
           "the Jordan Valley welcomed the news.\n")


def _summarize(*args):
    return runner.invoke(app, ["summarize", *args])


def test_article_with_a_6000_character_url_is_summarized_and_says_it_cut(standins, tmp_path,
                                                                        caplog):
    assert len(URL) == 6000
    article = tmp_path / "url.en.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = _summarize(str(article), "--summarizer", str(standins["distilbart"]),
                        "--device", "cpu", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"].strip()
    # On a terminal the warning is one line on stderr (logging's last-resort handler); pytest
    # captures log records before that handler sees them.
    cut = [r.getMessage() for r in caplog.records if r.name == "tarjama" and "cut" in r.getMessage()]
    assert len(cut) == 1 and "input limit of 1024 tokens" in cut[0], cut


def test_generation_failure_is_one_line_exit_2(standins, tmp_path):
    # DistilBART's embeddings end before <mask>, the tokenizer's last token: on torch the model
    # cannot take it, as the real checkpoint (vocab_size 50264) cannot.
    article = tmp_path / "mask.en.txt"
    article.write_text("The minister said the <mask> would open next year in the capital.\n",
                       encoding="utf-8")
    result = _summarize(str(article), "--summarizer", str(standins["distilbart"]),
                        "--device", "cpu", "--backend", "torch")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the summarizer "), result.stderr
    assert "Traceback" not in result.output


def test_an_empty_summary_is_an_error_not_a_silent_success(standins, tmp_path):
    # A generation config that leaves room for the forced <s> and </s> only: nothing is written.
    copy = tmp_path / "bart"
    shutil.copytree(standins["bart-large"], copy)
    generation = json.loads((copy / "generation_config.json").read_text(encoding="utf-8"))
    generation.update(max_length=3, min_length=0)
    (copy / "generation_config.json").write_text(json.dumps(generation), encoding="utf-8")
    summarizer = Summarizer(str(copy), device="cpu")
    with pytest.raises(GenerationError, match="empty summary"):
        summarizer.summarize("The water minister said on Sunday that three plants would be built.")


@pytest.mark.parametrize("text", ["  a\n\n b\t c  ", "\n\nسطر\nآخر  \u00a0 هنا\n", "", "x"])
def test_card_whitespace_is_the_model_cards_expression(text):
    assert card_whitespace(text) == re.sub(r"\s+", " ", re.sub(r"\n+", " ", text.strip()))


def test_mt5_reads_the_article_normalised_as_the_translator_does(standins, tmp_path):
    from tarjama.normalize import normalize_for_model

    copy = tmp_path / "xlsum"
    shutil.copytree(standins["mt5-xlsum"], copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["_name_or_path"] = "csebuetnlp/mT5_multilingual_XLSum"
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    summarizer = Summarizer(str(copy), device="cpu")
    noisy = "أعلنـــت الوزارة\u200f يوم \t الأحد عن خطة جديدة بقيمة ٢٥٠ مليون دولار."
    tokens = summarizer.draft(noisy).chunks[0].tokens
    assert tokens == summarizer.backend.count_tokens(card_whitespace(normalize_for_model(noisy)))
    assert tokens != summarizer.backend.count_tokens(noisy)


def test_distilbart_loads_quietly_and_its_forced_bos_is_applied(standins):
    code = ("import json, sys\nfrom tarjama.summarization import Summarizer\n"
            "s = Summarizer(sys.argv[1], device='cpu', backend='torch')\n"
            "m, t = s.backend.model, s.backend.tokenizer\n"
            "ids = m.generate(**t(['The minister spoke.'], return_tensors='pt'), num_beams=1,"
            " max_new_tokens=4)[0].tolist()\n"
            "print(json.dumps({'forced_bos': m.generation_config.forced_bos_token_id, 'ids': ids,"
            " 'bos': m.config.bos_token_id}))\n")
    result = subprocess.run([sys.executable, "-c", code, str(standins["distilbart"])],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "forced_bos_token_id" not in result.stderr
    seen = json.loads(result.stdout)
    assert seen["forced_bos"] == seen["bos"] == 0
    assert seen["ids"][1] == 0  # after the decoder start token, <s> is forced
