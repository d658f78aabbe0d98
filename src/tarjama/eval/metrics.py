"""Corpus-level translation scores with sacrebleu: BLEU, chrF2, chrF2++ and TER, with signatures.

With ``n_bootstrap > 1`` each score also gets sacrebleu's 95% bootstrap interval: the mean of the
resampled scores ± half the distance between their 2.5th and 97.5th percentiles, reported as
``interval = [mean - ci, mean + ci]``. The seed is sacrebleu's (``SACREBLEU_SEED``, default 12345).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tarjama.errors import InputError

METRIC_NAMES = ("bleu", "chrf", "chrf++", "ter")
DISPLAY_NAMES = {"bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER"}
LOWER_IS_BETTER = frozenset({"ter"})
DEFAULT_BOOTSTRAP = 1000
DECIMALS = 4


@dataclass(frozen=True)
class MetricScore:
    """One corpus score and the sacrebleu signature that reproduces it.

    ``interval`` (95%, bootstrap), ``mean`` (of the resamples) and ``interval_signature`` (the
    signature with sacrebleu's ``bs`` and ``seed``) are set when the score was bootstrapped.
    """

    name: str
    score: float
    signature: str
    interval: tuple[float, float] | None = None
    mean: float | None = None
    interval_signature: str | None = None

    def to_record(self) -> dict[str, object]:
        """The JSON form: ``{"score", "signature"}``, plus the interval when there is one."""
        record: dict[str, object] = {"score": self.score, "signature": self.signature}
        if self.interval is not None:
            record.update(interval=list(self.interval), mean=self.mean,
                          interval_signature=self.interval_signature)
        return record


def make_metrics() -> dict:
    """Fresh sacrebleu metric objects, keyed by tarjama's metric names, safe to resample."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    metrics = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
    return {name: _typed_resamples(metric) for name, metric in metrics.items()}


def _typed_resamples(metric):
    """``metric``, its resampled scores all of the resampled statistics' type (numpy float32).

    sacrebleu's bootstrap and paired tests score numpy float32 statistics, and most scores come
    out float32; but a resample whose statistics are degenerate, as when it holds only empty
    hypotheses or references (TER's zero reference length, chrF's or BLEU's zero counts), gets a
    constant Python float (0.0, 100.0). ``statistics.mean`` in sacrebleu's ``estimate_ci`` then
    raises ``TypeError: don't know how to coerce float and float32``. Giving those constants the
    statistics' type (exact for them) leaves every value and sacrebleu's arithmetic unchanged.
    The actual score, from Python ints, is left as sacrebleu computes it.
    """
    compute = metric._compute_score_from_stats

    def compute_typed(stats):
        score = compute(stats)
        dtype = getattr(stats, "dtype", None)
        if dtype is not None and dtype.kind == "f" and not isinstance(score.score, dtype.type):
            score.score = dtype.type(score.score)
        return score

    metric._compute_score_from_stats = compute_typed
    return metric


def plain_signature(signature) -> str:
    """A sacrebleu signature without its resampling keys: what reproduces the score itself."""
    info = dict(signature.info)
    for key in ("bs", "ar", "seed"):
        signature.update(key, None)
    text = str(signature)
    signature.info.update(info)
    return text


def make_score(name: str, score: float, signature, mean: float | None = None,
               ci: float | None = None) -> MetricScore:
    """A :class:`MetricScore` from sacrebleu's numbers (``ci`` is the interval's half-width)."""
    if mean is None or ci is None:
        return MetricScore(name, round(score, DECIMALS), plain_signature(signature))
    interval = (round(float(mean - ci), DECIMALS), round(float(mean + ci), DECIMALS))
    return MetricScore(name, round(score, DECIMALS), plain_signature(signature), interval,
                       round(float(mean), DECIMALS), str(signature))


def check_alignment(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                    hypothesis_name: str = "hypotheses",
                    reference_names: Sequence[str] | None = None) -> None:
    """Raise :class:`InputError` unless every reference set has one line per hypothesis."""
    if not references:
        raise InputError("no reference given; pass at least one --ref FILE")
    names = reference_names or [f"reference {n + 1}" for n in range(len(references))]
    for name, reference in zip(names, references, strict=True):
        if len(reference) != len(hypotheses):
            raise InputError(f"{hypothesis_name} has {len(hypotheses)} lines but {name} has "
                             f"{len(reference)}; they must be aligned line by line")


def score_corpus(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                 n_bootstrap: int = 1) -> dict[str, MetricScore]:
    """Score hypotheses against one or more reference sets (each a list aligned with them).

    ``n_bootstrap > 1`` adds a 95% bootstrap interval to every score.
    """
    check_alignment(hypotheses, references)
    scores = {}
    for name, metric in make_metrics().items():
        result = metric.corpus_score(list(hypotheses), [list(r) for r in references],
                                     n_bootstrap=n_bootstrap)
        bootstrapped = n_bootstrap > 1
        scores[name] = make_score(name, result.score, metric.get_signature(),
                                  result._mean if bootstrapped else None,
                                  result._ci if bootstrapped else None)
    return scores
