"""What each worker needs to build the same translator: one frozen settings object."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.translation.translator import GUARD_RETRY, Translator


@dataclass(frozen=True)
class TranslationSettings:
    """The settings of :class:`~tarjama.translation.Translator` that a worker builds it with.

    Workers never use the translation cache: on a cluster a shared SQLite file would serialise
    them, and the shards of a corpus run are what a rerun resumes from.
    """

    model: str = DEFAULT_TRANSLATION_MODEL
    revision: str | None = None
    backend: str = "auto"
    device: str = "auto"
    compute_type: str = "auto"
    num_beams: int | None = None
    guard: str = GUARD_RETRY
    shortlist: bool = False

    def build(self) -> Translator:
        """Load the model and return the translator (done once in each worker)."""
        return Translator(self.model, revision=self.revision, backend=self.backend,
                          device=self.device, compute_type=self.compute_type,
                          num_beams=self.num_beams, guard=self.guard, cache=False,
                          shortlist=self.shortlist)

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values, for a run's manifest."""
        return asdict(self)
