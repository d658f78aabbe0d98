"""The whole chain: Arabic article in, English translation and summary out."""
from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tarjama._checks import checked
from tarjama._tables import FLAG_STYLE, escape, preview
from tarjama.backends.settings import ModelSettings
from tarjama.errors import Advice, InputError
from tarjama.language import is_arabic
from tarjama.models import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATION_MODEL,
    PRESETS,
    SUMMARIZATION,
    recognize_preset,
)
from tarjama.summarization import Flag, Summarizer, Summary, SummaryOptions, shape_summary, unsupported
from tarjama.summarization.settings import SummarizerSettings
from tarjama.translation import ProgressCallback, Translation, Translator
from tarjama.translation.settings import TranslatorSettings
from tarjama.translation.translator import TranslationTally

AUTO = "auto"
TRANSLATE_THEN_SUMMARIZE = "translate-then-summarize"
SUMMARIZE_THEN_TRANSLATE = "summarize-then-translate"
STRATEGIES = (AUTO, TRANSLATE_THEN_SUMMARIZE, SUMMARIZE_THEN_TRANSLATE)


def choose_strategy(strategy: str, summarizer: str) -> str:
    """The strategy for an Arabic article: ``strategy`` itself, or for ``auto`` the one the
    summarizer's preset reads, the preset recognised by name, Hub id or local copy (any other
    model is taken to read English).

    Every preset reads English, so translate-then-summarize always works; summarize-then-translate
    needs a summarizer that reads Arabic, and is refused for a preset that does not.
    """
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}")
    preset = recognize_preset(summarizer, SUMMARIZATION)
    if strategy == AUTO:
        reads_arabic = preset is not None and preset.source_language == "ar"
        return SUMMARIZE_THEN_TRANSLATE if reads_arabic else TRANSLATE_THEN_SUMMARIZE
    if strategy == SUMMARIZE_THEN_TRANSLATE and preset and preset.source_language != "ar":
        arabic = [p.name for p in PRESETS if p.task == SUMMARIZATION and p.source_language == "ar"]
        raise InputError(
            f"summarizer {summarizer!r} ({preset.model_id}) reads English only, so it cannot "
            f"summarize the Arabic before translation",
            Advice("strategy", f"use {{}}, or a summarizer that reads Arabic (presets: "
                   f"{', '.join(arabic)})", value=TRANSLATE_THEN_SUMMARIZE))
    return strategy


