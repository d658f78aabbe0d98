"""What each worker needs to build the same translator: one frozen settings object."""
from __future__ import annotations

from dataclasses import dataclass, field

from tarjama.backends.settings import ModelSettings
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.translation.translator import GUARD_RETRY, Translator, check_guard


@dataclass(frozen=True)
class TranslationSettings:
    """The settings of :class:`~tarjama.translation.Translator` that a worker builds it with: the
    model's (a :class:`~tarjama.ModelSettings`), the integrity guard and the shortlist.

    A guard mode that is not one of the translator's is refused when the settings are made, before
    any worker starts. Workers never use the translation cache: on a cluster a shared SQLite file
    would serialise them, and the shards of a corpus run are what a rerun resumes from.
    """

    model: ModelSettings = field(default_factory=lambda: ModelSettings(DEFAULT_TRANSLATION_MODEL))
    guard: str = GUARD_RETRY
    shortlist: bool = False

    def __post_init__(self) -> None:
        check_guard(self.guard)

    @classmethod
    def of(cls, model: str | ModelSettings | TranslationSettings) -> TranslationSettings:
        """``model`` itself when it is translation settings, else the defaults around the model
        it names or the model settings it is."""
        if isinstance(model, TranslationSettings):
            return model
        return cls(ModelSettings.of(model))

    def build(self) -> Translator:
        """Load the model and return the translator (done once in each worker)."""
        return Translator(self.model, guard=self.guard, cache=False, shortlist=self.shortlist)

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values, one level deep, for a run's manifest."""
        return {**self.model.as_dict(), "guard": self.guard, "shortlist": self.shortlist}
