"""Bidi controls (LRM, RLM, ALM, embeddings, isolates) never move a sentence end, and never reach
the English."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama.script import BIDI_CONTROLS
from tarjama.segment import split_sentences

MARKS = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
         "\u2067", "\u2068", "\u2069"]
_MARK = re.compile(f"[{BIDI_CONTROLS}]")
_PIECES = st.sampled_from(
    list("ابتدهـمقل يوز AbSFz 019٣٥ .!?؟…،,:؛;\"'”»«()[]\u00a0\t@/-")
    + ["...", "إف", "د", "Dr", "U.S", "جون", "news", "إلخ"])


def _visible(sentences: list[str]) -> list[str]:
    return [text for text in (_MARK.sub("", s).strip() for s in sentences) if text]


@st.composite
def text_with_marks(draw: st.DrawFn) -> tuple[str, str]:
    """A text, and the same text with bidi marks inserted, most of them next to punctuation."""
    pieces = draw(st.lists(_PIECES, max_size=40))
    marked = []
    for piece in pieces:
        if draw(st.integers(0, 3)) == 0 or piece in ".!?؟…\"'”»«()":
            marked.extend(draw(st.lists(st.sampled_from(MARKS), max_size=2)))
        marked.append(piece)
    marked.extend(draw(st.lists(st.sampled_from(MARKS), max_size=2)))
    return "".join(pieces), "".join(marked)


@settings(max_examples=400, deadline=None)
@given(text_with_marks())
def test_marks_never_change_where_a_sentence_ends(texts):
    plain, marked = texts
    assert _visible([s.text for s in split_sentences(marked)]) == \
        [s.text for s in split_sentences(plain)]


@pytest.mark.parametrize("marked, expected", [
    ("ذهب الولد.\u200f ثم عاد.", 2),
    ("قال د\u200f. أحمد كلاما. ثم عاد.", 2),       # a mark inside the abbreviation
    ("ذهب الولد \u200f. ثم عاد.", 2),
    ("زار John F\u200e. Kennedy برلين. ثم عاد.", 2),
    ("نقلت شبكة Yahoo! \u200enews الخبر. ثم تراجعت.", 2),
    ("انتهى إلخ.\u200f \u200f، ثم توقف.", 1),
    ("وأضاف \u2067\"انتظروا...\"\u2069 ثم غادر.", 2),
    ("اغتيل جون إف\u200f. كينيدي عام 1963\u200f.\u200f ونقلت الخبر.", 2),
])
def test_marks_around_punctuation(marked, expected):
    assert len(split_sentences(marked)) == expected, [s.text for s in split_sentences(marked)]
    plain = _MARK.sub("", marked)
    assert _visible([s.text for s in split_sentences(marked)]) == \
        [s.text for s in split_sentences(plain)]


@settings(max_examples=200, deadline=None)
@given(text_with_marks())
def test_spans_still_rebuild_the_marked_text(texts):
    _, marked = texts
    for sentence in split_sentences(marked):
        assert marked[sentence.start:sentence.end] == sentence.text


def test_no_mark_survives_into_the_english(tiny_models):
    from tarjama.translation import Translator

    translator = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32")
    text = ("\u202bقال الوزير\u200f: \"المحطة جاهزة\u200f.\"\u202c ثم غادر\u061c.\n"
            "\u200eThe minister left\u200e.\u200f \u2067Reuters\u2069")
    result = translator.translate(text)
    assert len(result.sentences) == 4
    assert not _MARK.search(result.text), result.text
