"""Corpus-level translation scores with sacrebleu: BLEU, chrF2, chrF2++ and TER, with signatures."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from tarjama.errors import InputError

METRIC_NAMES = ("bleu", "chrf", "chrf++", "ter")


@dataclass(frozen=True)
class MetricScore:
    """One corpus score and the sacrebleu signature that reproduces it."""

    name: str
    score: float
    signature: str

    def to_record(self) -> dict[str, object]:
        """The JSON form: ``{"score": ..., "signature": ...}``."""
        return {"score": self.score, "signature": self.signature}


def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}


def check_alignment(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                    hypothesis_name: str = "hypotheses",
                    reference_names: Sequence[str] | None = None) -> None:
    """Raise :class:`InputError` unless every reference set has one line per hypothesis."""
    if not references:
        raise InputError("no reference given; pass at least one --ref FILE")
    names = reference_names or [f"reference {n + 1}" for n in range(len(references))]
    for name, reference in zip(names, references):
        if len(reference) != len(hypotheses):
            raise InputError(f"{hypothesis_name} has {len(hypotheses)} lines but {name} has "
                             f"{len(reference)}; they must be aligned line by line")


def score_corpus(hypotheses: Sequence[str],
                 references: Sequence[Sequence[str]]) -> dict[str, MetricScore]:
    """Score hypotheses against one or more reference sets (each a list aligned with them)."""
    check_alignment(hypotheses, references)
    scores = {}
    for name, metric in _metrics().items():
        result = metric.corpus_score(list(hypotheses), [list(r) for r in references])
        scores[name] = MetricScore(name, round(result.score, 4), str(metric.get_signature()))
    return scores
