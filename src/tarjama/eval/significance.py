"""Paired significance tests against a baseline system, with sacrebleu's ``PairedTest``.

Two tests, as sacrebleu's own paired tests run them: paired bootstrap resampling
(which also gives every system's 95% interval) and approximate randomization. Both use sacrebleu's
seed (``SACREBLEU_SEED``, default 12345), so a run is reproducible.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tarjama.eval import sacrebleu_compat
from tarjama.eval.metrics import DECIMALS, METRIC_NAMES, METRICS, MetricScore, make_metrics, make_score

DEFAULT_AR_TRIALS = 10000
SIGNIFICANCE_LEVEL = 0.05
#: The two tests, as named to a :data:`TestProgress` callback.
BOOTSTRAP = "paired bootstrap"
RANDOMIZATION = "approximate randomization"

TestProgress = Callable[[str, int, int], None]
"""Called as ``progress(test, done, total)`` (``test``: :data:`BOOTSTRAP` or
:data:`RANDOMIZATION`) with counts of resamples (or trials) scored, over all systems and metrics."""


@dataclass(frozen=True)
class PairedResult:
    """A system's p-values against the baseline for one metric (None: that test was not run).

    ``difference`` is the system's score minus the baseline's.
    """

    metric: str
    difference: float
    p_bootstrap: float | None
    p_ar: float | None
    bootstrap_signature: str | None = None
    ar_signature: str | None = None

    @property
    def significant(self) -> bool:
        """Whether the scores differ and every test that ran puts p below the 0.05 level.

        sacrebleu gives a system compared with itself p = 1/(n+1), since no resample beats a
        difference of zero; a zero difference is never significant here.
        """
        values = [p for p in (self.p_bootstrap, self.p_ar) if p is not None]
        return (self.difference != 0 and bool(values)
                and all(p < SIGNIFICANCE_LEVEL for p in values))

    def to_record(self) -> dict[str, object]:
        """The JSON form."""
        return {"difference": self.difference, "p_bootstrap": self.p_bootstrap, "p_ar": self.p_ar,
                "significant": self.significant, "bootstrap_signature": self.bootstrap_signature,
                "ar_signature": self.ar_signature}


@dataclass(frozen=True)
class PairedOutcome:
    """Scores of every system (intervals when bootstrapped) and p-values of all but the first."""

    scores: tuple[dict[str, MetricScore], ...]
    paired: tuple[dict[str, PairedResult], ...]


def remembering_metrics() -> dict:
    """Fresh metrics (see :func:`~tarjama.eval.metrics.make_metrics`) that extract each system's
    segment statistics once, for every test and analysis of one reference set."""
    return {name: _remembering_statistics(metric) for name, metric in make_metrics().items()}


def segment_statistics(metric, hypotheses: Sequence[str], references: Sequence[Sequence[str]]):
    """A metric's statistics of every segment (remembered by a :func:`remembering_metrics` metric)."""
    return sacrebleu_compat.extract_statistics(metric)(list(hypotheses),
                                                       [list(r) for r in references])


def _remembering_statistics(metric):
    """``metric``, extracting each system's segment statistics only once.

    PairedTest extracts them afresh for every test and every system; for TER that is seconds per
    system, most of a run. Only valid while the references stay the same.
    """
    extract = sacrebleu_compat.extract_statistics(metric)
    memo: dict[tuple[str, ...], object] = {}

    def extract_once(hypotheses, references):
        key = tuple(hypotheses)
        if key not in memo:
            memo[key] = extract(hypotheses, references)
        return memo[key]

    sacrebleu_compat.replace_extract_statistics(metric, extract_once)
    return metric


def _run(test_type: str, systems: list[tuple[str, Sequence[str]]], references: list[list[str]],
         metrics: dict, n_samples: int, progress: TestProgress | None):
    from sacrebleu.significance import PairedTest

    # One PairedTest per metric, to report progress between them: each draws its resamples from
    # the same seed for every metric, so the results are those of one PairedTest for all.
    test = BOOTSTRAP if test_type == "bs" else RANDOMIZATION
    # The bootstrap also resamples the baseline, for its interval.
    per_metric = n_samples * (len(systems) if test_type == "bs" else len(systems) - 1)
    total = per_metric * len(metrics)
    signatures, results = {}, {}
    for done, metric in enumerate(METRICS):
        if progress:
            progress(test, done * per_metric, total)
        metric_signatures, metric_results = PairedTest(
            systems, {metric.name: metrics[metric.name]}, references, test_type=test_type,
            n_samples=n_samples)()
        # PairedTest keys its results by the name sacrebleu's scores carry: the display name.
        signatures[metric.name] = metric_signatures[metric.display_name]
        results[metric.name] = metric_results[metric.display_name]
    if progress:
        progress(test, total, total)
    return signatures, results


def paired_tests(systems: Sequence[tuple[str, Sequence[str]]],
                 references: Sequence[Sequence[str]], n_bootstrap: int,
                 n_trials: int = DEFAULT_AR_TRIALS,
                 progress: TestProgress | None = None, metrics: dict | None = None) -> PairedOutcome:
    """Compare every system with the first: paired bootstrap (``n_bootstrap`` resamples, skipped
    below 2) and approximate randomization (``n_trials``, skipped below 1).

    ``progress`` is told how far each test has come (see :data:`TestProgress`); ``metrics`` are
    :func:`remembering_metrics` to share with other analyses of the same references."""
    named: list[tuple[str, Sequence[str]]] = [(name, list(hyps)) for name, hyps in systems]
    refs = [list(r) for r in references]
    metrics = metrics if metrics is not None else remembering_metrics()
    bs = _run("bs", named, refs, metrics, n_bootstrap, progress) if n_bootstrap > 1 else None
    ar = _run("ar", named, refs, metrics, n_trials, progress) if n_trials > 0 else None
    if bs is None and ar is None:
        raise ValueError("paired_tests needs n_bootstrap > 1 or n_trials > 0")
    scores: list[dict[str, MetricScore]] = []
    paired: list[dict[str, PairedResult]] = []
    for index in range(len(named)):
        system_scores = {}
        system_paired = {}
        for name in METRIC_NAMES:
            if bs is not None:
                result = bs[1][name][index]
                system_scores[name] = make_score(name, result.score, bs[0][name], result.mean,
                                                 result.ci)
            elif ar is not None:  # always, when bs is None (checked above)
                system_scores[name] = make_score(name, ar[1][name][index].score, ar[0][name])
            system_paired[name] = PairedResult(
                name,
                round(system_scores[name].score - scores[0][name].score, DECIMALS) if scores
                else 0.0,
                bs[1][name][index].p_value if bs else None,
                ar[1][name][index].p_value if ar else None,
                str(bs[0][name]) if bs else None,
                str(ar[0][name]) if ar else None)
        scores.append(system_scores)
        paired.append(system_paired)
    return PairedOutcome(tuple(scores), tuple(paired))
