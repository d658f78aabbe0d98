"""``generate_detailed`` on the tiny MarianMT: both backends give the same tokens, scores and
attention, for generated outputs and for forced ones."""
import math

import pytest

from tarjama.backends import GenerationOptions, load_backend
from tarjama.models import TRANSLATION, resolve_model
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
