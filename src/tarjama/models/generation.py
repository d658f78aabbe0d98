"""How to generate: what a preset recommends and what a user overrides, typed once."""
from __future__ import annotations

from dataclasses import dataclass

from tarjama._checks import at_least, check_fields
from tarjama.errors import InputError


@dataclass(frozen=True)
class GenerationOptions:
    """Overrides of the model's own ``generation_config``; ``None`` keeps the model's value.

    ``num_beams`` is the beam size; ``max_new_tokens`` the most tokens an output may have (the
    translator's default is a budget per sentence, from its length); ``min_new_tokens`` the
    fewest; ``no_repeat_ngram_size`` forbids any n-gram of that size twice in an output;
    ``length_penalty`` favours longer (above 1) or shorter (below 1) beams. A beam size below 1 is
    an :class:`~tarjama.errors.InputError` when the options are made.
    """

    num_beams: int | None = None
    max_new_tokens: int | None = None
    min_new_tokens: int | None = None
    no_repeat_ngram_size: int | None = None
    length_penalty: float | None = None

    def __post_init__(self) -> None:
        check_fields(self)
        if self.num_beams is not None and self.num_beams < 1:
            raise InputError(f"num_beams must be at least 1, not {self.num_beams}")
        at_least("max_new_tokens", self.max_new_tokens, 1, "GenerationOptions")
        at_least("min_new_tokens", self.min_new_tokens, 0, "GenerationOptions")
        at_least("no_repeat_ngram_size", self.no_repeat_ngram_size, 0, "GenerationOptions")

    def overrides(self) -> dict[str, int | float]:
        """The options that were set, as keyword arguments for ``generate``."""
        return {key: value for key, value in self.__dict__.items() if value is not None}
