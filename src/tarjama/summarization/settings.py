"""A summarizer's settings: one frozen object, built where the user speaks and handed down whole."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tarjama._checks import check_fields
from tarjama.backends.settings import ModelSettings, stage_settings
from tarjama.models import DEFAULT_SUMMARIZER, GenerationOptions
from tarjama.summarization.options import SummaryOptions


@dataclass(frozen=True)
class SummarizerSettings:
    """Everything a :class:`~tarjama.summarization.Summarizer` is made with.

    ``model``: what to load (:class:`~tarjama.ModelSettings`). ``generation``: how to generate
    (:class:`~tarjama.GenerationOptions`), over the model's own generation config and its
    preset's recommendations (a field left ``None`` keeps theirs). ``options``: the summary a
    call gets when it asks for none (:class:`~tarjama.SummaryOptions`: length, form, lead only).
    """

    model: ModelSettings = field(default_factory=lambda: ModelSettings(DEFAULT_SUMMARIZER))
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    options: SummaryOptions = field(default_factory=SummaryOptions)

    def __post_init__(self) -> None:
        check_fields(self)

    @classmethod
    def of(cls, settings: str | ModelSettings | SummarizerSettings = DEFAULT_SUMMARIZER,
           **keywords: Any) -> SummarizerSettings:
        """The settings ``settings`` names, with ``keywords`` read into the right object.

        ``settings`` is a model (preset, Hub id or folder), a :class:`~tarjama.ModelSettings`, or
        summarizer settings already. A keyword is any field of :class:`~tarjama.ModelSettings`,
        :class:`~tarjama.GenerationOptions` or of this class.

        Raises :class:`~tarjama.errors.InputError` for an unknown keyword, a field given both in
        a settings object and as a keyword, or a bad choice.
        """
        return stage_settings(cls, settings, keywords)
