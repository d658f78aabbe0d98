"""What the reader asked for: how long the summary is, its form, and how much of the article it reads."""
from __future__ import annotations

from dataclasses import dataclass

from tarjama._checks import check_fields
from tarjama.errors import InputError

PARAGRAPH = "paragraph"
BULLETS = "bullets"
HEADLINE = "headline"
FORMS = (PARAGRAPH, BULLETS, HEADLINE)

#: A headline is one line of at most this many words (fewer when ``max_words`` says so).
HEADLINE_MAX_WORDS = 16


@dataclass(frozen=True)
class SummaryOptions:
    """Controls of one summary.

    ``max_words``/``min_words`` bound the length of the final summary (the chunk summaries of earlier
    rounds keep the model's own lengths); ``form`` is ``paragraph``, ``bullets`` (one sentence per
    line, prefixed ``- ``) or ``headline`` (one short line); ``lead_only`` summarizes only the first
    chunk of a long article and says how many sentences were left out.
    """

    max_words: int | None = None
    min_words: int | None = None
    form: str = PARAGRAPH
    lead_only: bool = False

    def __post_init__(self) -> None:
        check_fields(self)
        if self.form not in FORMS:
            raise InputError(f"unknown summary form {self.form!r}; choose one of: {', '.join(FORMS)}")
        for name in ("max_words", "min_words"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InputError(f"{name.replace('_', '-')} must be at least 1, not {value}")
        if self.max_words and self.min_words and self.min_words > self.max_words:
            raise InputError(f"min-words ({self.min_words}) is above max-words ({self.max_words})")

    @property
    def word_limit(self) -> int | None:
        """The most words the final summary may have, or ``None`` for the model's own length."""
        if self.form == HEADLINE:
            return min(self.max_words or HEADLINE_MAX_WORDS, HEADLINE_MAX_WORDS)
        return self.max_words

    def signature_part(self) -> str:
        """The non-default controls, for the summary's signature (empty when all are default)."""
        parts = []
        if self.form != PARAGRAPH:
            parts.append(f"form:{self.form}")
        if self.word_limit is not None:
            parts.append(f"max-words:{self.word_limit}")
        if self.min_words is not None:
            parts.append(f"min-words:{self.min_words}")
        if self.lead_only:
            parts.append("lead-only:yes")
        return "".join(f"|{part}" for part in parts)
