"""Corpus-level translation scores with sacrebleu: BLEU, chrF2, chrF2++ and TER, with signatures.

With ``n_bootstrap > 1`` each score also gets sacrebleu's 95% bootstrap interval: the mean of the
resampled scores ± half the distance between their 2.5th and 97.5th percentiles, reported as
``interval = [mean - ci, mean + ci]``. The seed is sacrebleu's (``SACREBLEU_SEED``, default 12345).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tarjama.errors import Advice, InputError
from tarjama.eval import sacrebleu_compat


@dataclass(frozen=True)
class Metric:
    """A corpus metric: tarjama's name for it, the name sacrebleu's results carry, its direction,
    and how to make a fresh sacrebleu object for it."""

    name: str
    display_name: str
    lower_is_better: bool
    make: Callable[[], Any]


def _bleu():
    from sacrebleu.metrics import BLEU

    return BLEU()


def _chrf(word_order: int = 0):
    from sacrebleu.metrics import CHRF

    return CHRF(word_order=word_order)


def _ter():
    from sacrebleu.metrics import TER

    return TER()


#: Every metric scores, tests, reports and the command line show, in their order.
METRICS: tuple[Metric, ...] = (
    Metric("bleu", "BLEU", False, _bleu),
    Metric("chrf", "chrF2", False, _chrf),
    Metric("chrf++", "chrF2++", False, lambda: _chrf(word_order=2)),
    Metric("ter", "TER", True, _ter),
)
METRIC_NAMES = tuple(metric.name for metric in METRICS)
DISPLAY_NAMES = {metric.name: metric.display_name for metric in METRICS}
LOWER_IS_BETTER = frozenset(metric.name for metric in METRICS if metric.lower_is_better)


def metric_named(name: str) -> Metric:
    """The registered metric called ``name``."""
    return next(metric for metric in METRICS if metric.name == name)
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
    return {metric.name: _typed_resamples(metric.make()) for metric in METRICS}


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
    compute = sacrebleu_compat.compute_from_statistics(metric)

    def compute_typed(stats):
        score = compute(stats)
        dtype = getattr(stats, "dtype", None)
        if dtype is not None and dtype.kind == "f" and not isinstance(score.score, dtype.type):
            score.score = dtype.type(score.score)
        return score

    sacrebleu_compat.replace_compute_from_statistics(metric, compute_typed)
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


def require_references(references: Sequence[object]) -> None:
    """Raise :class:`InputError` when no reference set is given."""
    if not references:
        raise InputError("no reference given",
                         Advice("references", "give at least one reference set ({})",
                                metavar="[lines, ...]"))


def check_alignment(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                    hypothesis_name: str = "hypotheses",
                    reference_names: Sequence[str] | None = None) -> None:
    """Raise :class:`InputError` unless every reference set has one line per hypothesis."""
    require_references(references)
    names = reference_names or [f"reference {n + 1}" for n in range(len(references))]
    for name, reference in zip(names, references, strict=True):
        if len(reference) != len(hypotheses):
            raise InputError(f"{hypothesis_name} has {len(hypotheses)} lines but {name} has "
                             f"{len(reference)}; they must be aligned line by line")


def score_corpus(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                 n_bootstrap: int = 1, metrics: dict | None = None) -> dict[str, MetricScore]:
    """Score hypotheses against one or more reference sets (each a list aligned with them).

    ``n_bootstrap > 1`` adds a 95% bootstrap interval to every score; ``metrics`` (default:
    :func:`make_metrics`) are the sacrebleu objects to score with.
    """
    check_alignment(hypotheses, references)
    scores = {}
    for name, metric in (metrics if metrics is not None else make_metrics()).items():
        result = metric.corpus_score(list(hypotheses), [list(r) for r in references],
                                     n_bootstrap=n_bootstrap)
        mean, ci = sacrebleu_compat.bootstrap_estimate(result) if n_bootstrap > 1 else (None, None)
        scores[name] = make_score(name, result.score, metric.get_signature(), mean, ci)
    return scores


@dataclass(frozen=True)
class BleuDetails:
    """What a corpus BLEU is made of: n-gram precisions (1-4, in %), brevity penalty, lengths."""

    precisions: tuple[float, ...]
    brevity_penalty: float
    hyp_len: int
    ref_len: int

    @property
    def ratio(self) -> float:
        """Hypothesis length over (effective) reference length."""
        return self.hyp_len / self.ref_len if self.ref_len else 0.0

    def to_record(self) -> dict[str, object]:
        """The JSON form."""
        return {"precisions": list(self.precisions), "brevity_penalty": self.brevity_penalty,
                "hyp_len": self.hyp_len, "ref_len": self.ref_len, "ratio": self.ratio}


def bleu_details(bleu, segment_statistics) -> BleuDetails:
    """The details of BLEU from its segment statistics (``bleu``: the sacrebleu metric)."""
    import numpy as np

    totals = np.asarray(segment_statistics, dtype="int64").sum(0)
    score = sacrebleu_compat.compute_from_statistics(bleu)(totals)
    return BleuDetails(tuple(float(p) for p in score.precisions), float(score.bp),
                       int(score.sys_len), int(score.ref_len))