@dataclass(frozen=True, repr=False)
class ArticleSummary:
    """An English summary, the translation made on the way, and what the article does not support.

    With translate-then-summarize ``translation`` is the article's; with summarize-then-translate it
    is the summary's, and ``source_summary`` holds the summary in the article's language. ``flags``
    lists numbers and names of the summary found nowhere in the (translated) article.
    In a notebook it shows the summary, its flags, its chunks and, folded, the translation.
    """

    summary: Summary
    translation: Translation | None
    strategy: str = TRANSLATE_THEN_SUMMARIZE
    flags: tuple[Flag, ...] = ()
    source_summary: str | None = None

    @property
    def source_sentences(self) -> int:
        """How many sentences the article has as given: its Arabic sentences when it was translated
        before summarizing (``summary.sentence_count`` counts those of the translation)."""
        if self.translation is not None and self.source_summary is None:
            return len(self.translation.sentences)
        return self.summary.sentence_count

    def to_record(self) -> dict[str, object]:
        """The JSON form: the summary's fields, the strategy, the flags and any translation."""
        record = self.summary.to_record()
        record["strategy"] = self.strategy
        record["flags"] = [flag.to_record() for flag in self.flags]
        record["translated"] = self.translation is not None
        if self.translation is not None:
            record["translation"] = self.translation.text
            record["translation_signature"] = self.translation.signature
        if self.source_summary is not None:
            record["source_summary"] = self.source_summary
        return record

    def to_records(self) -> list[dict[str, object]]:
        """One plain record per chunk summarized (see :meth:`Summary.to_records`)."""
        return self.summary.to_records()

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per chunk summarized (needs pandas)."""
        return self.summary.to_pandas()

    def __repr__(self) -> str:
        translated = (f"{len(self.translation.sentences)} sentences translated"
                      if self.translation is not None else "not translated")
        return (f"ArticleSummary({self.strategy}, {translated}, {len(self.flags)} flagged, "
                f"summary={preview(self.summary.text)!r})")

    def _repr_html_(self) -> str:
        flags = ", ".join(f"{flag.kind} {flag.text!r}" for flag in self.flags)
        parts = [f"<p><b>Summary</b> ({escape(self.strategy)})</p>",
                 f'<p style="{FLAG_STYLE}">not in the article: {escape(flags)}</p>' if flags
                 else "<p>every number and name is in the article</p>",
                 self.summary._repr_html_()]
        if self.source_summary is not None:
            parts.append(f'<p>Arabic summary:</p><p dir="rtl" lang="ar">'
                         f"{escape(self.source_summary)}</p>")
        if self.translation is not None:
            parts.append(f"<details><summary>translation</summary>"
                         f"{self.translation._repr_html_()}</details>")
        return "".join(parts)


class Pipeline:
    """Translator and summarizer together; each model is loaded the first time it is needed.

    ``model`` is the translator's settings: a
    :class:`~tarjama.translation.settings.TranslatorSettings`, a :class:`~tarjama.ModelSettings`
    or a model's name (a preset, Hub id or local folder), read as
    :meth:`TranslatorSettings.of <tarjama.translation.settings.TranslatorSettings.of>` reads it.
    ``summarizer`` is the summarizer's, the same way
    (:class:`~tarjama.summarization.settings.SummarizerSettings`). ``strategy`` says what an
    Arabic article goes through first (see :func:`choose_strategy`); English articles are
    summarized directly whatever it says. The settings are kept as :attr:`translator_settings` and
    :attr:`summarizer_settings`.

    Each model is let go before the other one loads, so the main job's peak memory is one
    model's (measured: see benchmarks/RESULTS.md#main-job-memory), never two float32 torch models
    at once; loading a converted copy again takes well under a second.
    ``keep_models_loaded=True`` keeps both CTranslate2 models loaded for many articles in a row
    (torch models are let go all the same). ``translation_tally`` counts what the translator did
    across these reloads.

    Raises :class:`~tarjama.errors.InputError` for a bad setting or strategy, before any model
    loads; loading a model raises what :class:`~tarjama.translation.Translator` and
    :class:`~tarjama.summarization.Summarizer` raise.
    """

    @checked
    def __init__(self, model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL,
                 summarizer: str | ModelSettings | SummarizerSettings = DEFAULT_SUMMARIZER, *,
                 strategy: str = AUTO, keep_models_loaded: bool = False):
        self.translator_settings = TranslatorSettings.of(model)
        self.summarizer_settings = SummarizerSettings.of(summarizer)
        self.strategy = choose_strategy(strategy, self.summarizer_settings.model.model)
        self._keep_models_loaded = keep_models_loaded
        self.translation_tally = TranslationTally()

    @cached_property
    def translator(self) -> Translator:
        """The translator, loaded on first use."""
        self._let_go_of("summarizer")
        translator = Translator(self.translator_settings)
        translator.tally = self.translation_tally
        return translator

    @cached_property
    def summarizer(self) -> Summarizer:
        """The summarizer, loaded on first use."""
        self._let_go_of("translator")
        return Summarizer(self.summarizer_settings)

    def _let_go_of(self, name: str) -> None:
        """Drop the loaded ``translator`` or ``summarizer`` (unless both are to stay loaded and
        it does not run on torch); it loads again when next used."""
        loaded = self.__dict__.get(name)
        if loaded is not None and (not self._keep_models_loaded or loaded.backend.name == "torch"):
            del self.__dict__[name]
            del loaded
            gc.collect()

    @checked
    def summarize(self, text: str, progress: ProgressCallback | None = None,
                  options: SummaryOptions | None = None) -> ArticleSummary:
        """Summarize an article in English; Arabic text is translated before or after.

        ``progress`` is called as the translation goes (see
        :data:`~tarjama.translation.ProgressCallback`); ``options`` set the summary's length and
        form (by default the summarizer settings' own)."""
        options = options or self.summarizer_settings.options
        if not is_arabic(text):
            summary = self.summarizer.summarize(text, options)
            return ArticleSummary(summary, None, self.strategy, _check(summary, text))
        if self.strategy == SUMMARIZE_THEN_TRANSLATE:
            draft = self.summarizer.draft(text, options)
            translation = self.translator.translate(draft.text, progress)
            summary = shape_summary(draft, options, translation.text)
            return ArticleSummary(summary, translation, self.strategy,
                                  _check(summary, text, check_names=False), draft.text)
        translation = self.translator.translate(text, progress)
        summary = self.summarizer.summarize(translation.text, options)
        return ArticleSummary(summary, translation, self.strategy, _check(summary, translation.text))


def _check(summary: Summary, article: str, *, check_names: bool = True) -> tuple[Flag, ...]:
    return unsupported(" ".join(summary.sentences), article, check_names=check_names)
