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


@pytest.mark.parametrize("lengths,groups,max_tokens,expected", [
    ([3, 9, 5, 9], ["a", "a", "a", "a"], 100, [[1, 3, 2, 0]]),
    ([3, 9, 5, 9], ["a", "b", "a", "b"], 100, [[1, 3], [2, 0]]),
    ([3, 9, 5, 9], ["a", "b", "b", "a"], 100, [[1, 2], [3, 0]]),
    ([3, 9, 5, 9], ["a", "b", "a", "b"], 9, [[1], [3], [2], [0]]),
    ([4, 4, 4], [1, 2, 1], 100, [[0, 2], [1]]),
], ids=["one-group", "groups-by-length", "groups-interleaved", "groups-and-budget", "ties"])
def test_plan_batches_keeps_groups_apart(lengths, groups, max_tokens, expected):
    assert plan_batches(lengths, max_tokens, 8, groups=groups) == expected


def test_groups_never_share_a_batch_and_every_index_once():
    lengths = [(i * 37) % 61 + 1 for i in range(500)]
    groups = [(i * 11) % 7 for i in range(500)]
    batches = plan_batches(lengths, 256, 16, groups=groups)
    assert sorted(i for b in batches for i in b) == list(range(500))
    for batch in batches:
        assert len({groups[i] for i in batch}) == 1
        assert len(batch) <= 16
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 256
    assert [lengths[b[0]] for b in batches] == sorted((lengths[b[0]] for b in batches), reverse=True)


def test_no_groups_plans_as_one_group():
    lengths = [(i * 37) % 61 + 1 for i in range(200)]
    assert plan_batches(lengths, 256, 16) == plan_batches(lengths, 256, 16, groups=[0] * 200)
