"""The whole chain: Arabic article in, English translation and summary out."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tarjama.language import is_arabic
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.summarize import Summarizer, Summary
from tarjama.translate import ProgressCallback, Translation, Translator


@dataclass(frozen=True)
class ArticleSummary:
    """A summary, and the translation it was made from when the article was Arabic."""

    summary: Summary
    translation: Translation | None

    def to_record(self) -> dict[str, object]:
        """The JSON form: the summary's fields plus the translation when there was one."""
        record = self.summary.to_record()
        record["translated"] = self.translation is not None
        if self.translation is not None:
            record["translation"] = self.translation.text
            record["translation_signature"] = self.translation.signature
        return record


class Pipeline:
    """Translator and summarizer together; each model is loaded the first time it is needed."""

    def __init__(self, model: str = DEFAULT_TRANSLATION_MODEL,
                 summarizer: str = DEFAULT_SUMMARIZER, *, revision: str | None = None,
                 summarizer_revision: str | None = None, backend: str = "auto",
                 device: str = "auto", compute_type: str = "auto", num_beams: int | None = None):
        self._translator_args = dict(model=model, revision=revision, backend=backend,
                                     device=device, compute_type=compute_type, num_beams=num_beams)
        self._summarizer_args = dict(model=summarizer, revision=summarizer_revision,
                                     device=device)

    @cached_property
    def translator(self) -> Translator:
        """The translator, loaded on first use."""
        return Translator(**self._translator_args)

    @cached_property
    def summarizer(self) -> Summarizer:
        """The summarizer, loaded on first use."""
        return Summarizer(**self._summarizer_args)

    def summarize(self, text: str, progress: ProgressCallback | None = None) -> ArticleSummary:
        """Summarize an article in English; Arabic text is translated first."""
        if is_arabic(text):
            translation = self.translator.translate(text, progress)
            return ArticleSummary(self.summarizer.summarize(translation.text), translation)
        return ArticleSummary(self.summarizer.summarize(text), None)
