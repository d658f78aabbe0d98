"""How sure the model was of each translation: its own length-normalised log-probability.

Each output is scored by the generation that wrote it (:meth:`~tarjama.backends.base.
Seq2SeqBackend.generate_scored`): the mean log-probability of its tokens and the end of sentence,
each token's probability as the search saw it. ``confidence`` is its exponential, the geometric
mean of the token probabilities, between 0 and 1. A sentence translated in pieces (cut at clauses,
or around a URL) takes the token-weighted mean over its pieces; a retried one, its retry's. The
score is stored beside the translation in the cache, so a cached sentence keeps it. Taking it from
the generation costs next to nothing, so every translated sentence has one by default. What it
means and what it does not: docs/confidence.md.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

#: The flag of a sentence whose confidence is below :data:`LOW_CONFIDENCE_THRESHOLD`.
LOW_CONFIDENCE = "low_confidence"
#: A geometric-mean token probability of 0.4 is a mean log-probability of -0.92 per token. Not
#: calibrated: tarjama could not yet measure the real models' scores here (no weights offline);
#: see docs/confidence.md for the reasoning.
LOW_CONFIDENCE_THRESHOLD = 0.4

Score = tuple[float, int]
"""A piece's mean log-probability and how many tokens it was taken over (the end of sentence
included)."""


def combine(scores: Sequence[Score]) -> float | None:
    """The confidence of a sentence from the scores of its pieces; ``None`` without any."""
    return None if total_tokens(scores) == 0 else round(math.exp(mean(scores)[0]), 4)


def mean(scores: Sequence[Score]) -> Score:
    """The token-weighted mean of ``scores``, over all their tokens (a text joined from pieces)."""
    tokens = total_tokens(scores)
    return (sum(score * n for score, n in scores) / tokens if tokens else 0.0), tokens


def total_tokens(scores: Sequence[Score]) -> int:
    """How many tokens ``scores`` are taken over together."""
    return sum(n for _, n in scores)


def is_low(confidence: float | None) -> bool:
    """Whether ``confidence`` is below the threshold (``None``, not translated, is not)."""
    return confidence is not None and confidence < LOW_CONFIDENCE_THRESHOLD
