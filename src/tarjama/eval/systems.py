"""A system's output on a reference set, and the integrity-guard flags of a translated one."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from tarjama.textio import read_jsonl, read_lines


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


def read_system(path: str | os.PathLike[str], name: str) -> System:
    """A system's output from a file: one segment a line, or the records of a translation saved as
    JSON Lines (:meth:`Translation.to_jsonl <tarjama.translation.Translation.to_jsonl>`, a
    ``.jsonl`` file), where each paragraph is a segment.

    From the records a segment's English is its sentences' translations joined by spaces, as the
    text output joins them, and its confidence the geometric mean of theirs (the records keep no
    token counts to weight them by; ``None`` when no sentence of it was translated). A paragraph
    without a record (an empty line of the source) is an empty segment.
    """
    if Path(path).suffix.lower() != ".jsonl":
        return System(name, tuple(read_lines(path)))
    records = read_jsonl(path, check=_sentence_record_problem)
    if not records:
        return System(name, ())
    segments: list[list[dict[str, Any]]] = [[] for _ in range(
        max(record["paragraph"] for record in records) + 1)]
    for record in sorted(records, key=lambda r: (r["paragraph"], r.get("sentence", 0))):
        segments[record["paragraph"]].append(record)
    hypotheses = tuple(" ".join(r["translation"] for r in segment if r["translation"])
                       for segment in segments)
    confidence = tuple(_segment_confidence(segment) for segment in segments)
    return System(name, hypotheses,
                  confidence=confidence if any(c is not None for c in confidence) else None)


def _sentence_record_problem(record: Any) -> str | None:
    if not isinstance(record, dict) or "paragraph" not in record or "translation" not in record:
        return ('not a record of a tarjama translation saved as JSON Lines (it needs "paragraph" '
                'and "translation"); give such a file, or the translation as text, one segment '
                'a line')
    if not isinstance(record["paragraph"], int) or isinstance(record["paragraph"], bool) \
            or record["paragraph"] < 0:
        return '"paragraph" must be a whole number from 0'
    if not isinstance(record["translation"], str):
        return '"translation" must be text'
    value = record.get("confidence")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not 0 <= value <= 1):
        return '"confidence" must be a number from 0 to 1, or null'
    return None


def _segment_confidence(sentences: list[dict[str, Any]]) -> float | None:
    values = [float(s["confidence"]) for s in sentences if s.get("confidence") is not None]
    if not values:
        return None
    if min(values) == 0:
        return 0.0
    return round(math.exp(sum(math.log(v) for v in values) / len(values)), 4)
