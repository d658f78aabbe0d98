"""Translation through the real loader and backend, on the tiny random MarianMT model."""
import json

import pytest

from tarjama.segment import split_long_sentence, split_paragraphs
from tarjama.translation import Translator


@pytest.fixture(scope="module")
def translator(tiny_models):
    # float32: int8 results may change in the last digits with the batch they are computed in,
    # and the random model turns such digits into different words.
    return Translator(str(tiny_models.marian), num_beams=1, compute_type="float32")


def test_article_keeps_paragraphs_and_sentences(translator, sample_article):
    text = sample_article.read_text(encoding="utf-8")
    result = translator.translate(text)
    paragraphs = split_paragraphs(text)
    assert result.paragraph_count == len(paragraphs)
    assert [s.source for s in result.sentences] == [s.text for p in paragraphs for s in p.sentences]
    assert len(result.text.split("\n")) == len(paragraphs)
    assert all(s.translation for s in result.sentences)
    for line in result.to_jsonl().splitlines():
        record = json.loads(line)
        assert set(record) == {"paragraph", "sentence", "source", "translation", "flags", "confidence",
                               "terms", "names"}


def test_blank_lines_stay_in_place(translator):
    result = translator.translate("جملة أولى.\n\nجملة ثانية.")
    assert result.paragraph_count == 3
    assert result.text.split("\n")[1] == ""


def test_batching_does_not_change_outputs(translator, sample_article):
    sentences = [s.text for p in split_paragraphs(sample_article.read_text(encoding="utf-8"))
                 for s in p.sentences]
    together = translator.translate_sentences(sentences)
    alone = [translator.translate_sentences([s])[0] for s in sentences]
    assert together == alone


def test_sentence_longer_than_model_limit_is_split_not_cut(translator):
    clause = "وقال المسؤول إن المشروع سيكتمل في العام المقبل"
    long_sentence = "، ".join([clause] * 80) + "."
    backend = translator.backend
    assert backend.count_tokens(long_sentence) > backend.max_source_tokens
    pieces = split_long_sentence(long_sentence, backend.count_tokens, backend.max_source_tokens)
    assert len(pieces) > 1
    [output] = translator.translate_sentences([long_sentence])
    assert output == " ".join(translator.translate_sentences(pieces))


def test_documents_split_already_are_translated_line_by_line(translator):
    text = "قال الوزير. ثم غادر.\n\nجملة ثانية"
    [result] = translator.translate_documents([text], split=False)
    assert [(s.paragraph, s.source) for s in result.sentences] == [
        (0, "قال الوزير. ثم غادر."), (2, "جملة ثانية")]
    assert result.paragraph_count == 3
    assert [s.translation for s in result.sentences] == translator.translate_sentences(
        ["قال الوزير. ثم غادر.", "جملة ثانية"])
    assert len(translator.translate(text).sentences) == 3


def test_progress_reports_every_sentence(translator):
    seen = []
    translator.translate_sentences(["جملة."] * 7, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (7, 7)


def test_signature_names_model_backend_and_segmenter(translator):
    assert translator.signature.startswith("model:")
    assert f"|backend:{translator.backend.name}|" in translator.signature
    assert f"|compute:{translator.backend.compute_type}|" in translator.signature
    assert "|segmenter:" in translator.signature


def test_persian_and_urdu_pass_through_flagged(translator):
    persian = "وزیر خارجه ایران گفت که مذاکرات هفته آینده ادامه خواهد یافت."
    urdu = "پاکستان کے شہر لاہور میں بارش ہوئی۔"
    arabic = "قال الرئيس إن الاجتماع كان ناجحا."
    result = translator.translate(f"{persian} {arabic}\n{urdu}")
    by_source = {s.source: s for s in result.sentences}
    for other in (persian, urdu):
        assert by_source[other].translation == other
        assert by_source[other].flags == ("not_arabic",)
    assert "not_arabic" not in by_source[arabic].flags
    assert by_source[arabic].translation != arabic


@pytest.mark.parametrize("beams", [1, 4])
def test_batch_token_budget_counts_the_beams(tiny_models, beams):
    translator = Translator(str(tiny_models.marian), num_beams=beams, guard="off")
    sentences = [f"قال الوزير إن المشروع رقم {n} سيكتمل في العام المقبل." for n in range(40)]
    longest = max(translator.backend.count_tokens(s) for s in sentences)
    translator.batch_tokens = 16 * longest
    planned: list[list[str]] = []
    generate_scored = translator.backend.generate_scored

    def recorded(batches):
        for sources, options, attend in batches:
            planned.append(list(sources))
            yield from generate_scored([(sources, options, attend)])

    translator.backend.generate_scored = recorded
    translator.translate_sentences(sentences)
    sizes = [len(batch) for batch in planned]
    assert sum(sizes) == len(sentences)
    assert max(sizes) == 16 // beams
    for batch in planned:
        assert len(batch) * max(map(translator.backend.count_tokens, batch)) * beams \
            <= translator.batch_tokens


def test_output_budgets_are_few_so_batches_fill(tiny_models):
    """Each sentence's budget holds twice its tokens plus room, and budgets double, so the
    sentences of a news article (10 to 88 tokens) share at most three budgets."""
    translator = Translator(str(tiny_models.marian), guard="off")
    limit = translator.backend.max_source_tokens
    budgets = {tokens: translator._budget(tokens) for tokens in range(1, limit + 1)}
    for tokens, budget in budgets.items():
        assert min(2 * tokens + 16, limit) <= budget <= limit
        assert budget <= max(2 * (2 * tokens + 16), 48)
    assert [budgets[t] for t in sorted(budgets)] == sorted(budgets.values())
    assert len({budgets[tokens] for tokens in range(10, 89)}) <= 3


def test_a_sentence_translates_the_same_whatever_its_batch_mates(tiny_models, sample_article):
    """Each sentence has its own output budget and a flagged one is retried on its own, so its
    float32 translation does not depend on the batch (the Ray engine batches records otherwise).
    Short sentences among long ones show it: the random model often writes up to the budget."""
    translator = Translator(str(tiny_models.marian), compute_type="float32")
    sentences = [s.text for p in split_paragraphs(sample_article.read_text(encoding="utf-8"))
                 for s in p.sentences]
    words = " ".join(sentences).split()
    short = [" ".join(words[i:i + 2 + i % 7]) for i in range(0, 300, 5)]
    alone = [translator.translate_sentences_flagged([s])[0] for s in short]
    assert any(flags for _, flags in alone), "some sentences must go through the guard's retry"
    mixed = translator.translate_sentences_flagged([*sentences, *short[::-1]])
    assert mixed[len(sentences):] == alone[::-1]
