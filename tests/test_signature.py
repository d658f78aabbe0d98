"""Signatures: one object writes and reads them for translations, summaries and ROUGE (issue 16)."""
from __future__ import annotations

import pytest

from tarjama.eval.rouge import rouge_signature
from tarjama.signature import Signature


@pytest.mark.parametrize("text", [
    "model:org/m@local|backend:torch|device:cpu|compute:float32|beams:4|guard:on|segmenter:1.2|tarjama:0.1",
    "rouge|nrefs:1|stem:yes|lsum-split:yes|bootstrap:1000|seed:12345|segmenter:1.2|version:0.1.2",
    "model:C:/models/m@local|beams:1",
], ids=["translation", "rouge", "colon-in-value"])
def test_parse_reads_back_what_str_writes(text):
    assert str(Signature.parse(text)) == text


def test_fields_are_read_by_name():
    signature = Signature.parse(rouge_signature(nrefs=2, stem=False, n_bootstrap=10, seed=7))
    assert signature.name == "rouge"
    assert (signature["nrefs"], signature["stem"], signature["seed"]) == ("2", "no", "7")
    assert signature.get("beams") is None
    with pytest.raises(KeyError):
        signature["beams"]


def test_translator_and_summarizer_sign_with_the_same_model_fields(tiny_models):
    from tarjama.summarization import Summarizer
    from tarjama.translation import Translator

    translator = Signature.parse(Translator(str(tiny_models.marian), backend="torch").signature)
    summarizer = Signature.parse(Summarizer(str(tiny_models.summarizer), backend="torch").signature)
    model_keys = ["model", "backend", "device", "compute", "beams"]
    assert [k for k, _ in translator.fields][:5] == [k for k, _ in summarizer.fields][:5] == model_keys
    assert translator["backend"] == summarizer["backend"] == "torch"
    assert translator["model"].endswith("marian-tiny@local")
    assert translator["tarjama"] == summarizer["tarjama"]
