"""A system's output on a reference set, and the integrity-guard flags of a translated one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True, repr=False)
class System:
    """A system's output on a set. ``signature`` and ``flags`` are set when this run translated.

    ``flags`` holds the integrity-guard flags of every segment, as the translator reported them
    (all empty when it reported none); ``confidence`` each segment's confidence (``None`` for one
    the model did not translate), when the translator reported it.
    """

    name: str
    hypotheses: tuple[str, ...]
    signature: str | None = None
    flags: tuple[tuple[str, ...], ...] | None = None
    confidence: tuple[float | None, ...] | None = None

    @property
    def translated(self) -> bool:
        """Whether this run produced the output (rather than reading it from a file)."""
        return self.signature is not None

    def __repr__(self) -> str:
        return (f"System({self.name!r}, {len(self.hypotheses)} segments, "
                f"{'translated' if self.translated else 'read from a file'})")


class FlagSummary(TypedDict):
    """How often each integrity-guard flag was raised, and on which lines (1-based)."""

    counts: dict[str, int]
    flagged_lines: list[int]


def flag_summary(system: System) -> FlagSummary | None:
    """Flag counts and flagged lines of a translated system; None when it was not translated."""
    if not system.translated:
        return None
    flags = system.flags or ()
    counts: dict[str, int] = {}
    for segment_flags in flags:
        for flag in segment_flags:
            counts[flag] = counts.get(flag, 0) + 1
    return {"counts": counts,
            "flagged_lines": [n + 1 for n, segment_flags in enumerate(flags) if segment_flags]}
