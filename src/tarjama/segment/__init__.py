"""Sentence and paragraph splitting for Arabic news, with character spans.

``split_paragraphs``, ``split_sentences`` and ``split_lines`` (text split already, a sentence a
line) never alter the text: every sentence is ``document[start:end]``. ``split_long_sentence`` cuts
a sentence that is too long for the translation model at clause boundaries; ``split_to_fit`` goes
on to cut a word that is longer than the model's limit on its own. The rules live in
:mod:`tarjama.segment.rules`; ``SEGMENTER_VERSION`` changes whenever they do, and goes into every
run's signature.
"""
from __future__ import annotations

from tarjama.segment.engine import (
    Paragraph,
    Sentence,
    split_lines,
    split_paragraphs,
    split_sentences,
)
from tarjama.segment.long import (
    FittedPieces,
    cut_to_fit,
    long_sentence_spans,
    split_long_sentence,
    split_to_fit,
)

#: Version of the splitting rules; bump it whenever a rule changes what is split.
SEGMENTER_VERSION = "1.3"

__all__ = [
    "SEGMENTER_VERSION",
    "FittedPieces",
    "Paragraph",
    "Sentence",
    "cut_to_fit",
    "long_sentence_spans",
    "split_lines",
    "split_long_sentence",
    "split_paragraphs",
    "split_sentences",
    "split_to_fit",
]
