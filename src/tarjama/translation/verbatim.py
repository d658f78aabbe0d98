"""Spans of a sentence that must reach the English exactly as written: URLs and e-mail addresses.

A translation model rewrites what it is given, and a URL or address it was never trained to copy
comes out garbled. Such spans are cut out before translation and put back, in place, after it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Punctuation right after a URL usually belongs to the sentence, not to the address.
_TRAILING = ".,;:!?)]}»”\"'،؛؟"
_VERBATIM = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
)
_HAS_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Segment:
    """A stretch of a sentence: ``verbatim`` ones are copied, the others translated.

    ``spaced`` says whether whitespace separated it from the segment before, so that joining the
    outputs keeps ``(https://x.org)`` together and ``see https://x.org`` apart.
    """

    text: str
    verbatim: bool
    spaced: bool


def split_verbatim(sentence: str, keep: Sequence[tuple[int, int]] = ()) -> list[Segment]:
    """Cut ``sentence`` into translatable text and verbatim spans, in order; ``keep`` adds spans
    (start, end) to copy, such as a glossary's renderings.

    Text without a letter or digit between two spans (a bracket, a comma) is kept verbatim too:
    alone it would give the model nothing to translate.
    """
    segments: list[Segment] = []
    position = 0
    for start, end in _spans(sentence, keep):
        if start < position:
            continue
        _add(segments, sentence, position, start, verbatim=False)
        _add(segments, sentence, start, end, verbatim=True)
        position = end
    _add(segments, sentence, position, len(sentence), verbatim=False)
    return segments


def _spans(sentence: str, keep: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = list(keep)
    for match in _VERBATIM.finditer(sentence):
        end = match.end()
        while end > match.start() and sentence[end - 1] in _TRAILING:
            end -= 1
        spans.append((match.start(), end))
    return sorted(spans)


def join_segments(segments: list[Segment], outputs: list[str]) -> str:
    """Put the outputs of the segments (one each, in order) back together."""
    text = ""
    for segment, output in zip(segments, outputs, strict=True):
        text += (" " if text and segment.spaced else "") + output
    return text


def _add(segments: list[Segment], sentence: str, start: int, end: int, *, verbatim: bool) -> None:
    raw = sentence[start:end]
    text = raw.strip()
    if not text:
        return
    spaced = bool(segments) and (raw[0].isspace() or (start > 0 and sentence[start - 1].isspace()))
    segments.append(Segment(text, verbatim or not _HAS_WORD.search(text), spaced))
