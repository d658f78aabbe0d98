"""How sure the model was of each translation: its own length-normalised log-probability.

Each output is scored by the model that wrote it, reading the source and forced through the output
(:meth:`~tarjama.backends.base.Seq2SeqBackend.generate_detailed` with ``targets``): the mean
log-probability of its tokens and the end of sentence. ``confidence`` is its exponential, the
geometric mean of the token probabilities, between 0 and 1. A sentence translated in pieces (cut
at clauses, or around a URL) takes the token-weighted mean over its pieces. What it means and what
it does not: docs/confidence.md.

Off by default (``TranslatorSettings(confidence=True)``): scoring with
CTranslate2's ``score_batch`` took 11 times as long as the translation itself on the benchmark's
model (182 s against 16 s for 16 sentences, 2.9 GB) — see docs/confidence.md.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

#: The flag of a sentence whose confidence is below :data:`LOW_CONFIDENCE_THRESHOLD`.
LOW_CONFIDENCE = "low_confidence"
#: A geometric-mean token probability of 0.4 is a mean log-probability of -0.92 per token. See
#: docs/confidence.md for the reasoning and why it is provisional: tarjama could not yet measure
#: the real models' scores here (no weights offline).
LOW_CONFIDENCE_THRESHOLD = 0.4

Score = tuple[float, int]
"""A piece's mean log-probability and how many tokens it was taken over."""


def combine(scores: Sequence[Score]) -> float | None:
    """The confidence of a sentence from the scores of its pieces; ``None`` without any."""
    tokens = sum(n for _, n in scores)
    if not tokens:
        return None
    return round(math.exp(sum(score * n for score, n in scores) / tokens), 4)


def is_low(confidence: float | None) -> bool:
    """Whether ``confidence`` is below the threshold (``None``, not translated, is not)."""
    return confidence is not None and confidence < LOW_CONFIDENCE_THRESHOLD


def scored(details: Iterable[tuple[float, int]]) -> list[Score]:
    """Scores as :data:`Score` pairs: each output's tokens plus its end of sentence."""
    return [(score, tokens + 1) for score, tokens in details]
