"""One-call functions for notebooks and scripts; models stay loaded between calls."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from tarjama.eval import MetricScore, score_corpus
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.pipeline import ArticleSummary, Pipeline
from tarjama.summarization import SummaryOptions
from tarjama.translation import Translation


@lru_cache(maxsize=4)
def _pipeline(model: str, summarizer: str, device: str, strategy: str = "auto") -> Pipeline:
    return Pipeline(model, summarizer, device=device, strategy=strategy)


def translate(text: str, model: str = DEFAULT_TRANSLATION_MODEL, *,
              device: str = "auto") -> Translation:
    """Translate an Arabic document; each line is a paragraph. ``.text`` holds the English."""
    return _pipeline(model, DEFAULT_SUMMARIZER, device).translator.translate(text)


def summarize(text: str, model: str = DEFAULT_TRANSLATION_MODEL,
              summarizer: str = DEFAULT_SUMMARIZER, *, strategy: str = "auto",
              options: SummaryOptions | None = None, device: str = "auto") -> ArticleSummary:
    """Summarize an article in English.

    Arabic is translated with ``model`` first, or summarized first and the summary translated
    (``strategy``; ``auto`` follows the summarizer preset). ``options`` sets length and form.
    """
    return _pipeline(model, summarizer, device, strategy).summarize(text, options=options)


def evaluate(hypotheses: Sequence[str], references: Sequence[Sequence[str]], *,
             n_bootstrap: int = 1) -> dict[str, MetricScore]:
    """BLEU, chrF2, chrF2++ and TER of ``hypotheses`` against one or more reference lists.

    ``n_bootstrap`` resamples (1000, say, as ``tarjama eval`` uses) give every score a 95%
    bootstrap interval (``.interval``); the default of 1 computes none.
    """
    return score_corpus(hypotheses, references, n_bootstrap)
