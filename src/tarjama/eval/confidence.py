"""How well a translated system's confidence tracks its sentence scores against the references.

A system that this run translated carries each segment's confidence (the model's own
length-normalised probability, :mod:`tarjama.translation.confidence`). Set beside each segment's
chrF2, it tells whether the number is worth trusting on this set: the rank correlation
(Spearman's ρ), the mean chrF2 of equal-sized bins from the least to the most confident segments,
and the mean chrF2 of the segments flagged ``low_confidence`` against the others'. The same data
calibrates the threshold (docs/confidence.md).
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from tarjama.translation.confidence import LOW_CONFIDENCE_THRESHOLD

#: Equal-count bins of segments, by confidence.
CONFIDENCE_BINS = 5
# Fewer segments than this give no rank correlation worth printing.
_MIN_FOR_CORRELATION = 3


@dataclass(frozen=True)
class ConfidenceBin:
    """Segments whose confidence lies in [``low``, ``high``], and their mean sentence chrF2."""

    low: float
    high: float
    segments: int
    mean_chrf: float

    def to_record(self) -> dict[str, float | int]:
        """The JSON form."""
        return {"low": self.low, "high": self.high, "segments": self.segments,
                "mean_chrf": self.mean_chrf}


@dataclass(frozen=True)
class ConfidenceAgainstScores:
    """One system's confidence set beside its sentence chrF2 (segments without one left out).

    ``spearman`` is ``None`` with fewer than 3 segments or when either side is constant (no
    ranking to compare); ``flagged`` counts the segments below ``threshold``, and
    ``flagged_chrf``/``others_chrf`` are the two groups' mean chrF2 (``None`` for an empty group).
    """

    segments: int
    spearman: float | None
    bins: tuple[ConfidenceBin, ...]
    threshold: float
    flagged: int
    flagged_chrf: float | None
    others_chrf: float | None

    def to_record(self) -> dict[str, object]:
        """The JSON form."""
        return {"segments": self.segments, "spearman": self.spearman,
                "bins": [b.to_record() for b in self.bins],
                "low_confidence": {"threshold": self.threshold, "segments": self.flagged,
                                   "mean_chrf": self.flagged_chrf,
                                   "others_mean_chrf": self.others_chrf}}


def confidence_against_scores(confidence: Sequence[float | None], sentence_chrf: Sequence[float],
                              bins: int = CONFIDENCE_BINS,
                              threshold: float = LOW_CONFIDENCE_THRESHOLD
                              ) -> ConfidenceAgainstScores | None:
    """The comparison for one system; ``None`` when no segment has a confidence."""
    # Ordered by confidence alone (equal confidences keep the set's order, not their scores').
    pairs = sorted(((c, s) for c, s in zip(confidence, sentence_chrf, strict=True)
                    if c is not None), key=lambda pair: pair[0])
    if not pairs:
        return None
    values, scores = [c for c, _ in pairs], [s for _, s in pairs]
    flagged = [s for c, s in pairs if c < threshold]
    others = [s for c, s in pairs if c >= threshold]
    return ConfidenceAgainstScores(
        segments=len(pairs), spearman=spearman(values, scores),
        bins=tuple(ConfidenceBin(values[start], values[end - 1], end - start,
                                 round(statistics.fmean(scores[start:end]), 4))
                   for start, end in _equal_bins(len(pairs), bins)),
        threshold=threshold, flagged=len(flagged),
        flagged_chrf=round(statistics.fmean(flagged), 4) if flagged else None,
        others_chrf=round(statistics.fmean(others), 4) if others else None)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (ties get their mean rank); ``None`` when it is undefined."""
    if len(xs) < _MIN_FOR_CORRELATION:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    covariance = math.fsum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    spread = math.sqrt(math.fsum((a - mx) ** 2 for a in rx) * math.fsum((b - my) ** 2 for b in ry))
    return None if spread == 0 else round(covariance / spread, 4)


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _equal_bins(count: int, bins: int) -> list[tuple[int, int]]:
    """``bins`` slices of ``range(count)`` whose sizes differ by at most one (fewer if short)."""
    bins = min(bins, count)
    edges = [round(k * count / bins) for k in range(bins + 1)]
    return [(edges[k], edges[k + 1]) for k in range(bins)]
