"""Summaries through the real loader on the tiny random summarizer: every sentence is covered."""
import pytest

from tarjama.errors import InputError
from tarjama.pipeline import (
    SUMMARIZE_THEN_TRANSLATE,
    TRANSLATE_THEN_SUMMARIZE,
    Pipeline,
    choose_strategy,
)
from tarjama.summarization import Summarizer, SummaryOptions, chunk_units


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
    assert not summary.truncated and summary.omitted_sentences == 0
    # Every later round reads every summary of the round before it, in order.
    for number in range(2, summary.rounds + 1):
        before = [c for c in summary.chunks if c.round == number - 1]
        now = [c for c in summary.chunks if c.round == number]
        assert [i for c in now for i in range(c.first, c.last + 1)] == list(range(len(before)))


def test_short_text_is_one_chunk(summarizer):
    summary = summarizer.summarize("The plant opened on Tuesday. It cost 2.5 billion dollars.")
    assert summary.rounds == 1 and len(summary.chunks) == 1
    assert summary.sentences and summary.text == " ".join(summary.sentences)


def test_chunks_never_exceed_limit_and_keep_order():
    units = ["a " * n for n in (3, 5, 2, 9, 4, 1, 7)]
    chunks = chunk_units(units, lambda t: len(t.split()) + 1, 10)
    assert [(c.first, c.last) for c in chunks] == [(0, 1), (2, 2), (3, 3), (4, 5), (6, 6)]
    assert all(c.tokens <= 10 for c in chunks)


def test_chunks_are_as_few_as_fit_and_even():
    sizes = (3, 3, 3, 3, 2, 2, 2, 2, 2)
    units = ["a " * (n - 1) for n in sizes]
    chunks = chunk_units(units, lambda t: len(t.split()) + 1, 10)
    assert [(c.first, c.last) for c in chunks] == [(0, 1), (2, 4), (5, 8)]
    assert [c.tokens for c in chunks] == [6, 8, 8]
    full = chunk_units(units, lambda t: len(t.split()) + 1, 10, even=False)
    assert [c.tokens for c in full] == [9, 9, 4]


def test_even_chunks_around_a_sentence_too_long_for_one():
    sizes = (4, 4, 4, 30, 5, 5, 1)
    units = [" ".join(f"w{i}" for i in range(n - 1)) for n in sizes]
    chunks = chunk_units(units, lambda t: len(t.split()) + 1, 10)
    spans = [(c.first, c.last) for c in chunks]
    assert spans[:2] == [(0, 1), (2, 2)] or spans[:2] == [(0, 0), (1, 2)]
    assert spans[-2:] == [(4, 4), (5, 6)]
    assert {3} == {c.first for c in chunks if c.first == c.last == 3}
    assert all(c.tokens <= 10 for c in chunks)


def test_lead_only_reads_the_first_chunk_and_counts_the_rest(summarizer):
    sentences = _long_article(summarizer, 2)
    summary = summarizer.summarize(" ".join(sentences), SummaryOptions(lead_only=True))
    assert len(summary.chunks) == 1 and summary.rounds == 1
    # The lead is as much as fits, not an evened-out share.
    lead = summary.chunks[0]
    count = summarizer.backend.count_tokens
    assert lead.tokens + count(sentences[lead.last + 1]) > summarizer.max_input_tokens
    assert summary.truncated
    assert summary.omitted_sentences == len(sentences) - summary.chunks[0].last - 1 > 0
    assert "lead-only:yes" in summary.signature
    assert summary.to_record()["truncated"] is True


def test_lead_only_on_a_short_text_cuts_nothing(summarizer):
    summary = summarizer.summarize("The plant opened. It cost 2.5 billion dollars.",
                                   SummaryOptions(lead_only=True))
    assert not summary.truncated and summary.omitted_sentences == 0


def test_headline_is_one_short_line(summarizer):
    summary = summarizer.summarize(" ".join(_long_article(summarizer, 1)),
                                   SummaryOptions(form="headline"))
    assert summary.text and "\n" not in summary.text
    assert len(summary.sentences) == 1 and len(summary.text.split()) <= 16


def test_bullets_are_one_sentence_per_line(summarizer):
    summary = summarizer.summarize(" ".join(_long_article(summarizer, 1)),
                                   SummaryOptions(form="bullets", min_words=40))
    lines = summary.text.split("\n")
    assert lines == [f"- {sentence}" for sentence in summary.sentences]


