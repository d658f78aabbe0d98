"""The text a summarization model is given: what its model card does to its input, nothing more."""
from __future__ import annotations

import re

from tarjama.normalize import normalize_for_model

_NEWLINES = re.compile(r"\n+")
_SPACES = re.compile(r"\s+")


def card_whitespace(text: str) -> str:
    """The mT5-XLSum model card's ``WHITESPACE_HANDLER``: newlines, then all runs of whitespace,
    become one space, ends stripped."""
    return _SPACES.sub(" ", _NEWLINES.sub(" ", text.strip()))


def model_input(text: str, *, reads_arabic: bool) -> str:
    """``text`` as a summarizer sees it: for one that reads Arabic, the translator's normalisation
    (:func:`tarjama.normalize.normalize_for_model`) and the card's whitespace handling."""
    if not reads_arabic:
        return text
    return card_whitespace(normalize_for_model(text))
