"""Generation settings: what a preset recommends and what a user overrides, typed once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GenerationOptions:
    """Overrides of the model's own ``generation_config``; ``None`` keeps the model's value."""

    num_beams: int | None = None
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None
    no_repeat_ngram_size: int | None = None
    length_penalty: float | None = None

    def overrides(self) -> dict[str, int | float]:
        """The options that were set, as keyword arguments for ``generate``."""
        return {key: value for key, value in self.__dict__.items() if value is not None}
