"""A translator's settings: one frozen object, built where the user speaks and handed down whole.

The command line, the Python API, the Ray workers and :class:`~tarjama.Pipeline` all build a
:class:`TranslatorSettings` and nothing else; :class:`~tarjama.translation.Translator` is made from
it, and the translation cache's key is derived from it (:func:`~tarjama.translation.cache_key.cache_key`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from tarjama._checks import at_least, check_fields
from tarjama.backends.settings import ModelSettings, stage_settings
from tarjama.batching import DEFAULT_BATCH_TOKENS
from tarjama.errors import InputError
from tarjama.models import DEFAULT_TRANSLATION_MODEL, GenerationOptions
from tarjama.terms.glossary import Glossary
from tarjama.translation.cache import DEFAULT_BUSY_TIMEOUT

#: What the integrity guard does: check, retry once what fails, and flag what still fails ...
GUARD_RETRY = "retry"
#: ... or only check and flag ...
GUARD_FLAG = "flag"
#: ... or nothing.
GUARD_OFF = "off"
GUARD_MODES = (GUARD_RETRY, GUARD_FLAG, GUARD_OFF)


def check_guard(guard: str) -> None:
    """Refuse a guard mode that is not one of :data:`GUARD_MODES` (:class:`InputError`)."""
    if guard not in GUARD_MODES:
        raise InputError(f"unknown guard mode {guard!r}; choose one of: {', '.join(GUARD_MODES)}")


CacheChoice = bool | str | os.PathLike[str]
"""``True`` for the default SQLite file in tarjama's cache folder, a path for another, ``False``
for no cache."""


@dataclass(frozen=True)
class TranslatorSettings:
    """Everything a :class:`~tarjama.translation.Translator` is made with.

    ``model``: what to load (:class:`~tarjama.ModelSettings`: model, revision, backend, device,
    compute type, shortlist, thread split). ``generation``: how to generate
    (:class:`~tarjama.GenerationOptions`: beam size, length limits; by default each sentence's
    output budget follows its length). ``batch_tokens``: the padded source tokens times the beam
    size a batch may hold; ``max_batch_size``: the sentences a batch may hold (``None``: 32 on CPU,
    fewer with many beams; 64 on CUDA). ``guard``: ``retry``, ``flag`` or ``off`` (see
    :mod:`tarjama.translation.guard`). ``cache``: ``True`` for the default SQLite file in tarjama's
    cache folder, a path for another file, ``False`` for none; ``cache_timeout``: seconds to wait
    for another process that holds the cache locked. ``glossary``: a
    :class:`~tarjama.Glossary` or a glossary file, whose renderings the translation guarantees
    (see :mod:`tarjama.terms.glossary`); its content's digest is part of the cache key.
    ``confidence``: give each translated sentence the model's own confidence, taken from the
    generation, and flag the low ones (see :mod:`tarjama.translation.confidence`); on by default.

    A guard mode that is not one of :data:`GUARD_MODES`, or a batch limit below 1, is an
    :class:`~tarjama.errors.InputError` when the settings are made, before any model loads.
    """

    model: ModelSettings = field(default_factory=lambda: ModelSettings(DEFAULT_TRANSLATION_MODEL))
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    max_batch_size: int | None = None
    guard: str = GUARD_RETRY
    cache: CacheChoice = False
    cache_timeout: float = DEFAULT_BUSY_TIMEOUT
    glossary: Glossary | None = None
    confidence: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.glossary, str | os.PathLike):
            # A glossary file, read once here: its errors come before any model loads.
            object.__setattr__(self, "glossary", Glossary.read(self.glossary))
        check_fields(self)
        check_guard(self.guard)
        at_least("cache_timeout", self.cache_timeout, 0, "TranslatorSettings")
        if self.batch_tokens < 1:
            raise InputError(f"batch_tokens must be at least 1, not {self.batch_tokens}")
        if self.max_batch_size is not None and self.max_batch_size < 1:
            raise InputError(f"max_batch_size must be at least 1, not {self.max_batch_size}")

    @classmethod
    def of(cls, settings: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL,
           **keywords: Any) -> TranslatorSettings:
        """The settings ``settings`` names, with ``keywords`` read into the right object.

        ``settings`` is a model (preset, Hub id or folder), a :class:`~tarjama.ModelSettings`, or
        translator settings already. A keyword is any field of :class:`~tarjama.ModelSettings`,
        :class:`~tarjama.GenerationOptions` (``num_beams=2`` is ``generation.num_beams``; it
        replaces that field of a ``generation`` given too) or of this class. This is the one place
        where keywords become settings.

        Raises :class:`~tarjama.errors.InputError` for an unknown keyword, a field given both in
        a settings object and as a keyword, or a bad choice.
        """
        return stage_settings(cls, settings, keywords)

    @property
    def num_beams(self) -> int | None:
        """The beam size asked for (``None``: the model's own)."""
        return self.generation.num_beams

    def as_dict(self) -> dict[str, object]:
        """The settings that decide the output, as plain values one level deep, for a run's
        manifest and the fingerprint of a corpus run: the model's (without its thread split),
        the beam size, the guard, the shortlist, and any other generation option that is set.
        Runs made before this object had the same keys, so their fingerprints still match."""
        model = {key: value for key, value in self.model.as_dict().items()
                 if key not in ("shortlist", "inter_threads", "intra_threads")}
        others = {key: value for key, value in self.generation.overrides().items()
                  if key != "num_beams"}
        glossary = {"glossary": self.glossary.digest} if self.glossary is not None else {}
        return {**model, "num_beams": self.num_beams, "guard": self.guard,
                "shortlist": self.model.shortlist, **others, **glossary}
