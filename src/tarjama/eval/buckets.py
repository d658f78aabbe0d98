"""Segments grouped by length, to see whether a system fails on long sentences or short ones."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Word counts of FLORES-200 and news sentences mostly fall between 10 and 40.
DEFAULT_BUCKET_EDGES = (10, 20, 30, 40)


@dataclass(frozen=True)
class Bucket:
    """Segments whose length in words lies in ``[low, high]`` (``high`` None: no upper bound)."""

    label: str
    low: int
    high: int | None
    indices: tuple[int, ...]


def length_buckets(texts: Sequence[str],
                   edges: Sequence[int] = DEFAULT_BUCKET_EDGES) -> tuple[Bucket, ...]:
    """Group segment indices by word count (whitespace-separated); empty buckets are left out."""
    bounds = [(0 if n == 0 else edges[n - 1] + 1, edges[n] if n < len(edges) else None)
              for n in range(len(edges) + 1)]
    members: list[list[int]] = [[] for _ in bounds]
    for index, text in enumerate(texts):
        words = len(text.split())
        slot = next((n for n, edge in enumerate(edges) if words <= edge), len(edges))
        members[slot].append(index)
    return tuple(Bucket(_label(low, high), low, high, tuple(m))
                 for (low, high), m in zip(bounds, members, strict=True) if m)


def _label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return f"≤{high}" if low == 0 else f"{low}–{high}"
