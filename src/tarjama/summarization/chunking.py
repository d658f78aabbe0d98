"""Cutting a long text into chunks that fit the summarizer, at sentence boundaries."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tarjama.segment import split_to_fit

logger = logging.getLogger("tarjama")


@dataclass(frozen=True)
class Chunk:
    """Consecutive input units (sentences, or summaries of an earlier round) and their text."""

    first: int
    last: int
    text: str
    tokens: int


def chunk_units(units: Sequence[str], count_tokens: Callable[[str], int], limit: int, *,
                even: bool = True) -> list[Chunk]:
    """Pack consecutive units into chunks of at most ``limit`` tokens; nothing is left out.

    There are as few chunks as packing each one full would make, and with ``even`` they are as
    even in size as those few can be: an article of 2,100 tokens under a limit of 1,024 becomes
    chunks of ~700 tokens, not 1,015 + 991 + 126, whose last one the model would barely shorten
    (and whose padding the first two would carry through the batch). Without ``even`` every chunk
    is filled before the next begins, so the first chunk holds as much of the text as fits.

    Each unit is counted with its special tokens, so a chunk's true length is never above the
    count. A unit longer than the limit on its own is split at clause boundaries into several chunks;
    a word still too long is cut between characters (:func:`tarjama.segment.split_to_fit`), which
    is said in one warning.
    """
    sizes = [count_tokens(unit) for unit in units]
    chunks: list[Chunk] = []
    cut = 0
    start = 0
    for number, size in enumerate(sizes):
        if size > limit:
            chunks += _packed(units, sizes, start, number, limit, even)
            fitted = split_to_fit(units[number], count_tokens, limit)
            cut += fitted.word_cuts
            chunks.extend(Chunk(number, number, piece, count_tokens(piece))
                          for piece in fitted.pieces)
            start = number + 1
    chunks += _packed(units, sizes, start, len(units), limit, even)
    if cut:
        logger.warning("a word longer than the summarizer's input limit of %d tokens (a long URL, "
                       "glued text) was cut %d time(s) by tokens to fit", limit, cut)
    return chunks


def _packed(units: Sequence[str], sizes: Sequence[int], start: int, end: int, limit: int,
            even: bool) -> list[Chunk]:
    """Chunks of the units ``start`` to ``end - 1``, each of them within ``limit``."""
    if start >= end:
        return []
    cap = limit
    if even:
        # Packing to a cap needs no fewer chunks as the cap falls; the smallest cap that needs
        # no more chunks than the limit does makes the largest chunk as small as it can be.
        fewest = len(_spans(sizes, start, end, limit))
        low = max(sizes[start:end])
        while low < cap:
            middle = (low + cap) // 2
            if len(_spans(sizes, start, end, middle)) <= fewest:
                cap = middle
            else:
                low = middle + 1
    return [Chunk(first, last, " ".join(units[first:last + 1]), sum(sizes[first:last + 1]))
            for first, last in _spans(sizes, start, end, cap)]


def _spans(sizes: Sequence[int], start: int, end: int, cap: int) -> list[tuple[int, int]]:
    """First and last unit of each chunk when every chunk is filled up to ``cap`` tokens."""
    spans: list[tuple[int, int]] = []
    first, tokens = start, 0
    for number in range(start, end):
        if number > first and tokens + sizes[number] > cap:
            spans.append((first, number - 1))
            first, tokens = number, 0
        tokens += sizes[number]
    spans.append((first, end - 1))
    return spans
