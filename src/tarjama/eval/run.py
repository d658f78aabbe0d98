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
from typing import TYPE_CHECKING, Any

from tarjama import env
from tarjama._checks import checked
from tarjama._tables import data_frame
from tarjama._version import __version__
from tarjama.errors import Advice, InputError
from tarjama.eval import sacrebleu_compat
from tarjama.eval.analysis import Analysis, analyse
from tarjama.eval.buckets import DEFAULT_BUCKET_EDGES, Bucket, length_buckets
from tarjama.eval.confidence import ConfidenceAgainstScores, confidence_against_scores
from tarjama.eval.documents import DocumentInterval, document_bootstrap, document_scores
from tarjama.eval.metrics import (
    DEFAULT_BOOTSTRAP,
    DISPLAY_NAMES,
    METRIC_NAMES,
    BleuDetails,
    MetricScore,
    bleu_details,
    check_alignment,
    score_corpus,
)
from tarjama.eval.neural import NeuralMetric, NeuralScore
from tarjama.eval.neural import score_systems as score_neural
from tarjama.eval.refsets import ReferenceSet
from tarjama.eval.significance import (
    DEFAULT_AR_TRIALS,
    PairedResult,
    TestProgress,
    paired_tests,
    remembering_metrics,
    segment_statistics,
)
from tarjama.eval.systems import System, flag_summary

if TYPE_CHECKING:
    from tarjama.translation import Translator
    from tarjama.translation.translator import ProgressCallback

WORST_COUNT = 20
#: The layout of the JSON records (``scores_record``, ``to_record``), in their ``format`` field.
#: 2: ``scores_record`` puts every system's metrics under ``systems[i]["metrics"]``, analyses
#: apart. Records without the field are layout 1 (one system: its metrics at the top level).
JSON_FORMAT = 2
BUCKET_METRICS = ("bleu", "chrf")
SCORE_COLUMNS = ("system", "metric", "score", "low", "high", "difference", "p_bootstrap", "p_ar",
                 "significant", "identical")


@dataclass(frozen=True)
class BucketScore:
    """Corpus BLEU and chrF2 of one system on the segments of one length bucket."""

    label: str
    segments: int
    scores: dict[str, float]


