"""Summaries through the real loader on the tiny random summarizer: every sentence is covered."""
import pytest

from tarjama.pipeline import Pipeline
from tarjama.summarize import Summarizer, chunk_units


@pytest.fixture(scope="module")
def summarizer(tiny_models):
    return Summarizer(str(tiny_models.summarizer))


def _long_article(summarizer, times):
    sentences, n = [], 0
    while sum(summarizer.backend.count_tokens(s) for s in sentences) < times * summarizer.backend.max_source_tokens:
        sentences.append(f"The minister said on day {n} that the new water plant will open soon.")
        n += 1
    return sentences


def test_long_article_every_sentence_feeds_the_summary(summarizer):
    sentences = _long_article(summarizer, 5)
    summary = summarizer.summarize(" ".join(sentences))
    first_round = [c for c in summary.chunks if c.round == 1]
    assert len(first_round) >= 5
    covered = [i for c in first_round for i in range(c.first, c.last + 1)]
    assert covered == list(range(len(sentences)))
    assert all(c.tokens <= summarizer.backend.max_source_tokens for c in summary.chunks)
    assert summary.rounds >= 2 and summary.text
    assert summary.sentence_count == len(sentences)


def test_short_text_is_one_chunk(summarizer):
    summary = summarizer.summarize("The plant opened on Tuesday. It cost 2.5 billion dollars.")
    assert summary.rounds == 1 and len(summary.chunks) == 1


def test_chunks_never_exceed_limit_and_keep_order():
    units = ["a " * n for n in (3, 5, 2, 9, 4, 1, 7)]
    chunks = chunk_units(units, lambda t: len(t.split()) + 1, 10)
    assert [(c.first, c.last) for c in chunks] == [(0, 1), (2, 2), (3, 3), (4, 5), (6, 6)]
    assert all(c.tokens <= 10 for c in chunks)


def test_arabic_article_is_translated_then_summarized(tiny_models, sample_article):
    pipeline = Pipeline(str(tiny_models.marian), str(tiny_models.summarizer))
    result = pipeline.summarize(sample_article.read_text(encoding="utf-8"))
    assert result.translation is not None and result.summary.text
    assert result.to_record()["translated"] is True


def test_english_article_is_summarized_directly(tiny_models):
    pipeline = Pipeline(str(tiny_models.marian), str(tiny_models.summarizer))
    result = pipeline.summarize("The plant opened on Tuesday. It cost 2.5 billion dollars.")
    assert result.translation is None
    assert "translator" not in pipeline.__dict__
