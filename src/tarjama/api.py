"""One-call functions for notebooks and scripts; models stay loaded between calls."""
from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

from tarjama.backends.settings import ModelSettings
from tarjama.eval import MetricScore, score_corpus
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.pipeline import ArticleSummary, Pipeline
from tarjama.summarization import SummaryOptions
from tarjama.terms.glossary import Glossary
from tarjama.translation import Translation


@lru_cache(maxsize=4)
def _pipeline(translation: ModelSettings, summarization: ModelSettings,
              strategy: str = "auto", glossary: Glossary | None = None) -> Pipeline:
    return Pipeline(translation, summarization, strategy=strategy, keep_models_loaded=True,
                    glossary=glossary)


def _glossary(glossary: Glossary | str | os.PathLike[str] | None) -> Glossary | None:
    return glossary if glossary is None or isinstance(glossary, Glossary) else Glossary.read(glossary)


def translate(text: str, model: str | ModelSettings = DEFAULT_TRANSLATION_MODEL, *,
              device: str = "auto",
              glossary: Glossary | str | os.PathLike[str] | None = None) -> Translation:
    """Translate an Arabic document; each line is a paragraph. ``.text`` holds the English.

    ``model`` is a model's name, or a :class:`~tarjama.ModelSettings` (then without ``device``).
    ``glossary`` is a glossary file (or a :class:`~tarjama.Glossary`): its renderings are
    guaranteed in the output, and each sentence's ``terms`` say how they were applied.
    """
    translation = ModelSettings.of(model, device=device)
    summarization = ModelSettings(DEFAULT_SUMMARIZER, device=device)
    return _pipeline(translation, summarization, glossary=_glossary(glossary)).translator.translate(text)


def summarize(text: str, model: str | ModelSettings = DEFAULT_TRANSLATION_MODEL,
              summarizer: str | ModelSettings = DEFAULT_SUMMARIZER, *, strategy: str = "auto",
              options: SummaryOptions | None = None, device: str = "auto",
              glossary: Glossary | str | os.PathLike[str] | None = None) -> ArticleSummary:
    """Summarize an article in English.

    Arabic is translated with ``model`` first, or summarized first and the summary translated
    (``strategy``; ``auto`` follows the summarizer preset). ``options`` sets length and form.
    ``model`` and ``summarizer`` are names, or :class:`~tarjama.ModelSettings` (then without
    ``device``). ``glossary`` is as :func:`translate` takes it.
    """
    translation = ModelSettings.of(model, device=device)
    summarization = ModelSettings.of(summarizer, device=device)
    return _pipeline(translation, summarization, strategy, _glossary(glossary)).summarize(
        text, options=options)


def evaluate(hypotheses: Sequence[str], references: Sequence[Sequence[str]], *,
             n_bootstrap: int = 1) -> dict[str, MetricScore]:
    """BLEU, chrF2, chrF2++ and TER of ``hypotheses`` against one or more reference lists.

    ``n_bootstrap`` resamples (1000, say, as ``tarjama eval`` uses) give every score a 95%
    bootstrap interval (``.interval``); the default of 1 computes none.
    """
    return score_corpus(hypotheses, references, n_bootstrap)
