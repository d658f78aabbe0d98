"""Scores per document, and a bootstrap that resamples documents instead of sentences.

News comes in documents, and a document's sentences are not independent: one hard article (a name
the system gets wrong in every sentence, a topic it knows badly) moves many sentences together. The
sentence bootstrap treats them as independent and so gives intervals that are too narrow; drawing
whole documents keeps that dependence (a block bootstrap), and its interval is the honest one.

The arithmetic is sacrebleu's, with documents in place of segments: each document's sufficient
statistics are the sum of its segments', resamples draw ``len(documents)`` documents with
replacement from sacrebleu's seed, the interval is ``estimate_ci`` (mean ± half the 2.5-97.5
percentile range) and the paired p-value is sacrebleu's paired bootstrap. With one segment per
document it gives sacrebleu's sentence-level numbers exactly (a test checks it).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tarjama.eval import sacrebleu_compat
from tarjama.eval.metrics import DECIMALS
from tarjama.eval.refsets import Document


@dataclass(frozen=True)
class DocumentInterval:
    """A metric's document-bootstrap estimate for one system (``p_value`` against the baseline,
    None for the baseline)."""

    mean: float
    interval: tuple[float, float]
    p_value: float | None

    def to_record(self) -> dict[str, object]:
        return {"mean": self.mean, "interval": list(self.interval), "p_value": self.p_value}


def _seed(seed: str) -> int | None:
    return None if seed.lower() == "none" else int(seed)


def document_statistics(segment_statistics, documents: Sequence[Document]):
    """Each document's sufficient statistics: the sum of its segments' (a float64 array)."""
    import numpy as np

    stats = np.asarray(segment_statistics, dtype="float64")
    return np.add.reduceat(stats, [d.start for d in documents], axis=0)


def document_scores(metrics: Mapping[str, object], segment_statistics: Mapping[str, object],
                    documents: Sequence[Document]) -> list[dict[str, float]]:
    """Every metric's score on each document, from the segments' statistics."""
    per_metric = {name: document_statistics(segment_statistics[name], documents)
                  for name in metrics}
    computes = {name: sacrebleu_compat.compute_from_statistics(metric)
                for name, metric in metrics.items()}
    return [{name: round(float(computes[name](per_metric[name][index]).score), DECIMALS)
             for name in metrics} for index in range(len(documents))]


def document_bootstrap(metrics: Mapping[str, object],
                       systems: Sequence[Mapping[str, object]], documents: Sequence[Document],
                       n_samples: int, seed: str) -> list[dict[str, DocumentInterval]]:
    """Resample documents ``n_samples`` times: every system's interval per metric and, but for
    the first, the paired bootstrap p-value against the first.

    ``systems`` holds, per system, each metric's segment statistics (as sacrebleu extracts them).
    """
    import numpy as np
    from sacrebleu.significance import estimate_ci

    rng = np.random.default_rng(_seed(seed))
    indices = rng.choice(len(documents), size=(n_samples, len(documents)), replace=True)
    outcome: list[dict[str, DocumentInterval]] = [{} for _ in systems]
    for name, metric in metrics.items():
        compute = sacrebleu_compat.compute_from_statistics(metric)
        actual, resampled = [], []
        for system in systems:
            stats = document_statistics(system[name], documents)
            actual.append(float(compute(stats.sum(0)).score))
            # float32 as sacrebleu's resampling does, so one segment per document gives its numbers.
            stats32 = stats.astype("float32")
            resampled.append(np.array([compute(sample.sum(0)).score for sample in stats32[indices]]))
        for index, scores in enumerate(resampled):
            mean, ci = estimate_ci(scores)
            p_value = None
            if index > 0:
                difference = abs(actual[index] - actual[0])
                sample_differences = np.abs(scores - resampled[0])
                centred = sample_differences - sample_differences.mean()
                p_value = (int(np.sum(centred > difference)) + 1) / (len(centred) + 1)
            outcome[index][name] = DocumentInterval(
                round(float(mean), DECIMALS),
                (round(float(mean - ci), DECIMALS), round(float(mean + ci), DECIMALS)), p_value)
    return outcome
