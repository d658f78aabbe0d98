"""The model-aware splitter for sentences too long for the translation model."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama.segment import cut_to_fit, long_sentence_spans, split_long_sentence, split_to_fit


def words(text: str) -> int:
    """A stand-in tokenizer: one token per whitespace-separated word."""
    return len(text.split())


CASES = [
    pytest.param("قال الوزير إن الوضع مستقر.", 10, ["قال الوزير إن الوضع مستقر."], id="fits"),
    pytest.param("بدأت المحادثات في الصباح؛ وانتهت في المساء، دون اتفاق.", 5,
                 ["بدأت المحادثات في الصباح؛", "وانتهت في المساء، دون اتفاق."], id="semicolon-first"),
    pytest.param("وصل الوفد إلى بغداد، وبدأ المحادثات مع المسؤولين، ثم غادر.", 6,
                 ["وصل الوفد إلى بغداد،", "وبدأ المحادثات مع المسؤولين، ثم غادر."],
                 id="comma-and-packing"),
    pytest.param("وافق الطرفان على الهدنة لكن القتال استمر في الشمال", 5,
                 ["وافق الطرفان على الهدنة", "لكن القتال استمر في الشمال"], id="conjunction"),
    pytest.param("ارتفعت الأسعار كثيرًا بينما تراجعت الأجور بشدة", 4,
                 ["ارتفعت الأسعار كثيرًا", "بينما تراجعت الأجور بشدة"], id="bainama"),
    pytest.param("واحد اثنان ثلاثة أربعة خمسة ستة سبعة", 3,
                 ["واحد اثنان ثلاثة", "أربعة خمسة ستة", "سبعة"], id="token-window"),
    pytest.param("  بداية النص، نهاية النص  ", 2, ["بداية النص،", "نهاية النص"],
                 id="outer-whitespace"),
    pytest.param("", 5, [], id="empty"),
]


@pytest.mark.parametrize(("text", "limit", "expected"), CASES)
def test_pieces(text, limit, expected):
    assert split_long_sentence(text, words, limit) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("والد الطفل ولكنه وصل متأخرًا", id="words-starting-with-waw"),
        pytest.param("ثمانية أشخاص حيثما كانوا", id="conjunction-as-prefix"),
    ],
)
def test_conjunctions_are_whole_words(text):
    pieces = split_long_sentence(text, words, 3)
    assert not any(p.startswith(("لد", "انية", "ما")) for p in pieces)


def test_spelt_apart_waw_opens_a_clause():
    assert split_long_sentence("وصل الوفد أمس و بدأ المحادثات اليوم", words, 4) == [
        "وصل الوفد أمس", "و بدأ المحادثات اليوم"]


def test_a_word_longer_than_the_limit_is_kept_whole():
    text = "انظر https://example.com/a/very/long/path/that/counts/as/many/tokens هنا"
    by_chars = lambda piece: len(piece) // 4 + 1  # noqa: E731
    pieces = split_long_sentence(text, by_chars, 5)
    assert "https://example.com/a/very/long/path/that/counts/as/many/tokens" in pieces


def test_spans_rebuild_the_input():
    text = "بدأت   المحادثات؛\u00a0وانتهت، دون  اتفاق"
    spans = long_sentence_spans(text, words, 2)
    assert [text[a:b] for a, b in spans] == split_long_sentence(text, words, 2)
    rebuilt = text[:spans[0][0]] + "".join(
        text[a:b] + text[b:next_a] for (a, b), (next_a, _) in zip(spans, [*spans[1:], (len(text), 0)], strict=True)
    )
    assert rebuilt == text


def test_rejects_a_limit_below_one():
    with pytest.raises(ValueError, match="max_tokens"):
        split_long_sentence("نص", words, 0)


_PIECE = st.sampled_from(["قال", "الوزير", "إن", "،", "؛", "لكن", "و", "بينما", "ثم", "حيث", "نص,",
                          "كلمة;", "طويلةجدًاجدًاجدًا", " ", "  ", "\u00a0", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=40).map(" ".join), st.integers(1, 8),
       st.sampled_from([words, len, lambda s: len(re.findall(r"\w+|[^\w\s]", s))]))
def test_invariants(text, limit, count):
    spans = long_sentence_spans(text, count, limit)
    previous = 0
    for a, b in spans:
        assert previous <= a < b
        assert text[previous:a].strip() == ""
        piece = text[a:b]
        assert piece == piece.strip()
        # over the limit only when the piece is a single word that cannot be cut
        assert count(piece) <= limit or len(piece.split()) == 1
        previous = b
    assert text[previous:].strip() == ""
    pieces = split_long_sentence(text, count, limit)
    assert " ".join(pieces).split() == text.split()


_GLUED = st.sampled_from(["ب", "بَ", "ّ", "a", "https://example.com/", "كلمة", " ", "\u200c", "،"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_GLUED, max_size=120).map("".join), st.integers(1, 12),
       st.sampled_from([words, len, lambda s: len(re.findall(r"\w+|[^\w\s]", s)) + 1]))
def test_split_to_fit_every_piece_fits_and_nothing_is_lost(text, limit, count):
    fitted = split_to_fit(text, count, limit)
    for piece in fitted.pieces:
        # one character is the smallest piece, even where the count of one character is over
        assert count(piece) <= limit or len(piece) == 1
    assert "".join("".join(fitted.pieces).split()) == "".join(text.split())
    if all(count(word) <= limit for word in text.split()):
        assert fitted.word_cuts == 0


def test_a_giant_word_is_cut_into_pieces_that_fit_and_keep_every_character():
    word = "ب" * 5000
    fitted = split_to_fit(f"قال {word} أمس", len, 512)
    assert all(len(piece) <= 512 for piece in fitted.pieces)
    assert "".join(fitted.pieces).replace(" ", "") == f"قال{word}أمس"
    assert fitted.word_cuts >= 5000 // 512


def test_a_cut_never_separates_a_mark_from_its_letter():
    pieces = cut_to_fit("بَ" * 50, len, 7)
    assert "".join(pieces) == "بَ" * 50
    assert not any(unicodedata.combining(piece[0]) for piece in pieces)
