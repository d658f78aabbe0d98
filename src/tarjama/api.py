"""One-call functions for notebooks and scripts; models stay loaded between calls."""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from tarjama.eval import MetricScore, score_corpus
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.pipeline import ArticleSummary, Pipeline
from tarjama.translate import Translation


@lru_cache(maxsize=4)
def _pipeline(model: str, summarizer: str, device: str) -> Pipeline:
    return Pipeline(model, summarizer, device=device)


def translate(text: str, model: str = DEFAULT_TRANSLATION_MODEL, *,
              device: str = "auto") -> Translation:
    """Translate an Arabic document; each line is a paragraph. ``.text`` holds the English."""
    return _pipeline(model, DEFAULT_SUMMARIZER, device).translator.translate(text)


def summarize(text: str, model: str = DEFAULT_TRANSLATION_MODEL,
              summarizer: str = DEFAULT_SUMMARIZER, *, device: str = "auto") -> ArticleSummary:
    """Summarize an article in English (Arabic is translated with ``model`` first)."""
    return _pipeline(model, summarizer, device).summarize(text)


def evaluate(hypotheses: Sequence[str],
             references: Sequence[Sequence[str]]) -> dict[str, MetricScore]:
    """BLEU, chrF2, chrF2++ and TER of ``hypotheses`` against one or more reference lists."""
    return score_corpus(hypotheses, references)