@pytest.mark.parametrize("max_words", [3, 8])
def test_max_words_bounds_the_summary(summarizer, max_words):
    summary = summarizer.summarize(" ".join(_long_article(summarizer, 1)),
                                   SummaryOptions(max_words=max_words))
    assert 0 < len(summary.text.split()) <= max_words


def test_min_words_makes_the_summary_longer(summarizer):
    text = " ".join(_long_article(summarizer, 1))
    plain = summarizer.summarize(text)
    longer = summarizer.summarize(text, SummaryOptions(min_words=60))
    assert len(longer.text.split()) > len(plain.text.split())
    assert summarizer.backend.count_tokens(longer.chunks[-1].summary) > 60


def test_arabic_article_is_translated_then_summarized(tiny_models, sample_article):
    pipeline = Pipeline(str(tiny_models.marian), str(tiny_models.summarizer))
    result = pipeline.summarize(sample_article.read_text(encoding="utf-8"))
    assert result.translation is not None and result.summary.text
    record = result.to_record()
    assert record["translated"] is True and record["strategy"] == TRANSLATE_THEN_SUMMARIZE
    assert "source_summary" not in record


def test_english_article_is_summarized_directly(tiny_models):
    pipeline = Pipeline(str(tiny_models.marian), str(tiny_models.summarizer))
    result = pipeline.summarize("The plant opened on Tuesday. It cost 2.5 billion dollars.")
    assert result.translation is None
    assert "translator" not in pipeline.__dict__


def test_summarize_then_translate_summarizes_the_arabic(tiny_models, sample_article):
    # The tiny summarizer's byte-level BPE reads Arabic, so it can stand in for mT5 XLSum here.
    pipeline = Pipeline(str(tiny_models.marian), str(tiny_models.summarizer),
                        strategy=SUMMARIZE_THEN_TRANSLATE)
    article = sample_article.read_text(encoding="utf-8")
    result = pipeline.summarize(article, options=SummaryOptions(form="bullets"))
    first_round = [c for c in result.summary.chunks if c.round == 1]
    # Arabic costs the tiny model's byte-level BPE many tokens: long sentences come in pieces.
    covered = [i for c in first_round for i in range(c.first, c.last + 1)]
    assert covered == sorted(covered)
    assert sorted(set(covered)) == list(range(result.summary.sentence_count))
    # What was translated is the summary, not the article.
    assert result.source_summary and result.translation.text.strip()
    assert len(result.translation.sentences) < result.summary.sentence_count
    assert result.summary.text.split("\n") == [f"- {s}" for s in result.summary.sentences]
    assert all(flag.kind == "number" for flag in result.flags)
    assert result.to_record()["strategy"] == SUMMARIZE_THEN_TRANSLATE


@pytest.mark.parametrize("strategy,summarizer,expected", [
    ("auto", "distilbart", TRANSLATE_THEN_SUMMARIZE),
    ("auto", "pegasus", TRANSLATE_THEN_SUMMARIZE),
    ("auto", "mt5-xlsum", SUMMARIZE_THEN_TRANSLATE),
    ("auto", "some-org/some-model", TRANSLATE_THEN_SUMMARIZE),
    ("translate-then-summarize", "mt5-xlsum", TRANSLATE_THEN_SUMMARIZE),
    ("summarize-then-translate", "mt5-xlsum", SUMMARIZE_THEN_TRANSLATE),
    ("summarize-then-translate", "/models/my-arabic-summarizer", SUMMARIZE_THEN_TRANSLATE),
])
def test_strategy_choice(strategy, summarizer, expected):
    assert choose_strategy(strategy, summarizer) == expected


@pytest.mark.parametrize("strategy,summarizer,message", [
    ("summarize-then-translate", "distilbart", "reads English only"),
    ("summarize-then-translate", "bart-large", "mt5-xlsum"),
    ("sideways", "distilbart", "choose one of: auto"),
])
def test_impossible_strategy_is_refused(strategy, summarizer, message):
    with pytest.raises(InputError, match=message):
        choose_strategy(strategy, summarizer)


@pytest.mark.parametrize("kwargs,message", [
    ({"max_words": 0}, "at least 1"),
    ({"max_words": 5, "min_words": 9}, "above max-words"),
    ({"form": "poem"}, "choose one of"),
])
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        SummaryOptions(**kwargs)
