"""Properties that must hold for any text, checked with hypothesis.

Run with ``--hypothesis-show-statistics`` to see how many examples each property ran.
"""
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama.errors import InputError
from tarjama.normalize import normalize_for_model
from tarjama.segment import split_paragraphs
from tarjama.textio import decode, read_jsonl, write_jsonl

EXAMPLES = 400

# Characters that matter to the splitter and the normaliser, so that arbitrary text often hits them.
_SPECIAL = [
    "قال", "الرئيس", "هل", "جاء", "نعم", "د", "م", "أ", "ب", "ج", "،", "؛", "؟", ".", "!", "…", ":",
    "«", "»", '"', "'", "(", ")", "[", "]", "١", "٢", "٫", "٬", "٪", "3", ".", "5", "A", "b", "e.g",
    "Mr",
    "\t\n\r\x0b\x0c\x1c\x85\u2028\u2029\xa0\u202f\u3000ـًَّْٰٓٔ\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202e\u2066\u2067\u2069\ufeff\xadﻻﻟﺎﷲﷺﱞﹰ&",
    ";", "#", "<", ">", "/", "p", "b", "r", "amp", "lt", "gt", "nbsp", "x", "0", "6", "4", "F",
]
_SNIPPETS = ["&amp;", "&lt;", "&gt;", "&nbsp;", "&#8203;", "&#xFEFB;", "&#1600;", "&#x64E;",
             "<p>", "</p>", "<br/>", "<a href=x>", "&amp;lt;", "&amp;amp;", "ا\u0653", "\r\n"]

interesting_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_SPECIAL), st.sampled_from(_SNIPPETS), st.characters()),
             max_size=60).map("".join),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(interesting_text)
def test_segmentation_rebuilds_the_input_exactly(text):
    pieces = []
    position = 0
    for paragraph in split_paragraphs(text):
        if position:
            assert text[position:paragraph.start] in ("\n", "\r\n", "\r")
        pieces.append(text[position:paragraph.start])
        assert text[paragraph.start:paragraph.end] == paragraph.text
        cursor = paragraph.start
        for sentence in paragraph.sentences:
            gap = text[cursor:sentence.start]
            assert gap == "" or gap.isspace()
            assert sentence.text and sentence.text == sentence.text.strip()
            assert text[sentence.start:sentence.end] == sentence.text
            pieces.extend((gap, sentence.text))
            cursor = sentence.end
        tail = text[cursor:paragraph.end]
        assert tail == "" or tail.isspace()
        pieces.append(tail)
        position = paragraph.end
    assert text[position:] in ("", "\n", "\r\n", "\r")
    pieces.append(text[position:])
    assert "".join(pieces) == text


@pytest.mark.parametrize("strip_diacritics", [False, True], ids=["keep-diacritics",
                                                                 "strip-diacritics"])
@settings(max_examples=EXAMPLES, deadline=None)
@given(text=interesting_text)
def test_normalisation_is_idempotent(text, strip_diacritics):
    once = normalize_for_model(text, strip_diacritics)
    assert normalize_for_model(once, strip_diacritics) == once


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e,
                                      exclude_characters="&<")))
def test_normalisation_leaves_plain_ascii_alone(text):
    assert normalize_for_model(text) == text


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
_RECORDS = st.lists(st.dictionaries(st.text(), _JSON, max_size=5), max_size=5)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@settings(max_examples=EXAMPLES, deadline=None)
@given(records=_RECORDS)
def test_jsonl_round_trips(records, scratch):
    path = scratch / "records.jsonl"
    write_jsonl(path, records)
    assert read_jsonl(path) == records


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1).map(lambda t: t + "\ud800"))
def test_jsonl_refuses_lone_surrogates(text, scratch):
    with pytest.raises(InputError, match="lone surrogate"):
        write_jsonl(scratch / "bad.jsonl", [{"source": text}])


_TEXT_FILE = st.text(alphabet=st.characters(
    exclude_categories=["Cs"], exclude_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"
    "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f")).filter(
    lambda t: not t.startswith(("\ufeff", "%PDF", "GIF8", "SQLite format 3")))


@settings(max_examples=EXAMPLES, deadline=None)
@given(_TEXT_FILE, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decoding_round_trips(text, encoding):
    assert decode(text.encode(encoding)).text == text
