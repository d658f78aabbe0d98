"""One-call functions for notebooks and scripts; models stay loaded between calls."""
from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from tarjama._checks import at_least, checked
from tarjama.backends.settings import ModelSettings
from tarjama.eval import MetricScore, score_corpus
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.pipeline import AUTO, ArticleSummary, Pipeline
from tarjama.summarization import SummaryOptions
from tarjama.summarization.settings import SummarizerSettings
from tarjama.terms.glossary import Glossary
from tarjama.translation import Translation
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    from tarjama.documents import TranslatedDocument


@lru_cache(maxsize=4)
def _pipeline(translation: TranslatorSettings, summarization: SummarizerSettings,
              strategy: str = AUTO) -> Pipeline:
    return Pipeline(translation, summarization, strategy=strategy, keep_models_loaded=True)


def _on_device(device: str) -> dict[str, str]:
    """``device`` as a keyword, unless it is the default (so that settings objects go alone)."""
    return {} if device == AUTO else {"device": device}


def _with_glossary(glossary: Glossary | str | os.PathLike[str] | None) -> dict[str, object]:
    """``glossary`` as a keyword, unless there is none (so that settings objects go alone)."""
    return {} if glossary is None else {"glossary": glossary}


@checked
def translate(text: str, model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL,
              *, device: str = AUTO,
              glossary: Glossary | str | os.PathLike[str] | None = None) -> Translation:
    """Translate an Arabic document; each line is a paragraph. ``.text`` holds the English.

    ``model`` is a model's name (a preset, Hub id or local folder), a :class:`~tarjama.ModelSettings`
    or :class:`~tarjama.TranslatorSettings` (then without ``device``); ``device`` is ``auto``,
    ``cpu``, ``cuda`` or ``cuda:N``. The model stays loaded for the next call with the same
    settings. ``glossary`` is a glossary file or a :class:`~tarjama.Glossary`: its renderings are
    guaranteed in the output, and each sentence's ``terms`` say how they were applied.

    Raises :class:`~tarjama.errors.InputError` for a bad setting,
    :class:`~tarjama.errors.ModelNotAvailableError` when the model cannot be found.
    """
    translation = TranslatorSettings.of(model, **_on_device(device), **_with_glossary(glossary))
    summarization = SummarizerSettings.of(DEFAULT_SUMMARIZER, **_on_device(device))
    return _pipeline(translation, summarization).translator.translate(text)


@checked
def translate_file(source: str | os.PathLike[str], target: str | os.PathLike[str],
                   model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL, *,
                   format: str | None = None, device: str = AUTO) -> TranslatedDocument:
    """Translate a document file into ``target`` in the same format: a web page (.html), a Word
    file (.docx), subtitles (.srt, .vtt) or Markdown (.md), markup kept on the English words.

    The format comes from the suffix, or ``format`` (``html``, ``docx``, ``srt``, ``vtt``, ``md``).
    ``model`` and ``device`` as in :func:`translate`. ``target`` is written atomically; ``source``
    is only read. Returns the :class:`~tarjama.documents.TranslatedDocument` (its sentences, its
    bytes). Raises :class:`~tarjama.errors.InputError` for a document that cannot be read.
    """
    from tarjama.documents import Document

    document = Document.open(source, format)
    translation = TranslatorSettings.of(model, **_on_device(device))
    summarization = SummarizerSettings.of(DEFAULT_SUMMARIZER, **_on_device(device))
    translated = document.translate(_pipeline(translation, summarization).translator)
    translated.save(target)
    return translated


@checked
def summarize(text: str, model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL,
              summarizer: str | ModelSettings | SummarizerSettings = DEFAULT_SUMMARIZER, *,
              strategy: str = AUTO, options: SummaryOptions | None = None,
              device: str = AUTO,
              glossary: Glossary | str | os.PathLike[str] | None = None) -> ArticleSummary:
    """Summarize an article in English.

    Arabic is translated with ``model`` first, or summarized first and the summary translated
    (``strategy``; ``auto`` follows the summarizer preset). ``options`` sets length and form.
    ``model`` and ``summarizer`` are names, or settings objects (then without ``device``).
    ``glossary`` is as :func:`translate` takes it.

    Raises :class:`~tarjama.errors.InputError` for a bad setting,
    :class:`~tarjama.errors.ModelNotAvailableError` when a model cannot be found, and
    :class:`~tarjama.errors.GenerationError` when the summarizer writes nothing.
    """
    translation = TranslatorSettings.of(model, **_on_device(device), **_with_glossary(glossary))
    summarization = SummarizerSettings.of(summarizer, **_on_device(device))
    return _pipeline(translation, summarization, strategy).summarize(text, options=options)


@checked
def evaluate(hypotheses: Sequence[str], references: Sequence[Sequence[str]], *,
             n_bootstrap: int = 1) -> dict[str, MetricScore]:
    """BLEU, chrF2, chrF2++ and TER of ``hypotheses`` against one or more reference lists.

    ``n_bootstrap`` resamples (1000, say, as ``tarjama eval`` uses) give every score a 95%
    bootstrap interval (``.interval``); the default of 1 computes none.
    """
    at_least("n_bootstrap", n_bootstrap, 1, "evaluate")
    return score_corpus(hypotheses, references, n_bootstrap)
