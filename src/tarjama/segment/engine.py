"""The splitting engine: finds candidate sentence ends with one compiled regex and drops those that
a rule in :mod:`tarjama.segment.rules` marks as not an end. Pure Python and ``re``; no model."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tarjama._checks import checked
from tarjama.segment.rules import CLOSERS, INVISIBLE, NON_BOUNDARY_RULES, TERMINALS, Rule

_T = re.escape(TERMINALS)
_C = re.escape(CLOSERS) + INVISIBLE
# A candidate: a run of final punctuation with its closers, followed by whitespace or the end. The
# run is matched from its first character (the lookbehind) up to and including its first terminal,
# then its "rest" is captured whole and never backtracked into (the lookahead-capture idiom stands
# in for an atomic group), so long runs of punctuation cost linear time. Starting with a character
# class lets the regex engine skip quickly to punctuation.
_CANDIDATE = re.compile(
    rf"[{_T}{_C}](?<![{_T}{_C}].)(?:(?<=[{_T}])|[{_C}]*[{_T}])"
    rf"(?=(?P<rest>[{_T}{_C}]*))(?P=rest)(?=\s|\Z)"
)
# How far back the rules look for the word before a candidate and the text before that word.
_WINDOW = 64
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Direction marks and zero-width characters show nothing, so they must decide nothing: the ends are
# found in a copy without them and mapped back (a mark right after an end stays with its sentence).
_INVISIBLE_CHAR = re.compile(f"[{INVISIBLE}]")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == document[start:end]``, with no whitespace at either end."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """One input line, without its line ending, and its sentences.

    ``start``/``end`` and the sentences' offsets are relative to the whole document.
    """

    text: str
    start: int
    end: int
    sentences: tuple[Sentence, ...]


_Match = Callable[..., object]
# What must still hold once ``word`` and ``punct`` matched: (first word?, before, after).
_Conditions = tuple[tuple[bool, _Match | None, _Match | None], ...]


def _compile(rules: tuple[Rule, ...]) -> list[tuple[_Match | None, _Match | None, bool,
                                                  _Match | None, _Match | None]]:
    """Compile the rules; rules that differ only in ``after`` share one alternation."""
    grouped: dict[tuple[str | None, str | None, bool, str | None], list[str | None]] = {}
    for rule in rules:
        key = (rule.word, rule.punct, rule.first_word, rule.before)
        grouped.setdefault(key, []).append(rule.after)
    compiled: list[tuple[_Match | None, _Match | None, bool, _Match | None, _Match | None]] = []
    for (word, punct, first_word, before), afters in grouped.items():
        after = None if None in afters else re.compile("|".join(f"(?:{a})" for a in afters)).match
        compiled.append((re.compile(word).fullmatch if word is not None else None,
                         re.compile(punct).fullmatch if punct is not None else None,
                         first_word,
                         re.compile(f"(?:{before})\\Z").search if before is not None else None,
                         after))
    return compiled


_COMPILED = _compile(NON_BOUNDARY_RULES)


@lru_cache(maxsize=1 << 16)
def _conditions(word: str, punct: str) -> _Conditions:
    """What else must hold for a rule to apply, for each rule whose ``word`` and ``punct`` match.

    Cached: the same few thousand words end most sentences of a language.
    """
    return tuple((first_word, before, after)
                 for word_rx, punct_rx, first_word, before, after in _COMPILED
                 if (punct_rx is None or punct_rx(punct) is not None)
                 and (word_rx is None or word_rx(word) is not None))


def _boundaries(text: str) -> list[int]:
    """Offsets in ``text`` right after each sentence end (the paragraph's end not included).

    Invisible marks anywhere (``د\u200f.``, ``.\u200f``, ``\u2067"...\u2069``) change no end.
    """
    if _INVISIBLE_CHAR.search(text) is None:
        return _visible_boundaries(text)
    kept = [i for i, c in enumerate(text) if _INVISIBLE_CHAR.match(c) is None]
    ends = []
    for end in _visible_boundaries("".join(text[i] for i in kept)):
        end = kept[end - 1] + 1
        while end < len(text) and _INVISIBLE_CHAR.match(text[end]):
            end += 1
        ends.append(end)
    return ends


def _visible_boundaries(text: str) -> list[int]:
    ends: list[int] = []
    last = 0
    n = len(text)
    for m in _CANDIDATE.finditer(text):
        s = m.start("rest") - 1  # the run's first terminal
        end = m.end()
        if end == n:
            break
        at_word_start = s == 0 or text[s - 1].isspace()
        word = "" if at_word_start else text[max(0, s - _WINDOW):s].rsplit(None, 1)[-1]
        ws = s - len(word)
        for first_word, before, after in _conditions(word, text[s:end]):
            if first_word and not (ws == last or text[last:ws].isspace()):
                continue
            if before is not None and before(text, max(0, ws - _WINDOW), ws) is None:
                continue
            if after is None or after(text, end) is not None:
                break
        else:
            ends.append(end)
            last = end
    return ends


def _sentences(text: str, offset: int) -> list[Sentence]:
    # (start, end) of each piece between boundaries, surrounding whitespace left out.
    pieces: list[tuple[int, int]] = []
    start = 0
    for end in (*_boundaries(text), len(text)):
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            a = start + (len(chunk) - len(chunk.lstrip()))
            pieces.append((a, a + len(stripped)))
        start = end
    # A piece with no letter or digit (a closing quote after a space, a lone "»", ")" or "—") is
    # never a sentence of its own: it joins the sentence before it, or the one after it if it
    # comes first. The joined span keeps whatever whitespace lies between them.
    spans: list[list[int]] = []
    lead: int | None = None  # start of the letterless pieces that open the paragraph
    for a, b in pieces:
        if not any(c.isalnum() for c in text[a:b]):
            if spans:
                spans[-1][1] = b
            elif lead is None:
                lead = a
            continue
        if not spans and lead is not None:
            a = lead
        spans.append([a, b])
    if not spans and lead is not None:
        spans.append([lead, pieces[-1][1]])
    return [Sentence(text[a:b], a + offset, b + offset) for a, b in spans]


@checked
def split_sentences(text: str) -> list[Sentence]:
    """Split one paragraph into sentences; offsets are relative to ``text``.

    Every non-whitespace character of ``text`` belongs to exactly one sentence, so the text between
    and around the sentences is whitespace only and the input can be rebuilt from the spans.
    """
    return _sentences(text, 0)


@checked
def split_paragraphs(text: str) -> list[Paragraph]:
    """Split a document into paragraphs (one per line) and each paragraph into sentences.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``. A blank line gives a paragraph with no sentences;
    a final line ending does not start an extra, empty paragraph.
    """
    return _paragraphs(text, _sentences)


@checked
def split_lines(text: str) -> list[Paragraph]:
    """A document already split into sentences, one a line: each line is a paragraph of one
    sentence, the line without the whitespace around it (none for a blank line). Lines end as in
    :func:`split_paragraphs`."""
    return _paragraphs(text, _whole_line)


def _whole_line(line: str, offset: int) -> list[Sentence]:
    stripped = line.strip()
    if not stripped:
        return []
    start = len(line) - len(line.lstrip())
    return [Sentence(stripped, offset + start, offset + start + len(stripped))]


def _paragraphs(text: str, sentences: Callable[[str, int], list[Sentence]]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        line = text[start:m.start()]
        paragraphs.append(Paragraph(line, start, m.start(), tuple(sentences(line, start))))
        start = m.end()
    if start < len(text):
        line = text[start:]
        paragraphs.append(Paragraph(line, start, len(text), tuple(sentences(line, start))))
    return paragraphs
