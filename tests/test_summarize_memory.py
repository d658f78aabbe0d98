"""Class 6 of issue 30: the summarizer's memory stays flat with the length of the text. The chunks
of a round go to the model in batches of a fixed budget (benchmarks/summarize_memory.py measures
the peak memory at 10,000 and 100,000 words)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama.summarization import Summarizer
from tarjama.summarization.summarizer import (
    SUMMARY_BATCH_TOKENS,
    SUMMARY_MAX_BATCH_SIZE,
    summary_batches,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 1024), max_size=300), st.integers(1, 8),
       st.integers(1, 20_000))
def test_every_batch_fits_the_budget_and_every_chunk_goes_once(lengths, beams, budget):
    batches = summary_batches(lengths, beams, budget)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= SUMMARY_MAX_BATCH_SIZE
        if len(batch) > 1:
            assert len(batch) * max(lengths[i] for i in batch) * beams <= budget


def test_a_thousand_chunks_are_not_one_batch():
    batches = summary_batches([1024] * 1000, 4)
    assert max(len(batch) for batch in batches) * 1024 * 4 <= SUMMARY_BATCH_TOKENS


@pytest.fixture(scope="module")
def summarizer(tiny_models):
    return Summarizer(str(tiny_models.summarizer))


def test_a_long_text_goes_to_the_model_in_batches_within_the_budget(summarizer, monkeypatch):
    backend = summarizer.backend
    seen: list[list[str]] = []
    real = backend.generate_batches

    def recording(batches):
        for texts, options in batches:
            seen.append(list(texts))
            yield from real([(texts, options)])

    monkeypatch.setattr(backend, "generate_batches", recording)
    text = " ".join(f"The minister said on day {n} that the new water plant will open soon."
                    for n in range(400))
    summary = summarizer.summarize(text)
    assert summary.text
    first_round = sum(1 for chunk in summary.chunks if chunk.round == 1)
    beams = summarizer.options.num_beams or backend.default_num_beams
    assert len(seen) > 1 and max(len(texts) for texts in seen) < first_round
    for texts in seen:
        longest = max(backend.count_tokens(t) for t in texts)
        assert len(texts) == 1 or len(texts) * longest * beams <= SUMMARY_BATCH_TOKENS
