"""Confidence: the model's own length-normalised probability, from the generation that wrote each
translation, on every translated sentence by default, on both backends, cached or not."""
from __future__ import annotations

import json
import math
import sqlite3

import pytest

from tarjama.backends import GenerationOptions
from tarjama.normalize import normalize_for_model
from tarjama.translation import Translator
from tarjama.translation.confidence import (
    LOW_CONFIDENCE,
    LOW_CONFIDENCE_THRESHOLD,
    combine,
    mean,
)

TEXT = "قال الوزير إن المحطة جاهزة.\nThe minister left.\nوأضاف أن التكلفة بلغت مليار دولار."
GREEDY = {"num_beams": 1, "compute_type": "float32", "device": "cpu"}


def _translator(tiny_models, backend="ctranslate2", **settings):
    return Translator(str(tiny_models.marian), backend=backend, **{**GREEDY, **settings})


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_every_translated_sentence_has_its_confidence_by_default(tiny_models, backend):
    translator = _translator(tiny_models, backend)
    result = translator.translate(TEXT)
    records = [json.loads(line) for line in result.to_jsonl().splitlines()]
    assert records[1]["confidence"] is None  # passed through, not translated
    translated = [s for s in result.sentences if s.confidence is not None]
    assert len(translated) == 2
    for sentence, record in zip(result.sentences, records, strict=True):
        if sentence.confidence is None:
            continue
        assert 0.0 < sentence.confidence <= 1.0
        assert record["confidence"] == sentence.confidence
        assert (LOW_CONFIDENCE in sentence.flags) == (sentence.confidence < LOW_CONFIDENCE_THRESHOLD)
    assert "confidence" in result._repr_html_()


def test_confidence_is_the_generation_score(tiny_models):
    # The same number the backend's generation gives for that sentence, with the same budget.
    translator = _translator(tiny_models, guard="off")
    sentence = "قال الوزير إن المحطة جاهزة."
    [translated] = translator.translate(sentence).sentences
    budget = translator._budget(translator.backend.count_tokens(sentence))
    [detail] = translator.backend.generate_detailed(
        [normalize_for_model(sentence)], GenerationOptions(num_beams=1, max_new_tokens=budget))
    assert detail.text.strip() == translated.translation
    assert translated.confidence == pytest.approx(math.exp(detail.score), abs=1e-4)


def test_both_backends_give_the_same_confidence(tiny_models):
    ct2, torch = (_translator(tiny_models, name, guard="off").translate(TEXT)
                  for name in ("ctranslate2", "torch"))
    for a, b in zip(ct2.sentences, torch.sentences, strict=True):
        assert a.translation == b.translation
        assert (a.confidence is None) == (b.confidence is None)
        if a.confidence is not None:
            assert a.confidence == pytest.approx(b.confidence, abs=1e-3)


def test_confidence_can_be_turned_off(tiny_models):
    result = _translator(tiny_models, confidence=False).translate(TEXT)
    assert all(s.confidence is None for s in result.sentences)
    assert all(LOW_CONFIDENCE not in s.flags for s in result.sentences)


def test_a_cached_translation_keeps_its_confidence(tiny_models, tmp_path):
    cache = tmp_path / "cache.sqlite3"
    first = _translator(tiny_models, cache=cache).translate(TEXT)
    again = _translator(tiny_models, cache=cache)
    second = again.translate(TEXT)
    assert again.tally.from_cache == 2
    assert [s.confidence for s in second.sentences] == [s.confidence for s in first.sentences]
    assert [s.flags for s in second.sentences] == [s.flags for s in first.sentences]


def test_a_cache_from_before_scores_is_translated_again_or_reused_without_them(tiny_models,
                                                                              tmp_path):
    cache = tmp_path / "cache.sqlite3"
    first = _translator(tiny_models, cache=cache).translate(TEXT)
    with sqlite3.connect(cache) as db:  # as a cache written before scores were kept
        db.execute("DROP TABLE scores")
    without = _translator(tiny_models, cache=cache, confidence=False)
    assert without.translate(TEXT).text == first.text
    assert without.tally.from_cache == 2
    rescored = _translator(tiny_models, cache=cache)
    result = rescored.translate(TEXT)
    assert rescored.tally.from_cache == 0  # translated again, never reported without a score
    assert [s.confidence for s in result.sentences] == [s.confidence for s in first.sentences]
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == 2


def test_a_score_of_another_translation_is_never_used(tiny_models, tmp_path):
    # Another tarjama version rewrote a row's translation, leaving the score of the old one.
    cache = tmp_path / "cache.sqlite3"
    _translator(tiny_models, cache=cache).translate(TEXT)
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE translations SET translation = 'Edited by hand.'")
    again = _translator(tiny_models, cache=cache)
    result = again.translate(TEXT)
    assert again.tally.from_cache == 0
    assert "Edited by hand." not in result.text


def test_pieces_combine_token_weighted():
    assert combine([(-1.0, 3), (0.0, 1)]) == pytest.approx(math.exp(-0.75), abs=1e-4)
    assert mean([(-1.0, 3), (0.0, 1)]) == pytest.approx((-0.75, 4))
    assert combine([]) is None
