"""``generate_detailed`` on the tiny MarianMT: both backends give the same tokens, scores and
attention, for generated outputs and for forced ones."""
import math

import pytest
import torch as torch_library
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

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
    # CTranslate2's beam search on a batch returns another sentence's attention for its first
    # step, the one that reads the start token; Shift-Att never uses that step. A sentence alone
    # is not affected.
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


class TeacherForced:
    """transformers' own cross-attention (the head both backends return) of a model reading a
    source and a decoder input, all positions at once: the oracle of the attention rows."""

    def __init__(self, folder):
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(
            folder, attn_implementation="eager").eval()

    def rows(self, source, decoder_tokens):
        """One row per position of ``[decoder start, *decoder_tokens]``: the attention at the
        step whose decoder input is that token."""
        ids = [self.model.config.decoder_start_token_id,
               *self.tokenizer.convert_tokens_to_ids(list(decoder_tokens))]
        with torch_library.inference_mode():
            out = self.model(**self.tokenizer([source], return_tensors="pt"),
                             decoder_input_ids=torch_library.tensor([ids]),
                             output_attentions=True)
        return [[float(w) for w in row] for row in out.cross_attentions[-1][0, 0]]


def _cut(detail, oracle, limit, prefix=()):
    """Whether the output reached the length ``limit`` (new tokens): without an end of sentence,
    or with the one the model forces at the limit (``forced_eos_token_id``), whose step
    CTranslate2 never runs."""
    forced_end = oracle.model.generation_config.forced_eos_token_id is not None
    return len(prefix) + len(detail.tokens) >= limit - forced_end


def _check_shift_att(detail, source, oracle, limit, prefix=()):
    """Row t of ``detail`` is the oracle's row of the position whose input is token t, the one
    after the position that predicted it, but for the last token of an output cut by the length
    limit, which keeps its own. Returns how many rows differ from the predicting positions'."""
    rows = oracle.rows(source, (*prefix, *detail.tokens))
    cut = _cut(detail, oracle, limit, prefix)
    assert len(detail.attention) == len(detail.tokens)
    unshifted = 0
    for t, row in enumerate(detail.attention):
        own = len(prefix) + t  # the position that predicted token t
        step = own if cut and t == len(detail.tokens) - 1 else own + 1
        assert row == pytest.approx(rows[step], abs=2e-3), (t, len(detail.tokens), cut)
        unshifted += row != pytest.approx(rows[own], abs=2e-3)
    return unshifted


@pytest.fixture(scope="module")
def marian_oracle(tiny_models):
    return TeacherForced(tiny_models.marian)


@pytest.mark.parametrize("options", [GREEDY, BEAM], ids=["greedy", "beam"])
@pytest.mark.parametrize("name", ["ctranslate2", "torch"])
def test_a_token_row_is_the_attention_of_the_step_that_reads_it(backends, sentences,
                                                                 marian_oracle, name, options):
    limit = options.max_new_tokens
    details = backends[name].generate_detailed(sentences, options, attention=True)
    # Outputs the model ended itself: their last token's row is that of the end of sentence.
    ended = [(d, s) for d, s in zip(details, sentences, strict=True)
             if not _cut(d, marian_oracle, limit)]
    assert ended
    unshifted = sum(_check_shift_att(d, s, marian_oracle, limit) for d, s in ended)
    assert unshifted  # the rows of the steps that predicted the tokens would fail the test


@pytest.mark.parametrize("name", ["ctranslate2", "torch"])
def test_a_forced_token_row_is_the_attention_of_the_step_that_reads_it(backends, sentences,
                                                                        marian_oracle, name):
    # A forced output is never cut: the decoder also reads its last token.
    details = backends[name].generate_detailed(sentences[:3], GREEDY, attention=True,
                                               targets=FORCED[:3])
    assert sum(_check_shift_att(d, s, marian_oracle, math.inf)
               for d, s in zip(details, sentences[:3], strict=True))


@pytest.mark.parametrize("name", ["ctranslate2", "torch"])
def test_an_output_cut_by_the_length_limit_keeps_its_last_token_row(backends, sentences,
                                                                    marian_oracle, name):
    options = GenerationOptions(num_beams=4, max_new_tokens=6)
    details = backends[name].generate_detailed(sentences, options, attention=True)
    cut = [(d, s) for d, s in zip(details, sentences, strict=True)
           if _cut(d, marian_oracle, options.max_new_tokens)]
    assert cut
    for detail, source in cut:
        _check_shift_att(detail, source, marian_oracle, options.max_new_tokens)


@pytest.mark.parametrize("options", [GREEDY, BEAM], ids=["greedy", "beam"])
def test_rows_after_a_forced_first_token_are_those_of_the_steps_that_read_the_tokens(
        tiny_models, forced_bos_backends, options):
    english = examples.path("article_en.txt").read_text(encoding="utf-8")
    texts = [line for line in english.splitlines() if line][:4]
    oracle = TeacherForced(tiny_models.summarizer)
    prefix = (oracle.tokenizer.bos_token,)
    for backend in forced_bos_backends.values():
        details = backend.generate_detailed(texts, options, attention=True)
        assert sum(_check_shift_att(d, t, oracle, options.max_new_tokens, prefix)
                   for d, t in zip(details, texts, strict=True))
