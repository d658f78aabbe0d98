"""An evaluation run: several systems scored on one reference set, compared with the first.

Usage::

    from tarjama.eval import evaluate_systems, load_reference_set
    refset = load_reference_set("flores200-devtest/manifest.json")
    run = evaluate_systems(refset, {"opus-mt": hyps_a, "mine": hyps_b})
    run.results[1].paired["chrf"].p_bootstrap
    run.to_record()                       # everything, as written to results.json
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from tarjama import env
from tarjama._checks import checked
from tarjama._tables import data_frame
from tarjama._version import __version__
from tarjama.errors import Advice, InputError
from tarjama.eval.buckets import DEFAULT_BUCKET_EDGES, Bucket, length_buckets
from tarjama.eval.metrics import (
    DEFAULT_BOOTSTRAP,
    DISPLAY_NAMES,
    METRIC_NAMES,
    MetricScore,
    check_alignment,
    metric_named,
    score_corpus,
)
from tarjama.eval.refsets import ReferenceSet
from tarjama.eval.significance import DEFAULT_AR_TRIALS, PairedResult, TestProgress, paired_tests

if TYPE_CHECKING:
    from tarjama.translation import Translator
    from tarjama.translation.translator import ProgressCallback

WORST_COUNT = 20
BUCKET_METRICS = ("bleu", "chrf")
SCORE_COLUMNS = ("system", "metric", "score", "low", "high", "difference", "p_bootstrap", "p_ar",
                 "significant")


@dataclass(frozen=True, repr=False)
class System:
    """A system's output on a set. ``signature`` and ``flags`` are set when this run translated.

    ``flags`` holds the integrity-guard flags of every segment, as the translator reported them
    (all empty when it reported none).
    """

    name: str
    hypotheses: tuple[str, ...]
    signature: str | None = None
    flags: tuple[tuple[str, ...], ...] | None = None

    @property
    def translated(self) -> bool:
        """Whether this run produced the output (rather than reading it from a file)."""
        return self.signature is not None

    def __repr__(self) -> str:
        return (f"System({self.name!r}, {len(self.hypotheses)} segments, "
                f"{'translated' if self.translated else 'read from a file'})")


@dataclass(frozen=True)
class BucketScore:
    """Corpus BLEU and chrF2 of one system on the segments of one length bucket."""

    label: str
    segments: int
    scores: dict[str, float]


@dataclass(frozen=True)
class WorstSentence:
    """A segment where a system scored low, with what it was compared against."""

    line: int
    doc_id: str | None
    chrf: float
    source: str | None
    references: tuple[str, ...]
    hypothesis: str

    def to_record(self) -> dict[str, object]:
        """The JSON form."""
        return {"line": self.line, "doc_id": self.doc_id, "chrf": self.chrf,
                "source": self.source, "references": list(self.references),
                "hypothesis": self.hypothesis}


def translate_system(translator: Translator, sources: Sequence[str], name: str | None = None,
                     progress: ProgressCallback | None = None) -> System:
    """Translate a reference set's sources into a :class:`System` to score, one segment each.

    ``name`` defaults to the translator's model; ``progress(done, total)`` follows the work.
    The system carries the translator's signature and integrity-guard flags.
    """
    outputs = translator.translate_sentences_flagged(list(sources), progress)
    return System(name or translator.backend.source.label, tuple(text for text, _ in outputs),
                  translator.signature, tuple(tuple(flags) for _, flags in outputs))


@dataclass(frozen=True, repr=False)
class SystemResult:
    """Everything measured for one system. ``paired`` is None for the baseline (the first)."""

    system: System
    scores: dict[str, MetricScore]
    paired: dict[str, PairedResult] | None
    sentence_chrf: tuple[float, ...]
    by_length: tuple[BucketScore, ...]
    by_document: tuple[tuple[str, float], ...] = ()

    def __repr__(self) -> str:
        scores = ", ".join(f"{DISPLAY_NAMES[name]} {score.score:.2f}"
                           for name, score in self.scores.items())
        return f"SystemResult({self.system.name!r}, {scores})"


@dataclass(frozen=True, repr=False)
class EvalRun:
    """The outcome of :func:`evaluate_systems`.

    In a notebook it shows the scores table with intervals and p-values; ``to_records()`` and
    ``to_pandas()`` give one row per system and metric.
    """

    refset: ReferenceSet
    results: tuple[SystemResult, ...]
    buckets: tuple[Bucket, ...]
    length_measure: str
    n_bootstrap: int
    n_trials: int
    seed: str = field(default="12345")

    @property
    def baseline(self) -> SystemResult:
        """The first system, against which the others are tested."""
        return self.results[0]

    def worst_sentences(self, system: int, count: int = WORST_COUNT) -> list[WorstSentence]:
        """The ``count`` segments with the lowest sentence chrF2 for ``results[system]``."""
        result = self.results[system]
        order = sorted(range(len(self.refset)), key=lambda i: (result.sentence_chrf[i], i))
        refset = self.refset
        return [WorstSentence(
            line=i + 1,
            doc_id=refset.doc_ids[i] if refset.doc_ids else None,
            chrf=result.sentence_chrf[i],
            source=refset.sources[i] if refset.sources is not None else None,
            references=tuple(r[i] for r in refset.references),
            hypothesis=result.system.hypotheses[i]) for i in order[:count]]

    def to_records(self) -> list[dict[str, object]]:
        """One plain record per system and metric: the score, its 95% interval (``low``,
        ``high``; None without bootstrap) and, but for the baseline, the difference to it and
        the p-values."""
        records: list[dict[str, object]] = []
        for result in self.results:
            for name, score in result.scores.items():
                paired = result.paired[name] if result.paired is not None else None
                low, high = score.interval if score.interval is not None else (None, None)
                records.append({
                    "system": result.system.name, "metric": DISPLAY_NAMES[name],
                    "score": score.score, "low": low, "high": high,
                    "difference": paired.difference if paired else None,
                    "p_bootstrap": paired.p_bootstrap if paired else None,
                    "p_ar": paired.p_ar if paired else None,
                    "significant": paired.significant if paired else None})
        return records

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per system and metric (needs pandas)."""
        return data_frame(self.to_records(), SCORE_COLUMNS)

    def __repr__(self) -> str:
        names = [result.system.name for result in self.results]
        return (f"EvalRun({self.refset!r}, systems={names!r}, bootstrap={self.n_bootstrap}, "
                f"trials={self.n_trials})")

    def _repr_html_(self) -> str:
        from tarjama.eval.report import notebook_html

        return notebook_html(self)

    def scores_record(self) -> dict[str, object]:
        """The compact JSON the command line writes for ``eval`` in JSON format.

        One system: ``{"bleu": {...}, "chrf": ..., "chrf++": ..., "ter": ...}``. Several: the
        same per system under ``"systems"``, each metric with its p-values against the baseline.
        """
        if len(self.results) == 1:
            return {name: score.to_record() for name, score in self.baseline.scores.items()}
        return {"set": self.refset.name, "segments": len(self.refset),
                "baseline": self.baseline.system.name,
                "systems": [{"name": r.system.name, **self._metric_records(r)}
                            for r in self.results]}

    @staticmethod
    def _metric_records(result: SystemResult) -> dict[str, dict[str, object]]:
        records: dict[str, dict[str, object]] = {}
        for name, score in result.scores.items():
            record = score.to_record()
            if result.paired is not None:
                paired = result.paired[name]
                record.update(p_bootstrap=paired.p_bootstrap, p_ar=paired.p_ar)
            records[name] = record
        return records

    def to_record(self) -> dict[str, object]:
        """Everything the run measured, as written to ``results.json``."""
        refset = self.refset
        return {
            "tarjama": __version__,
            "set": {"name": refset.name, "segments": len(refset),
                    "references": len(refset.references), "has_source": refset.sources is not None,
                    "documents": len(refset.documents) or None},
            "bootstrap": {"resamples": self.n_bootstrap, "seed": self.seed},
            "approximate_randomization": {"trials": self.n_trials if len(self.results) > 1 else 0},
            "baseline": self.baseline.system.name,
            "metrics": {name: DISPLAY_NAMES[name] for name in METRIC_NAMES},
            "length_buckets": {"measure": self.length_measure,
                               "buckets": [{"label": b.label, "min_words": b.low,
                                            "max_words": b.high, "segments": len(b.indices)}
                                           for b in self.buckets]},
            "systems": [self._system_record(index) for index in range(len(self.results))],
        }

    def _system_record(self, index: int) -> dict[str, object]:
        result = self.results[index]
        system = result.system
        paired = result.paired
        chrf = result.sentence_chrf
        return {
            "name": system.name,
            "translated_by": system.signature,
            "scores": {name: score.to_record() for name, score in result.scores.items()},
            "significance": ({name: p.to_record() for name, p in paired.items()}
                             if paired is not None else None),
            "by_length": [{"label": b.label, "segments": b.segments, **b.scores}
                          for b in result.by_length],
            "sentence_chrf": {"mean": round(statistics.fmean(chrf), 4),
                              "median": round(statistics.median(chrf), 4),
                              "scores": list(chrf)},
            "by_document": [{"doc_id": d, "chrf": s} for d, s in result.by_document] or None,
            "worst_sentences": [w.to_record() for w in self.worst_sentences(index)],
            "integrity_flags": flag_summary(system),
        }


