"""The interface every model backend offers to the translation and summarization stages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from tarjama.models import ModelSource


@dataclass(frozen=True)
class GenerationOptions:
    """Overrides of the model's own ``generation_config``; ``None`` keeps the model's value."""

    num_beams: int | None = None
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None
    no_repeat_ngram_size: int | None = None
    length_penalty: float | None = None

    def overrides(self) -> dict[str, object]:
        """The options that were set, as keyword arguments for ``generate``."""
        return {key: value for key, value in self.__dict__.items() if value is not None}


class Seq2SeqBackend(Protocol):
    """Runs a sequence-to-sequence model: text in, text out, in batches."""

    name: str
    source: ModelSource
    device: str
    compute_type: str
    max_source_tokens: int
    default_num_beams: int
    default_max_length: int | None

    def count_tokens(self, text: str) -> int:
        """Number of model tokens of ``text``, special tokens included."""
        ...

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """Generate one output for each text of a batch, in the same order."""
        ...
