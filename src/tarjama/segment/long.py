"""Cutting a sentence that is too long for the translation model into pieces that fit.

Translation models have a token limit and translate long inputs badly, so ``translate`` cuts such a
sentence at the weakest clause boundary that makes the pieces fit, in this order: ``؛``/``;``, then
``،``/``,``, then before a clause-opening conjunction, and only as a last resort between words at a
token window. Neighbouring parts are packed back together as long as they fit, so no piece is
shorter than it needs to be.

Invariant: the pieces are non-empty substrings of the input, in order, without whitespace at their
ends, and what lies between and around them is whitespace only. Text is never dropped or changed and
a word is never cut, so ``" ".join(pieces).split() == text.split()``; with
:func:`long_sentence_spans` the input can be rebuilt with its original whitespace.

A word longer than the limit on its own (a long URL, text glued without spaces) is left whole by
:func:`split_long_sentence`; :func:`split_to_fit` goes on and cuts it between characters
(:func:`cut_to_fit`), so that no piece a model is given is ever longer than it can read.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

#: Whole words that open a new clause; a cut goes before them. A bare ``و`` counts only when it is
#: written apart from the next word (``و قال``), which is where it joins clauses.
CLAUSE_OPENERS = (
    "ولكن", "لكن", "لكنه", "لكنها", "لكنهم", "بينما", "فيما", "حيث", "إذ", "ثم", "كما",
    "غير أن", "إلا أن", "في حين", "و",
)

# Where a cut may go, weakest boundary first: the offset a cut is made at, as group "cut".
_LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"[؛;](?P<cut>)"),
    re.compile(r"[،,](?P<cut>)"),
    re.compile(rf"\s(?P<cut>)(?:{'|'.join(sorted(CLAUSE_OPENERS, key=len, reverse=True))})(?=\s)"),
)
_WORD = re.compile(r"\S+")

Span = tuple[int, int]


def _strip(text: str, a: int, b: int) -> Span | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _window(text: str, a: int, b: int, fits: Callable[[int, int], bool]) -> list[Span]:
    """Cut between words: each piece takes as many whole words as fit (found by bisection)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, a, b)]
    out: list[Span] = []
    i = 0
    while i < len(words):
        lo, hi = i + 1, len(words)  # at least one word, even one that does not fit on its own
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(words[i][0], words[mid - 1][1]):
                lo = mid
            else:
                hi = mid - 1
        out.append((words[i][0], words[lo - 1][1]))
        i = lo
    return out


def _fit(text: str, a: int, b: int, level: int, fits: Callable[[int, int], bool]) -> list[Span]:
    if fits(a, b):
        return [(a, b)]
    if level == len(_LEVELS):
        return _window(text, a, b, fits)
    cuts = [m.start("cut") for m in _LEVELS[level].finditer(text, a, b)]
    parts = [s for s in (_strip(text, x, y) for x, y in zip([a, *cuts], [*cuts, b], strict=True)) if s]
    if len(parts) < 2:
        return _fit(text, a, b, level + 1, fits)
    out: list[Span] = []
    current: Span | None = None
    for part in parts:
        if current is not None and fits(current[0], part[1]):
            current = (current[0], part[1])
            continue
        if current is not None:
            out.append(current)
            current = None
        if fits(*part):
            current = part
        else:
            out.extend(_fit(text, *part, level + 1, fits))
    if current is not None:
        out.append(current)
    return out


def long_sentence_spans(
    text: str, count_tokens: Callable[[str], int], max_tokens: int
) -> list[Span]:
    """The ``(start, end)`` offsets in ``text`` of the pieces :func:`split_long_sentence` returns."""
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    whole = _strip(text, 0, len(text))
    if whole is None:
        return []
    return _fit(text, *whole, 0, lambda a, b: count_tokens(text[a:b]) <= max_tokens)


def split_long_sentence(
    text: str, count_tokens: Callable[[str], int], max_tokens: int
) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_tokens`` tokens each, as counted by ``count_tokens``
    (the translation model's tokenizer).

    A sentence that fits comes back whole. Otherwise cuts go at ``؛``, then ``،``, then before a
    clause-opening conjunction, then between words; a single word longer than ``max_tokens`` is
    left whole rather than cut. The pieces keep every character of the input: see the module's
    docstring for the exact invariant.
    """
    return [text[a:b] for a, b in long_sentence_spans(text, count_tokens, max_tokens)]


def cut_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """``text`` itself when it fits, else consecutive pieces of it that each fit ``limit`` tokens.

    The last resort after clause and word boundaries, for a "word" with no place to split (a long
    URL, a run of glued text): each piece is the longest prefix of what is left that fits, so
    nothing is dropped (``"".join(pieces) == text``) and no input to a model is longer than its
    limit. A piece is at least one character, even where one character does not fit.
    """
    pieces: list[str] = []
    rest = text
    while rest:
        size = _longest_fitting_prefix(rest, count_tokens, limit)
        pieces.append(rest[:size])
        rest = rest[size:]
    return pieces


def _longest_fitting_prefix(text: str, count_tokens: Callable[[str], int], limit: int) -> int:
    # Galloping, then bisection: the cost grows with the piece, not with the rest of the text,
    # so a megabyte without a space costs no more per piece than a short word.
    low, high = 1, 2 * limit
    while high < len(text) and count_tokens(text[:high]) <= limit:
        low, high = high, 2 * high
    if high >= len(text):
        if count_tokens(text) <= limit:
            return len(text)
        high = len(text)
    while high - low > 1:
        middle = (low + high) // 2
        if count_tokens(text[:middle]) <= limit:
            low = middle
        else:
            high = middle
    # A mark (a haraka, shadda) stays with the letter it sits on.
    while low > 1 and unicodedata.combining(text[low]):
        low -= 1
    return low


@dataclass(frozen=True)
class FittedPieces:
    """The pieces of a text, each within a model's limit, and how many cuts went inside words."""

    pieces: tuple[str, ...]
    word_cuts: int


def split_to_fit(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> FittedPieces:
    """Cut ``text`` into pieces of at most ``max_tokens`` tokens each, whatever the text.

    As :func:`split_long_sentence`, then a piece that is still too long (one word longer than
    the limit) is cut between characters by :func:`cut_to_fit`; ``word_cuts`` counts those cuts,
    so a caller can flag the text. Nothing is lost: ``"".join`` of each word's pieces is the word.
    """
    pieces: list[str] = []
    word_cuts = 0
    for piece in split_long_sentence(text, count_tokens, max_tokens):
        cut = cut_to_fit(piece, count_tokens, max_tokens)
        word_cuts += len(cut) - 1
        pieces += cut
    return FittedPieces(tuple(pieces), word_cuts)
