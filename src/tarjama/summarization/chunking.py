"""Cutting a long text into chunks that fit the summarizer, at sentence boundaries."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tarjama.segment import split_long_sentence

logger = logging.getLogger("tarjama")


@dataclass(frozen=True)
class Chunk:
    """Consecutive input units (sentences, or summaries of an earlier round) and their text."""

    first: int
    last: int
    text: str
    tokens: int


def chunk_units(units: Sequence[str], count_tokens: Callable[[str], int], limit: int) -> list[Chunk]:
    """Pack consecutive units into chunks of at most ``limit`` tokens; nothing is left out.

    Each unit is counted with its special tokens, so a chunk's true length is never above the
    count. A unit longer than the limit on its own is split at clause boundaries into several chunks;
    a clause still too long is cut by tokens (:func:`cut_to_fit`), which is said in one warning.
    """
    chunks: list[Chunk] = []
    cut = 0
    parts: list[str] = []
    start, tokens = 0, 0
    for number, unit in enumerate(units):
        size = count_tokens(unit)
        if size > limit:
            if parts:
                chunks.append(Chunk(start, number - 1, " ".join(parts), tokens))
            for clause in split_long_sentence(unit, count_tokens, limit):
                pieces = cut_to_fit(clause, count_tokens, limit)
                cut += len(pieces) - 1
                chunks.extend(Chunk(number, number, piece, count_tokens(piece)) for piece in pieces)
            start, parts, tokens = number + 1, [], 0
            continue
        if parts and tokens + size > limit:
            chunks.append(Chunk(start, number - 1, " ".join(parts), tokens))
            start, parts, tokens = number, [], 0
        parts.append(unit)
        tokens += size
    if parts:
        chunks.append(Chunk(start, len(units) - 1, " ".join(parts), tokens))
    if cut:
        logger.warning("a word longer than the summarizer's input limit of %d tokens (a long URL, "
                       "glued text) was cut %d time(s) by tokens to fit", limit, cut)
    return chunks


def cut_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """``text`` itself when it fits, else consecutive pieces of it that each fit ``limit`` tokens.

    The last resort after clause boundaries, for a "word" with no place to split (a long URL, a
    run of glued pieces): each piece is the longest prefix of what is left that fits, so nothing
    is dropped and no input to the model is ever longer than its limit.
    """
    pieces: list[str] = []
    rest = text
    while rest and count_tokens(rest) > limit:
        low, high = 1, len(rest)  # the longest prefix that fits has between 1 and len - 1 characters
        while high - low > 1:
            middle = (low + high) // 2
            if count_tokens(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle
        pieces.append(rest[:low])
        rest = rest[low:]
    if rest:
        pieces.append(rest)
    return pieces
