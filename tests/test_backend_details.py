"""``generate_detailed`` on the tiny MarianMT: both backends give the same tokens, scores and
attention, for generated outputs and for forced ones."""
import math

import pytest

from tarjama import examples
from tarjama.backends import GenerationOptions, load_backend
from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model
from tarjama.segment import split_paragraphs

GREEDY = GenerationOptions(num_beams=1, max_new_tokens=32)
FORCED = ["The president said on Tuesday", "He added", "2024", ""]


@pytest.fixture(scope="module")
def backends(tiny_models):
    marian = resolve_model(str(tiny_models.marian), TRANSLATION)
    return {name: load_backend(marian, name, "cpu", "float32") for name in ("ctranslate2", "torch")}


@pytest.fixture(scope="module")
def sentences(sample_article):
    return [s.text for p in split_paragraphs(sample_article.read_text(encoding="utf-8"))
            for s in p.sentences][:8]


def _argmax(row):
    return max(range(len(row)), key=row.__getitem__)


@pytest.mark.parametrize("forced", [False, True], ids=["generated", "forced"])
def test_backends_agree_on_tokens_scores_and_attention(backends, sentences, forced):
    targets = (FORCED * 2)[:len(sentences)] if forced else None
    ct2, torch = (backends[name].generate_detailed(sentences, GREEDY, attention=True,
                                                   targets=targets)
                  for name in ("ctranslate2", "torch"))
    same_argmax = rows = 0
    for a, b in zip(ct2, torch, strict=True):
        assert a.tokens == b.tokens and a.source_tokens == b.source_tokens
        assert a.text == b.text
        assert a.score == pytest.approx(b.score, abs=1e-3)
        assert a.score < 0
        assert len(a.attention) == len(b.attention) == len(a.tokens)
        for row_a, row_b in zip(a.attention, b.attention, strict=True):
            assert len(row_a) == len(row_b) == len(a.source_tokens)
            assert math.fsum(row_a) == pytest.approx(1, abs=1e-3)
            same_argmax += _argmax(row_a) == _argmax(row_b)
            rows += 1
    assert rows and same_argmax / rows >= 0.9


def test_generated_text_is_what_generate_gives(backends, sentences):
    for backend in backends.values():
        detailed = backend.generate_detailed(sentences, GREEDY)
        assert [d.text for d in detailed] == backend.generate(sentences, GREEDY)
        assert all(d.attention is None for d in detailed)
        assert all(d.source_tokens[-1] == "</s>" and "</s>" not in d.tokens for d in detailed)


def test_forced_output_keeps_the_target_and_scores_worse_than_the_model_own(backends, sentences):
    # The model's own greedy output is, token by token, its most likely choice; a foreign
    # sentence forced on it must score lower.
    for backend in backends.values():
        [own] = backend.generate_detailed(sentences[:1], GREEDY)
        [forced] = backend.generate_detailed(sentences[:1], GREEDY, targets=["Completely unrelated words"])
        assert forced.text == "Completely unrelated words"
        assert forced.score < own.score


def test_no_texts_no_outputs(backends):
    for backend in backends.values():
        assert backend.generate_detailed([], GREEDY, attention=True) == []


def test_scored_batches_are_the_generated_outputs_with_attention_where_asked(backends, sentences):
    for backend in backends.values():
        [scored] = backend.generate_scored([(sentences, GREEDY, [1])])
        assert [d.text for d in scored] == backend.generate(sentences, GREEDY)
        assert [d.attention is not None for d in scored] == [k == 1 for k in range(len(sentences))]
        assert all(d.score < 0 for d in scored)


BEAM = GenerationOptions(num_beams=4, max_new_tokens=24)


def test_beam_search_attention_is_each_sentence_own(backends, sentences):
    # CTranslate2's beam search returns another sentence's attention for the first token of a
    # batch's outputs; the backend takes that row again. A sentence alone is not affected.
    for backend in backends.values():
        batched = backend.generate_detailed(sentences, BEAM, attention=True)
        for sentence, detail in zip(sentences, batched, strict=True):
            [alone] = backend.generate_detailed([sentence], BEAM, attention=True)
            assert alone.tokens == detail.tokens
            for row, row_alone in zip(detail.attention, alone.attention, strict=True):
                assert row == pytest.approx(row_alone, abs=1e-4)


def test_beam_search_scores_and_attention_agree_across_backends(backends, sentences):
    ct2, torch = (backends[name].generate_detailed(sentences, BEAM, attention=True)
                  for name in ("ctranslate2", "torch"))
    same = [(a, b) for a, b in zip(ct2, torch, strict=True) if a.tokens == b.tokens]
    assert len(same) >= len(sentences) // 2  # beam searches may part on near-ties
    for a, b in same:
        assert a.score == pytest.approx(b.score, abs=1e-3)
        for row_a, row_b in zip(a.attention, b.attention, strict=True):
            assert row_a == pytest.approx(row_b, abs=1e-3)


def test_torch_beam_scores_are_what_transformers_reports(backends, sentences):
    # transformers' own per-token scores of its beam search (output_scores, which keeps every
    # step's whole vocabulary) are the oracle for the candidates tarjama keeps instead.
    backend = backends["torch"]
    options = GenerationOptions(num_beams=4, max_new_tokens=24)
    ours = backend.generate_detailed(sentences, options)
    batch = backend.tokenizer(sentences, return_tensors="pt", padding=True)
    out = backend.model.generate(**batch, **backend._settings(options),
                                 return_dict_in_generate=True, output_scores=True)
    transitions = backend.model.compute_transition_scores(out.sequences, out.scores,
                                                          out.beam_indices)
    for b, detail in enumerate(ours):
        assert detail.text == backend.tokenizer.decode(out.sequences[b], skip_special_tokens=True)
        assert detail.score * (len(detail.tokens) + 1) == pytest.approx(
            float(transitions[b].sum()), abs=1e-3)


@pytest.fixture(scope="module")
def forced_bos_backends(tiny_models):
    # The tiny summarizer is a BART whose generation forces its first token (forced_bos_token_id),
    # as mBART-style models force a language code.
    bart = resolve_model(str(tiny_models.summarizer), SUMMARIZATION)
    return {name: load_backend(bart, name, "cpu", "float32") for name in ("ctranslate2", "torch")}


@pytest.mark.parametrize("options", [GREEDY, BEAM], ids=["greedy", "beam"])
def test_a_forced_first_token_is_left_out_of_tokens_and_score_on_both_backends(
        forced_bos_backends, options):
    english = examples.path("article_en.txt").read_text(encoding="utf-8")
    texts = [line for line in english.splitlines() if line][:4]
    bos = forced_bos_backends["torch"].tokenizer.bos_token
    ct2, torch = (forced_bos_backends[name].generate_detailed(texts, options)
                  for name in ("ctranslate2", "torch"))
    same = [(a, b) for a, b in zip(ct2, torch, strict=True) if a.tokens == b.tokens]
    assert len(same) >= (len(texts) if options is GREEDY else len(texts) // 2)
    for a, b in same:
        assert a.tokens and a.tokens[0] != bos
        assert a.text == b.text
        assert a.score == pytest.approx(b.score, abs=1e-3)
        assert a.score < 0
