"""Scoring translations against references."""
from tarjama.eval.metrics import METRIC_NAMES, MetricScore, check_alignment, score_corpus

__all__ = ["METRIC_NAMES", "MetricScore", "check_alignment", "score_corpus"]
