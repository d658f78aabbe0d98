"""A glossary rendering the model did not copy, put over the English words aligned to it.

The rendering went into the model input in place of its term (:meth:`Glossary.protect
<tarjama.terms.glossary.Glossary.protect>`). When the output lacks it, the words of the output
aligned to the rendering's words in the input (a :class:`~tarjama.documents.placement.WordAlignment`
from the generation's cross-attention) are what the model wrote for it, and the rendering replaces
them. The words are found as documents find the words of an inline mark
(:func:`~tarjama.documents.placement.place`): both directions of the alignment, one stretch that
never overlaps another term's, a point between two words when no word is left (the rendering is
then put in there). So every rendering is in the result, whatever the alignment says; how well it
reads depends on the alignment.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from tarjama.terms.glossary import Protected

if TYPE_CHECKING:
    from tarjama.documents.placement import WordAlignment


def replace_aligned(protected: Protected, output: str, alignment: WordAlignment | None,
                    matches: Collection[int]) -> str:
    """``output`` with the rendering of each of ``matches`` (indices into ``protected.matches``)
    put over the words aligned to it in ``protected.text``; ``alignment`` is the
    :class:`~tarjama.documents.placement.WordAlignment` of the input's words to the output's
    (``None``, or one of other sizes: words linked by their position)."""
    # Imported here: tarjama.documents imports the translator, which imports this module.
    from tarjama.documents.blocks import Block, Mark
    from tarjama.documents.placement import TranslatedSpan, place

    text = output.strip()
    # Every rendering is placed, so that a copied one keeps its words from the others.
    block = Block(protected.text, tuple(Mark(start, end, k)
                                        for k, (start, end) in enumerate(protected.spans)))
    placed = place(block, [TranslatedSpan(0, len(protected.text), text, alignment)])
    result = placed.text
    # From the end, and at one point the later term first, so that each edit leaves the offsets
    # still to come as they were and terms at one point stay in source order.
    for mark in sorted(placed.marks, key=lambda m: (m.start, m.end, m.key), reverse=True):
        if mark.key in matches:
            result = _put(result, mark.start, mark.end, protected.matches[mark.key].term.english)
    return result.strip()


def _put(text: str, start: int, end: int, rendering: str) -> str:
    """``text`` with ``text[start:end]`` replaced by ``rendering``, the punctuation around the
    replaced words kept; an empty span is a point between words, where it is put in."""
    before, old, after = text[:start], text[start:end], text[end:]
    if not old:
        return (before + (" " if before and not before[-1].isspace() else "") + rendering
                + (" " if after and not after[0].isspace() else "") + after)
    lead = len(old) - len(old.lstrip(_PUNCTUATION))
    trail = len(old) - len(old.rstrip(_PUNCTUATION))
    if lead == len(old):  # nothing but punctuation: keep it all and put the rendering after
        return before + old + " " + rendering + after
    return before + old[:lead] + rendering + old[len(old) - trail:] + after


_PUNCTUATION = "\"'«»“”‘’()[]{}.,;:!?،؛؟…-–—"
