"""One home per fact of the Arabic script: every stage reads letters, digits and invisible
characters from tarjama.script, so they cannot disagree (issue 16, item 5)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tarjama
from tarjama.normalize import arabic_digits_to_western, normalize_for_model
from tarjama.segment import split_sentences
from tarjama.summarization.faithfulness import unsupported
from tarjama.translation.guard import missing_number

PACKAGE = Path(tarjama.__file__).parent
# The first character of each table in tarjama.script: a literal holding one of them is a copy.
MARKERS = {"\u0620": "Arabic letters", "\u0660": "Arabic-Indic digits",
           "\u06f0": "Extended Arabic-Indic digits", "\u200b": "invisible characters",
           "\u067e": "Persian/Urdu letters"}


def test_no_module_keeps_its_own_copy_of_a_script_table():
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "script.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value.lower()
                copies += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {what}"
                           for marker, what in MARKERS.items()
                           if marker in text or f"\\u{ord(marker):04x}" in text]
            elif isinstance(node, ast.Constant) and node.value in {0x0660, 0x06F0}:
                copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: a digit table's start")
    assert copies == []


@pytest.mark.parametrize("char", ["\u061c", "\u2060", "\u00ad", "\u200f"],
                         ids=["ALM", "word-joiner", "soft-hyphen", "RLM"])
def test_normaliser_and_segmenter_agree_on_invisible_characters(char):
    assert char not in normalize_for_model(f"قال الرئيس{char} إن الاجتماع انتهى.")
    # An invisible mark after the full stop stays with the sentence it follows.
    sentences = split_sentences(f"قال الرئيس إن الاجتماع انتهى.{char} وأضاف أن العمل مستمر.")
    assert len(sentences) == 2 and sentences[0].text.endswith(char)


def test_every_stage_reads_the_same_digits():
    assert arabic_digits_to_western("٣٫٥ ۱۲ ١٬٠٠٠") == "3.5 12 1,000"
    # The guard finds the Persian-digit number in an English translation that writes it in ASCII.
    assert missing_number("فاز بـ ۱۲ صوتا", "He won 12 votes") is None
    assert missing_number("فاز بـ ۱۲ صوتا", "He won votes") is not None
    # A summary's number is found in the Arabic article whatever its digits.
    assert unsupported("12 people died", "قتل ١٢ شخصا", check_names=False) == ()
    assert unsupported("13 people died", "قتل ١٢ شخصا", check_names=False) != ()
