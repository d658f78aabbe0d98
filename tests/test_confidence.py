"""Confidence: the model's own length-normalised probability, on every sentence, both backends."""
from __future__ import annotations

import json
import math

import pytest

from tarjama.translation import Translator
from tarjama.translation.confidence import LOW_CONFIDENCE, LOW_CONFIDENCE_THRESHOLD, combine

TEXT = "قال الوزير إن المحطة جاهزة.\nThe minister left.\nوأضاف أن التكلفة بلغت مليار دولار."


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_every_translated_sentence_has_its_confidence(tiny_models, backend):
    translator = Translator(str(tiny_models.marian), backend=backend, num_beams=1,
                            compute_type="float32", confidence=True)
    result = translator.translate(TEXT)
    records = [json.loads(line) for line in result.to_jsonl().splitlines()]
    assert records[1]["confidence"] is None  # passed through, not translated
    for sentence, record in zip(result.sentences, records, strict=True):
        if sentence.confidence is None:
            continue
        assert 0.0 < sentence.confidence <= 1.0
        assert record["confidence"] == sentence.confidence
        assert (LOW_CONFIDENCE in sentence.flags) == (sentence.confidence < LOW_CONFIDENCE_THRESHOLD)
    # The same number the backend gives for the output forced through the model.
    [detail] = translator.backend.generate_detailed(
        [result.sentences[0].source], translator.options, targets=[result.sentences[0].translation])
    assert result.sentences[0].confidence == pytest.approx(math.exp(detail.score), abs=2e-3)
    assert "confidence" in result._repr_html_()


def test_confidence_is_off_by_default(tiny_models):
    result = Translator(str(tiny_models.marian), num_beams=1).translate(TEXT)
    assert all(s.confidence is None for s in result.sentences)
    assert all(LOW_CONFIDENCE not in s.flags for s in result.sentences)


def test_pieces_combine_token_weighted():
    assert combine([(-1.0, 3), (0.0, 1)]) == pytest.approx(math.exp(-0.75), abs=1e-4)
    assert combine([]) is None
