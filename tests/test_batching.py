import pytest

from tarjama.batching import plan_batches


@pytest.mark.parametrize("lengths,max_tokens,max_batch,expected", [
    ([], 100, 8, []),
    ([5], 100, 8, [[0]]),
    ([3, 9, 5, 9], 100, 8, [[1, 3, 2, 0]]),
    ([3, 9, 5, 9], 18, 8, [[1, 3], [2, 0]]),
    ([3, 9, 5, 9], 100, 3, [[1, 3, 2], [0]]),
    ([500, 2], 100, 8, [[0], [1]]),
], ids=["empty", "one", "all-fit", "budget", "batch-size", "over-budget-alone"])
def test_plan_batches(lengths, max_tokens, max_batch, expected):
    assert plan_batches(lengths, max_tokens, max_batch) == expected


def test_every_index_once_and_budget_kept():
    lengths = [(i * 37) % 61 + 1 for i in range(500)]
    batches = plan_batches(lengths, 256, 16)
    assert sorted(i for b in batches for i in b) == list(range(500))
    for batch in batches:
        assert len(batch) <= 16
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 256
