"""Latin text inside marks, kept as written in the English.

A link, bold word or span whose text is Latin (a brand, an English name, a product: ``<a>BBC
News</a>``) inside an Arabic sentence is translated with its sentence, so that the sentence reads
whole; but its text must come out as the source wrote it, and once. After translation each such
mark is pinned to the words that say its text: the occurrence the model wrote (the one nearest the
words aligned to it), or, when the model garbled it, the source text written in place of the
garbled words aligned to it (when it dropped it: before the words aligned to it, or after the
words of what came before it). Occurrences beyond as many as
the sentence had are taken out, so a mark's text is never doubled. The alignment is then changed
so that exactly those words are linked to the mark's source words, and the placement puts the
mark on them.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from tarjama.documents.blocks import Block
from tarjama.documents.placement import TranslatedSpan, WordAlignment, words

_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
#: A garbled rendering is looked for among the words aligned to the mark (and one either side),
#: at most this many words longer than the mark's text...
REPLACEABLE_EXTRA_WORDS = 2
#: ... and replaced when it looks like the text (difflib's ratio): "Goggle" for "Google" is a
#: garbled rendering; "work" is a word of the sentence, and the mark's text goes before it.
GARBLED_SIMILARITY = 0.5


def latin_spans(block: Block, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of the marks inside ``text[start:end]`` whose text is Latin without
    Arabic, outermost first (a span inside another is left out)."""
    found: list[tuple[int, int]] = []
    for mark in sorted(block.marks, key=lambda m: (m.start, -m.end)):
        text = block.text[mark.start:mark.end]
        if not (start <= mark.start < mark.end <= end) or not text.strip():
            continue
        if not _LATIN.search(text) or _ARABIC.search(text):
            continue
        if any(a <= mark.start and mark.end <= b for a, b in found):
            continue
        found.append((mark.start, mark.end))
    return found


def keep_latin(block: Block, span: TranslatedSpan) -> TranslatedSpan:
    """``span`` (a sentence of ``block`` and its translation) with the text of every Latin mark
    inside it written as in the source, once, and aligned to the mark's words."""
    literals = latin_spans(block, span.start, span.end)
    if not literals:
        return span
    source = words(block.text[span.start:span.end], span.start)
    target = [span.translation[a:b] for a, b in words(span.translation)]
    alignment = span.alignment
    if alignment is None or len(alignment.weights) != len(target) or alignment.sources != len(source):
        alignment = WordAlignment.monotone(len(target), len(source))
    rows = [list(row) for row in alignment.weights]
    edited = False
    for start, end in literals:
        covered = [i for i, (a, b) in enumerate(source) if a < end and start < b]
        literal = block.text[start:end].split()
        times = len(_occurrences([block.text[a:b] for a, b in source], literal))
        target, rows, changed = _pin(target, rows, covered, literal, times, len(source))
        edited = edited or changed
    translation = " ".join(target) if edited else span.translation
    weights = tuple(tuple(row) for row in rows)
    return TranslatedSpan(span.start, span.end, translation, WordAlignment(weights, len(source)))


def _core(word: str) -> str:
    """A word without the punctuation around it."""
    return re.sub(r"^\W+|\W+$", "", word)


def _occurrences(found_in: Sequence[str], literal: Sequence[str]) -> list[int]:
    """Where the words ``literal`` stand in ``found_in`` (punctuation around words ignored)."""
    n = len(literal)
    wanted = [_core(word) for word in literal]
    return [i for i in range(len(found_in) - n + 1)
            if [_core(word) for word in found_in[i:i + n]] == wanted]


def _pin(target: list[str], rows: list[list[float]], covered: list[int], literal: list[str],
         times: int, sources: int) -> tuple[list[str], list[list[float]], bool]:
    """Target words and alignment rows with ``literal`` written once per source occurrence and
    its chosen occurrence linked to the ``covered`` source words only."""
    n = len(literal)
    linked = sorted({t for t, row in enumerate(rows) if row and _strongest(row) in covered}
                    | {max(range(len(rows)), key=lambda t: rows[t][s]) for s in covered if rows})
    near = (linked[0] + linked[-1]) / 2 if linked else len(target)
    found = _occurrences(target, literal)
    changed = False
    if found:
        chosen = min(found, key=lambda i: abs(i + (n - 1) / 2 - near))
        for extra in sorted((i for i in found if i != chosen), reverse=True)[:max(0, len(found) - times)]:
            kept = [rest for word in target[extra:extra + n] if (rest := word.replace(_core(word), "", 1))]
            target[extra:extra + n] = kept
            rows[extra:extra + n] = [list(rows[extra]) for _ in kept]
            if extra < chosen:
                chosen -= n - len(kept)
            changed = True
    else:
        garbled = _garbled(target, linked, literal)
        if garbled is not None:
            chosen, gone = garbled
        elif linked:
            chosen, gone = linked[0], 0
        else:
            after = [t for t, row in enumerate(rows) if row and _strongest(row) > max(covered)]
            chosen, gone = (after[0] if after else len(target)), 0
        target[chosen:chosen + gone] = literal
        rows[chosen:chosen + gone] = [[0.0] * sources for _ in literal]
        changed = True
    pinned = range(chosen, chosen + n)
    share = 1.0 / len(covered)
    for t, row in enumerate(rows):
        if t in pinned and len(covered) == n:  # word for word, so marks inside it keep theirs
            rows[t] = [1.0 if s == covered[t - chosen] else 0.0 for s in range(sources)]
            continue
        if t in pinned:
            rows[t] = [share if s in covered else 0.0 for s in range(sources)]
            continue
        for s in covered:
            row[s] = 0.0
        free = [s for s in range(sources) if s not in covered]
        if not any(row) and free:
            row[min(free, key=lambda s: abs(s - covered[0]))] = 1.0
    return target, rows, changed


def _garbled(target: list[str], linked: list[int], literal: list[str]) -> tuple[int, int] | None:
    """The words (first, how many) near those aligned to the mark that look most like its text,
    when they look enough like it to be a garbled rendering of it."""
    if not linked:
        return None
    wanted = " ".join(literal).lower()
    lo, hi = max(0, linked[0] - 1), min(len(target) - 1, linked[-1] + 1)
    best: tuple[float, int, int] | None = None
    for first in range(lo, hi + 1):
        for last in range(first, min(hi, first + len(literal) + REPLACEABLE_EXTRA_WORDS - 1) + 1):
            ratio = SequenceMatcher(None, " ".join(target[first:last + 1]).lower(), wanted).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, first, last - first + 1)
    if best is None or best[0] < GARBLED_SIMILARITY:
        return None
    return best[1], best[2]


def _strongest(row: Sequence[float]) -> int:
    return max(range(len(row)), key=row.__getitem__)
