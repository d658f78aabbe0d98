"""The Arabizi and dialect detector: its accuracy on the labelled list, and the translator's flags."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tarjama.terms.varieties import dialect_words, is_arabizi, is_dialect

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "varieties_accuracy.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("varieties_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_msa_or_english_sentence_is_flagged_and_most_others_are(bench):
    rows = bench.read_list()
    flags = {label: [bench.flag(text) for kind, text in rows if kind == label]
             for label in bench.LABELS}
    assert flags["msa"].count(None) == len(flags["msa"])
    assert flags["english"].count(None) == len(flags["english"])
    assert flags["arabizi"].count("arabizi") >= 0.9 * len(flags["arabizi"])
    assert flags["dialect"].count("dialect") >= 0.75 * len(flags["dialect"])


@pytest.mark.parametrize("text, expected", [
    ("ana msh 3aref", True), ("ya3ni eh?", True), ("wallah habibi", True),
    ("The G7 backed 5G and COVID-19 plans.", False), ("mp3 4x4 b2b", False),
    ("Ana and El Salvador", False),
    ("ana ra7 a2ollak", True),  # a digit at a word's end: listed words only
    ("Windows 7 and web3 on the iPhone 7", False),
])
def test_arabizi(text, expected):
    assert is_arabizi(text) is expected


def test_dialect_words_through_clitics():
    assert dialect_words("ومش عارف فبدي أروح") == ["ومش", "فبدي"]
    assert is_dialect("التقى دي ميستورا الوزير في جنيف اليوم") is False


@pytest.mark.parametrize("text, expected", [
    ("ايش تبي مني", True), ("وش تبغى اليوم؟", True),  # Gulf "want" and "what"
    ("قال أبي إن النبي محمد خاتم الأنبياء", False),  # ابي and نبي are MSA words
])
def test_gulf_dialect(text, expected):
    assert is_dialect(text) is expected


def test_the_translator_flags_them(tiny_models):
    from tarjama.translation import Translator

    translator = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32")
    result = translator.translate("ana msh 3aref a3mel eh\nأنا مش عارف هو عايز إيه.\nقال الوزير كلاما.")
    assert [s.flags[:2] for s in result.sentences][0] == ("not_arabic", "arabizi")
    assert "dialect" in result.sentences[1].flags
    assert "dialect" not in result.sentences[2].flags
    assert result.sentences[0].translation == "ana msh 3aref a3mel eh"
