"""Scoring translations against references: reference sets, scores with intervals, paired
significance tests and reports.

Nothing heavy is imported here: sacrebleu and matplotlib load when a score or a plot is made.
"""
from tarjama.eval.metrics import (
    DEFAULT_BOOTSTRAP, DISPLAY_NAMES, METRIC_NAMES, MetricScore, check_alignment, score_corpus,
)
from tarjama.eval.refsets import (
    ReferenceSet, load_reference_set, load_sacrebleu_set, reference_set_from_files,
)
from tarjama.eval.report import write_report
from tarjama.eval.run import EvalRun, System, SystemResult, WorstSentence, evaluate_systems
from tarjama.eval.significance import DEFAULT_AR_TRIALS, PairedResult

__all__ = [
    "DEFAULT_AR_TRIALS", "DEFAULT_BOOTSTRAP", "DISPLAY_NAMES", "METRIC_NAMES", "EvalRun",
    "MetricScore", "PairedResult", "ReferenceSet", "System", "SystemResult", "WorstSentence",
    "check_alignment", "evaluate_systems", "load_reference_set", "load_sacrebleu_set",
    "reference_set_from_files", "score_corpus", "write_report",
]