@dataclass(frozen=True)
class DocumentScore:
    """A document's scores: its id, its number of segments and every metric on it."""

    doc_id: str
    segments: int
    scores: dict[str, float]

    def to_record(self) -> dict[str, object]:
        """The JSON form."""
        return {"doc_id": self.doc_id, "segments": self.segments, **self.scores}


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
    The system carries the translator's signature and integrity-guard flags (not
    ``low_confidence``, which says how sure the model was, not that the output failed a check),
    and each segment's confidence when the translator reports it.
    """
    from tarjama.translation.confidence import LOW_CONFIDENCE

    outputs = translator.translate_sentences_detailed(list(sources), progress)
    confidence = tuple(out.confidence for out in outputs)
    return System(name or translator.backend.source.label, tuple(out.translation for out in outputs),
                  translator.signature,
                  tuple(tuple(f for f in out.flags if f != LOW_CONFIDENCE) for out in outputs),
                  confidence if any(c is not None for c in confidence) else None)


@dataclass(frozen=True, repr=False)
class SystemResult:
    """Everything measured for one system. ``paired`` is None for the baseline (the first)."""

    system: System
    scores: dict[str, MetricScore]
    paired: dict[str, PairedResult] | None
    sentence_chrf: tuple[float, ...]
    by_length: tuple[BucketScore, ...]
    bleu_details: BleuDetails | None = None
    #: Every document's id, segment count and scores (every metric), when the set has documents.
    by_document: tuple[DocumentScore, ...] = ()
    #: Intervals (and p-values) from resampling documents, when the set has documents.
    document_intervals: dict[str, DocumentInterval] | None = None
    #: Whether every output equals the baseline's (never for the baseline itself).
    identical_to_baseline: bool = False
    #: Neural metrics (COMET) by name: the score with its interval, and the paired tests (None
    #: for the baseline).
    neural: dict[str, tuple[NeuralScore, PairedResult | None]] = field(default_factory=dict)
    #: The system's confidence against its sentence chrF2, when this run translated it with
    #: confidence on (:mod:`tarjama.eval.confidence`).
    confidence: ConfidenceAgainstScores | None = None

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
    #: compare-mt's analyses (see :mod:`tarjama.eval.analysis`); None when turned off.
    analysis: Analysis | None = None

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
                    "significant": paired.significant if paired else None,
                    "identical": result.identical_to_baseline if paired else None})
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
        """The compact JSON the command line writes for ``eval`` in JSON format (layout
        :data:`JSON_FORMAT`, in its ``format`` field).

        ``{"format", "set", "segments", "baseline", "systems": [{"name", "metrics": {...},
        "confidence"}], "analysis"}``, for one system as for several: ``metrics`` holds metrics
        only (BLEU, chrF2, chrF2++, TER, then any neural metric), each with its difference and
        p-values against the baseline but on the baseline itself. BLEU carries its ``details``
        (n-gram precisions, brevity penalty, lengths); with documents every metric has its
        ``document_bootstrap``. ``confidence`` compares a system this run translated with its
        sentence scores (:class:`~tarjama.eval.confidence.ConfidenceAgainstScores`; None
        otherwise). compare-mt's analyses are under ``analysis`` (None when off).
        """
        return {"format": JSON_FORMAT, "set": self.refset.name, "segments": len(self.refset),
                "baseline": self.baseline.system.name,
                "systems": [{"name": r.system.name, "metrics": self._metric_records(r),
                             "confidence": r.confidence.to_record() if r.confidence else None}
                            for r in self.results],
                "analysis": self.analysis.to_record() if self.analysis is not None else None}

    @staticmethod
    def _metric_records(result: SystemResult) -> dict[str, dict[str, object]]:
        records: dict[str, dict[str, object]] = {}
        for name, score in result.scores.items():
            record = score.to_record()
            if name == "bleu" and result.bleu_details is not None:
                record["details"] = result.bleu_details.to_record()
            if result.document_intervals is not None:
                record["document_bootstrap"] = result.document_intervals[name].to_record()
            if result.paired is not None:
                paired = result.paired[name]
                record.update(difference=paired.difference, p_bootstrap=paired.p_bootstrap,
                              p_ar=paired.p_ar, significant=paired.significant,
                              identical=result.identical_to_baseline)
            records[name] = record
        for name, (neural, tested) in result.neural.items():
            records[name] = {**neural.to_record(), **({} if tested is None else {
                "difference": tested.difference, "p_bootstrap": tested.p_bootstrap,
                "p_ar": tested.p_ar, "significant": tested.significant})}
        return records

    def to_record(self) -> dict[str, object]:
        """Everything the run measured, as written to ``results.json``."""
        refset = self.refset
        return {
            "format": JSON_FORMAT,
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
            "analysis": self.analysis.to_record() if self.analysis is not None else None,
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
            "neural": {name: {**score.to_record(), "significance": p.to_record() if p else None}
                       for name, (score, p) in result.neural.items()} or None,
            "significance": ({name: p.to_record() for name, p in paired.items()}
                             if paired is not None else None),
            "by_length": [{"label": b.label, "segments": b.segments, **b.scores}
                          for b in result.by_length],
            "sentence_chrf": {"mean": round(statistics.fmean(chrf), 4),
                              "median": round(statistics.median(chrf), 4),
                              "scores": list(chrf)},
            "bleu_details": result.bleu_details.to_record() if result.bleu_details else None,
            "identical_to_baseline": result.identical_to_baseline if paired is not None else None,
            "by_document": [d.to_record() for d in result.by_document] or None,
            "document_bootstrap": ({name: i.to_record()
                                    for name, i in result.document_intervals.items()}
                                   if result.document_intervals is not None else None),
            "worst_sentences": [w.to_record() for w in self.worst_sentences(index)],
            "integrity_flags": flag_summary(system),
            "confidence": ({**result.confidence.to_record(),
                            "per_segment": list(system.confidence or ())}
                           if result.confidence else None),
        }


def _as_systems(systems: Sequence[System] | Mapping[str, Sequence[str]]) -> tuple[System, ...]:
    if isinstance(systems, Mapping):
        return tuple(System(name, tuple(hyps)) for name, hyps in systems.items())
    return tuple(systems)


@checked
def evaluate_systems(refset: ReferenceSet,
                     systems: Sequence[System] | Mapping[str, Sequence[str]], *,
                     n_bootstrap: int = DEFAULT_BOOTSTRAP, n_trials: int = DEFAULT_AR_TRIALS,
                     bucket_edges: Sequence[int] = DEFAULT_BUCKET_EDGES,
                     progress: TestProgress | None = None, analyses: bool = True,
                     training: Sequence[str] | None = None,
                     training_name: str | None = None,
                     neural: Sequence[NeuralMetric] = ()) -> EvalRun:
    """Score every system on ``refset``; test each against the first one.

    ``systems`` is a mapping of name to hypotheses, or a sequence of :class:`System`. Scores get
    95% bootstrap intervals from ``n_bootstrap`` resamples (none below 2); with several systems,
    p-values come from sacrebleu's paired bootstrap and approximate randomization (``n_trials``),
    whose progress goes to ``progress`` (see :data:`~tarjama.eval.significance.TestProgress`).
    A set with document ids also gets every document's scores and a bootstrap that resamples
    documents (:mod:`tarjama.eval.documents`). ``analyses`` adds compare-mt's analyses
    (:mod:`tarjama.eval.analysis`), with word frequencies from ``training`` (lines of a training
    corpus, named ``training_name``) or else from the reference. Each of the ``neural`` metrics
    (:func:`~tarjama.eval.neural.load_comet`) scores every system from the source, with the same
    intervals and tests; it needs the set's source.
    """
    chosen = _as_systems(systems)
    if not chosen:
        raise InputError("no system to evaluate",
                         Advice("systems", "give at least one ({})", metavar="{NAME: HYPOTHESES}"))
    references = [list(r) for r in refset.references]
    for system in chosen:
        check_alignment(system.hypotheses, references, system.name,
                        [f"{refset.name} reference {n + 1}" for n in range(len(references))])
    if neural and refset.sources is None:
        raise InputError(f"{refset.name}: neural metrics score from the source too, and the set "
                         "has none; give a set with its source")
    metrics = remembering_metrics()
    if len(chosen) == 1:
        scores: tuple[dict[str, MetricScore], ...] = (
            score_corpus(chosen[0].hypotheses, references, n_bootstrap, metrics),)
        paired: tuple[dict[str, PairedResult] | None, ...] = (None,)
    else:
        outcome = paired_tests([(s.name, s.hypotheses) for s in chosen], references,
                               n_bootstrap, n_trials, progress, metrics)
        scores = outcome.scores
        paired = (None, *outcome.paired[1:])
    seed = env.sacrebleu_seed()
    statistics_of = [{name: segment_statistics(metric, system.hypotheses, references)
                      for name, metric in metrics.items()} for system in chosen]
    documents = refset.documents
    intervals: Sequence[dict[str, DocumentInterval] | None] = [None] * len(chosen)
    if documents and n_bootstrap > 1:
        intervals = document_bootstrap(metrics, statistics_of, documents, n_bootstrap, seed)
    neural_scores: list[dict[str, tuple[NeuralScore, PairedResult | None]]] = [
        {} for _ in chosen]
    for metric in neural:
        scored = score_neural(metric, refset.sources or (), [s.hypotheses for s in chosen],
                              refset.references[0], n_bootstrap, n_trials, seed)
        for index, neural_outcome in enumerate(scored):
            neural_scores[index][metric.name] = neural_outcome
    measured = refset.sources if refset.sources is not None else refset.references[0]
    buckets = length_buckets(measured, bucket_edges)
    sentence_chrf = [_sentence_scores(metrics["chrf"], stats["chrf"]) for stats in statistics_of]
    results = tuple(
        SystemResult(system, system_scores, system_paired, chrf,
                     _bucket_scores(metrics, stats, buckets),
                     bleu_details(metrics["bleu"], stats["bleu"]),
                     tuple(DocumentScore(d.doc_id, d.end - d.start, s) for d, s in zip(
                         documents, document_scores(metrics, stats, documents), strict=True))
                     if documents else (),
                     system_intervals,
                     system_paired is not None and system.hypotheses == chosen[0].hypotheses,
                     system_neural,
                     confidence_against_scores(system.confidence, chrf)
                     if system.confidence is not None else None)
        for system, system_scores, system_paired, stats, chrf, system_intervals, system_neural
        in zip(chosen, scores, paired, statistics_of, sentence_chrf, intervals, neural_scores,
               strict=True))
    analysis = (analyse([s.name for s in chosen], [s.hypotheses for s in chosen],
                        refset.references[0], training, training_name) if analyses else None)
    return EvalRun(refset, results, buckets,
                   "source words" if refset.sources is not None else "reference words",
                   n_bootstrap, n_trials if len(chosen) > 1 else 0, seed, analysis)


def _sentence_scores(metric, segment_stats) -> tuple[float, ...]:
    """Each segment's score, from its statistics (what ``sentence_score`` computes)."""
    compute = sacrebleu_compat.compute_from_statistics(metric)
    return tuple(round(float(compute(stats).score), 4) for stats in segment_stats)


def _subset_score(metric, segment_stats, indices) -> float:
    """The corpus score of the segments at ``indices`` (what ``corpus_score`` of them gives)."""
    import numpy as np

    totals = np.asarray([segment_stats[i] for i in indices]).sum(0)
    return round(float(sacrebleu_compat.compute_from_statistics(metric)(totals).score), 4)


def _bucket_scores(metrics: Mapping[str, Any], stats: Mapping[str, Any],
                   buckets: Sequence[Bucket]) -> tuple[BucketScore, ...]:
    return tuple(BucketScore(b.label, len(b.indices),
                             {name: _subset_score(metrics[name], stats[name], b.indices)
                              for name in BUCKET_METRICS})
                 for b in buckets)
