"""Spans: the segmenter never alters text, and paragraphs follow the input's lines exactly."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama.segment import (
    SEGMENTER_VERSION,
    Paragraph,
    Sentence,
    split_lines,
    split_paragraphs,
    split_sentences,
)

# Characters that exercise the rules: letters of both scripts, digits, every kind of punctuation
# the rules look at, and several kinds of whitespace and invisible marks.
_ALPHABET = st.sampled_from(
    list("ابتدهـمقل يوز AbSFz 019٣٥ .!?؟…،,:؛;\"'”»«()[]\u00a0\t\u200f@/-") + ["...", "إف", "د."]
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)
_LINES = st.lists(_TEXT.filter(lambda s: "\r" not in s and "\n" not in s), max_size=6)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


def _check_sentences(sentences: list[Sentence], text: str, offset: int = 0) -> None:
    previous_end = offset
    for sentence in sentences:
        assert sentence.text == text[sentence.start - offset:sentence.end - offset]
        assert sentence.text and sentence.text == sentence.text.strip()
        gap = text[previous_end - offset:sentence.start - offset]
        assert gap.strip() == "", "text between sentences must be whitespace only"
        previous_end = sentence.end
    assert text[previous_end - offset:].strip() == ""


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_sentences_cover_the_text_exactly(text):
    _check_sentences(split_sentences(text), text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_no_sentence_without_a_letter_or_digit(text):
    sentences = split_sentences(text)
    if any(c.isalnum() for c in text):
        assert all(any(c.isalnum() for c in s.text) for s in sentences), sentences
    else:
        assert len(sentences) <= 1


@settings(max_examples=200, deadline=None)
@given(_LINES, _BREAKS, st.booleans())
def test_paragraphs_follow_lines(lines, line_break, final_break):
    # a final empty line exists only when a line break follows it
    ends_with_break = bool(lines) and (final_break or lines[-1] == "")
    document = line_break.join(lines) + (line_break if ends_with_break else "")
    paragraphs = split_paragraphs(document)
    assert [p.text for p in paragraphs] == lines
    for paragraph in paragraphs:
        assert document[paragraph.start:paragraph.end] == paragraph.text
        _check_sentences(list(paragraph.sentences), paragraph.text, paragraph.start)
        assert paragraph.sentences == tuple(
            Sentence(s.text, s.start + paragraph.start, s.end + paragraph.start)
            for s in split_sentences(paragraph.text)
        )


@pytest.mark.parametrize(
    ("document", "lines"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("سطر.", ["سطر."], id="no-final-newline"),
        pytest.param("سطر.\n", ["سطر."], id="final-newline-adds-nothing"),
        pytest.param("أ.\r\nب.\r\n", ["أ.", "ب."], id="crlf"),
        pytest.param("أ.\rب.", ["أ.", "ب."], id="cr"),
        pytest.param("عنوان\n\nنص.\n", ["عنوان", "", "نص."], id="blank-line"),
        pytest.param("\n", [""], id="only-a-newline"),
        pytest.param("أ.\n\r\nب.", ["أ.", "", "ب."], id="mixed-endings"),
    ],
)
def test_paragraph_lines(document, lines):
    assert [p.text for p in split_paragraphs(document)] == lines


def test_blank_line_has_no_sentences():
    paragraphs = split_paragraphs("عنوان الخبر\r\n\r\nقال الوزير. ثم غادر.\r\n")
    assert [len(p.sentences) for p in paragraphs] == [1, 0, 2]


def test_split_lines_keeps_each_line_whole():
    document = "عنوان\r\n  قال الوزير. ثم غادر. \n\nسطر"
    paragraphs = split_lines(document)
    assert [p.text for p in paragraphs] == [p.text for p in split_paragraphs(document)]
    assert [[(s.text, s.start, s.end) for s in p.sentences] for p in paragraphs] == [
        [("عنوان", 0, 5)], [("قال الوزير. ثم غادر.", 9, 29)], [], [("سطر", 32, 35)]]
    assert all(document[s.start:s.end] == s.text for p in paragraphs for s in p.sentences)


def test_offsets_are_relative_to_the_document():
    document = "عنوان\r\nقال الوزير. ثم غادر."
    second = split_paragraphs(document)[1]
    assert second == Paragraph(
        "قال الوزير. ثم غادر.", 7, len(document),
        (Sentence("قال الوزير.", 7, 18), Sentence("ثم غادر.", 19, len(document))),
    )
    assert [document[s.start:s.end] for s in second.sentences] == ["قال الوزير.", "ثم غادر."]


def test_results_are_frozen():
    sentence = split_sentences("نص.")[0]
    with pytest.raises(AttributeError):
        sentence.text = "آخر"  # type: ignore[misc]


def test_version_is_a_string():
    assert isinstance(SEGMENTER_VERSION, str) and SEGMENTER_VERSION


def test_import_needs_no_model_libraries():
    code = ("import sys, tarjama.segment; "
            "sys.exit(any(m in sys.modules for m in ('torch', 'transformers')))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
