"""Batches for generation: sort by length, fill each batch up to a token budget, keep the order."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

#: Padded source tokens times beams in one batch. The decoder's working memory grows with
#: batch x beams x length, while larger batches run little faster past a point (measured with
#: transformer-big at beam 4: see benchmarks/RESULTS.md#batch-tokens).
DEFAULT_BATCH_TOKENS = 8192
DEFAULT_MAX_BATCH_SIZE = 64


def plan_batches(lengths: Sequence[int], max_tokens: int = DEFAULT_BATCH_TOKENS,
                 max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
                 groups: Sequence[Hashable] | None = None) -> list[list[int]]:
    """Group item indices into batches of similar length.

    Longest items come first, so a memory problem shows at once rather than at the end. A batch
    grows while ``items x longest item`` (its padded size) stays within ``max_tokens`` and it has at
    most ``max_batch_size`` items; an item longer than the budget still gets a batch of its own.
    ``groups``, one key per item, keeps items of different keys out of the same batch. Every index
    appears exactly once.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    members: dict[Hashable, list[int]] = {}
    for index in order:
        members.setdefault(groups[index] if groups is not None else None, []).append(index)
    batches: list[list[int]] = []
    for indices in members.values():
        current: list[int] = []
        for index in indices:
            longest = lengths[current[0]] if current else lengths[index]
            if current and ((len(current) + 1) * longest > max_tokens
                            or len(current) >= max_batch_size):
                batches.append(current)
                current = []
            current.append(index)
        if current:
            batches.append(current)
    # Each batch starts with its longest item; across groups, longest first again.
    return sorted(batches, key=lambda batch: (-lengths[batch[0]], batch[0]))
