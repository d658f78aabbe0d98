"""Every use of sacrebleu's private API, in one place.

sacrebleu keeps a few things tarjama needs behind underscores: a bootstrap's mean and half-width,
the per-segment statistics of a metric, the score computed from statistics, where a test set's
files are cached. A new sacrebleu may rename them; tests/eval/test_sacrebleu_compat.py checks
each one, so such a change fails one named test instead of a user's run, and pyproject.toml keeps
sacrebleu below its next major version.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence


def bootstrap_estimate(result) -> tuple[float, float]:
    """The mean of a bootstrapped score's resamples and its 95% interval's half-width."""
    return result._mean, result._ci


def compute_from_statistics(metric) -> Callable:
    """The function that turns a metric's summed statistics into a score."""
    return metric._compute_score_from_stats


def replace_compute_from_statistics(metric, compute: Callable) -> None:
    """Make ``metric`` compute its scores from statistics with ``compute``."""
    metric._compute_score_from_stats = compute


def extract_statistics(metric) -> Callable:
    """The function that extracts a metric's per-segment statistics of a corpus."""
    return metric._extract_corpus_statistics


def replace_extract_statistics(metric, extract: Callable) -> None:
    """Make ``metric`` extract per-segment statistics with ``extract``."""
    metric._extract_corpus_statistics = extract


def cached_test_set_files(dataset, langpair: str, fields: Sequence[str]) -> list[str]:
    """Where sacrebleu keeps the text files of a test set once fetched, whether or not they are."""
    return [dataset._get_txt_file_path(langpair, field) for field in fields]


def test_set_cache_folder(dataset) -> str:
    """The folder sacrebleu fetches a test set into."""
    return dataset._outdir
