"""Class 4 of issue 30: no input is too long for the model. A word longer than the model can read
(text glued without spaces, a long URL-like run) is cut into pieces that fit, flagged, and kept."""
import pytest

from tarjama.backends import GenerationOptions
from tarjama.pipeline import Pipeline
from tarjama.summarization import Summarizer, SummarizerSettings
from tarjama.translation import CUT_WORD, Translator, TranslatorSettings


@pytest.fixture(scope="module", params=["ctranslate2", "torch"])
def translator(request, tiny_models):
    return Translator(str(tiny_models.marian), backend=request.param, num_beams=1,
                      compute_type="float32", guard="off")


@pytest.mark.parametrize("glued", ["ب" * 1200, "بَ" * 600, "بب1" * 500, "ب١" * 600])
def test_a_word_longer_than_the_model_is_translated_and_flagged(translator, glued):
    limit = translator.backend.max_source_tokens
    assert translator.backend.count_tokens(glued) > limit
    result = translator.translate(f"قال الوزير {glued} أمس.")
    [sentence] = result.sentences
    assert sentence.translation
    assert CUT_WORD in sentence.flags


def test_a_word_that_fits_is_not_flagged(translator):
    [sentence] = translator.translate("قال الوزير إن الاجتماع كان ناجحا.").sentences
    assert CUT_WORD not in sentence.flags


def test_an_output_budget_asked_above_the_model_positions_is_held_to_them(tiny_models):
    translator = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                            guard="off", generation=GenerationOptions(max_new_tokens=100_000))
    assert translator._budget(3) == translator.backend.max_source_tokens
    assert translator.translate_sentences(["قال الوزير إن الاجتماع كان ناجحا."])[0]


def test_a_giant_word_is_summarized(tiny_models):
    summarizer = Summarizer(str(tiny_models.summarizer), num_beams=1)
    word = "a" * (3 * summarizer.max_input_tokens)
    assert summarizer.summarize(f"The minister said {word} yesterday.").text


def test_a_giant_arabic_word_is_translated_then_summarized(tiny_models):
    pipeline = Pipeline(TranslatorSettings.of(str(tiny_models.marian), num_beams=1),
                        SummarizerSettings.of(str(tiny_models.summarizer), num_beams=1))
    result = pipeline.summarize("ب" * 1200)
    assert result.summary.text
    assert result.translation is not None
    assert CUT_WORD in result.translation.sentences[0].flags