class FlagSummary(TypedDict):
    """How often each integrity-guard flag was raised, and on which lines (1-based)."""

    counts: dict[str, int]
    flagged_lines: list[int]


def flag_summary(system: System) -> FlagSummary | None:
    """Flag counts and flagged lines of a translated system; None when it was not translated."""
    if not system.translated:
        return None
    flags = system.flags or ()
    counts: dict[str, int] = {}
    for segment_flags in flags:
        for flag in segment_flags:
            counts[flag] = counts.get(flag, 0) + 1
    return {"counts": counts,
            "flagged_lines": [n + 1 for n, segment_flags in enumerate(flags) if segment_flags]}


def _as_systems(systems: Sequence[System] | Mapping[str, Sequence[str]]) -> tuple[System, ...]:
    if isinstance(systems, Mapping):
        return tuple(System(name, tuple(hyps)) for name, hyps in systems.items())
    return tuple(systems)


@checked
def evaluate_systems(refset: ReferenceSet,
                     systems: Sequence[System] | Mapping[str, Sequence[str]], *,
                     n_bootstrap: int = DEFAULT_BOOTSTRAP, n_trials: int = DEFAULT_AR_TRIALS,
                     bucket_edges: Sequence[int] = DEFAULT_BUCKET_EDGES,
                     progress: TestProgress | None = None) -> EvalRun:
    """Score every system on ``refset``; test each against the first one.

    ``systems`` is a mapping of name to hypotheses, or a sequence of :class:`System`. Scores get
    95% bootstrap intervals from ``n_bootstrap`` resamples (none below 2); with several systems,
    p-values come from sacrebleu's paired bootstrap and approximate randomization (``n_trials``),
    whose progress goes to ``progress`` (see :data:`~tarjama.eval.significance.TestProgress`).
    """
    chosen = _as_systems(systems)
    if not chosen:
        raise InputError("no system to evaluate",
                         Advice("systems", "give at least one ({})", metavar="{NAME: HYPOTHESES}"))
    references = [list(r) for r in refset.references]
    for system in chosen:
        check_alignment(system.hypotheses, references, system.name,
                        [f"{refset.name} reference {n + 1}" for n in range(len(references))])
    if len(chosen) == 1:
        scores: tuple[dict[str, MetricScore], ...] = (
            score_corpus(chosen[0].hypotheses, references, n_bootstrap),)
        paired: tuple[dict[str, PairedResult] | None, ...] = (None,)
    else:
        outcome = paired_tests([(s.name, s.hypotheses) for s in chosen], references,
                               n_bootstrap, n_trials, progress)
        scores = outcome.scores
        paired = (None, *outcome.paired[1:])
    measured = refset.sources if refset.sources is not None else refset.references[0]
    buckets = length_buckets(measured, bucket_edges)
    results = tuple(
        SystemResult(system, system_scores, system_paired,
                     _sentence_chrf(system.hypotheses, references),
                     _bucket_scores(system.hypotheses, references, buckets),
                     _document_chrf(system.hypotheses, references, refset))
        for system, system_scores, system_paired in zip(chosen, scores, paired, strict=True))
    return EvalRun(refset, results, buckets,
                   "source words" if refset.sources is not None else "reference words",
                   n_bootstrap, n_trials if len(chosen) > 1 else 0,
                   env.sacrebleu_seed())


def _sentence_chrf(hypotheses: Sequence[str],
                   references: Sequence[Sequence[str]]) -> tuple[float, ...]:
    chrf = metric_named("chrf").make()
    return tuple(round(chrf.sentence_score(h, [r[i] for r in references]).score, 4)
                 for i, h in enumerate(hypotheses))


def _subset_score(metric, hypotheses, references, indices) -> float:
    return round(metric.corpus_score([hypotheses[i] for i in indices],
                                     [[r[i] for i in indices] for r in references]).score, 4)


def _bucket_scores(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                   buckets: Sequence[Bucket]) -> tuple[BucketScore, ...]:
    metrics = {name: metric_named(name).make() for name in BUCKET_METRICS}
    return tuple(BucketScore(b.label, len(b.indices),
                             {name: _subset_score(metrics[name], hypotheses, references, b.indices)
                              for name in BUCKET_METRICS})
                 for b in buckets)


def _document_chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                   refset: ReferenceSet) -> tuple[tuple[str, float], ...]:
    chrf = metric_named("chrf").make()
    return tuple((d.doc_id, _subset_score(chrf, hypotheses, references, range(d.start, d.end)))
                 for d in refset.documents)
