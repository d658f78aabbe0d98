"""How a rendering the model did not copy gets into the English: over the words aligned to it, from
the same generation (no second translation), and by the verbatim pass only where no alignment can
be had. Generations counted through the real backend of the tiny random model, which copies
nothing."""
from __future__ import annotations

import pytest

from tarjama.documents.placement import WordAlignment
from tarjama.normalize import normalize_for_model
from tarjama.terms.aligned import replace_aligned
from tarjama.terms.glossary import Glossary, lacking, parse_glossary
from tarjama.terms.months import resolve_months
from tarjama.testing.tiny import corpus
from tarjama.translation import Translator

RENDERING = "Mustafa al-Kadhimi"


@pytest.fixture
def glossary() -> Glossary:
    return Glossary(parse_glossary(f"الكاظمي\t{RENDERING}\nداعش\tISIS\n", "test.tsv"))


def _with_term(lines: list[str]) -> list[str]:
    return [f"قال الكاظمي إن {line}" for line in lines]


def _counting(translator: Translator) -> list[str]:
    """Every source the backend generates from, in order, from now on."""
    generated: list[str] = []
    real = translator.backend.generate_scored

    def generate_scored(batches):
        def recorded():
            for batch in batches:
                generated.extend(batch[0])
                yield batch
        return real(recorded())

    translator.backend.generate_scored = generate_scored  # type: ignore[method-assign]
    return generated


def _translator(tiny_models, glossary, **settings) -> Translator:
    return Translator(str(tiny_models.marian), num_beams=1, compute_type="float32", guard="flag",
                      glossary=glossary, **({"cache": False} | settings))


def _model_input(sentence: str) -> str:
    return resolve_months(normalize_for_model(sentence))[0]


def _aligned(words: list[list[int]], sources: int) -> WordAlignment:
    """An alignment linking each target word to the source words listed for it."""
    return WordAlignment(tuple(tuple(1.0 if s in linked else 0.0 for s in range(sources))
                               for linked in words), sources)


def test_each_sentence_is_generated_once_and_every_rendering_is_aligned(tiny_models, glossary):
    translator = _translator(tiny_models, glossary)
    generated = _counting(translator)
    sentences = _with_term([line for line in corpus("arabic.txt") if line.strip()][:12])
    results = translator.translate_sentences_detailed(sentences)
    assert sorted(generated) == sorted(translator.glossary.protect(_model_input(s)).text
                                       for s in sentences)
    assert translator.tally.inline_tried == len(sentences)
    assert translator.tally.inline_copied == 0  # random weights copy nothing
    for out in results:
        assert RENDERING.casefold() in out.translation.casefold()
        assert [use.method for use in out.terms] == ["aligned"]
        assert "term_missing" not in out.flags


def test_a_cached_output_is_aligned_by_reading_it_again(tiny_models, glossary, tmp_path):
    sentences = _with_term([line for line in corpus("arabic.txt") if line.strip()][:6])
    cache = tmp_path / "cache.sqlite3"
    _translator(tiny_models, glossary, cache=cache).translate_sentences_detailed(sentences)
    again = _translator(tiny_models, glossary, cache=cache)
    generated = _counting(again)
    results = again.translate_sentences_detailed(sentences)
    assert generated == []  # the output came from the cache, its alignment from a forced read
    assert again.tally.from_cache == len(sentences)
    for out in results:
        assert RENDERING.casefold() in out.translation.casefold()
        assert [use.method for use in out.terms] == ["aligned"]


def test_a_sentence_cut_to_fit_the_model_goes_to_the_verbatim_pass(tiny_models, glossary):
    translator = _translator(tiny_models, glossary)
    words = " ".join(line for line in corpus("arabic.txt") if line.strip()).split()
    long = "قال الكاظمي إن " + " ".join(words[:translator.backend.max_source_tokens])
    [out] = translator.translate_sentences_detailed([long])
    assert [use.method for use in out.terms] == ["verbatim"]
    assert RENDERING in out.translation


def test_the_rendering_replaces_the_aligned_words_and_keeps_their_punctuation(glossary):
    protected = glossary.protect("قال الكاظمي إن")  # قال | Mustafa al-Kadhimi | إن
    assert protected.text == f"قال {RENDERING} إن"
    output = "He said (Kazemi), that"
    alignment = _aligned([[0], [0], [1, 2], [3]], 4)
    assert lacking(protected, output) == {0}
    assert replace_aligned(protected, output, alignment, {0}) == f"He said ({RENDERING}), that"


def test_a_copied_rendering_keeps_its_words_and_each_term_gets_its_own(glossary):
    protected = glossary.protect("قال الكاظمي إن داعش انتهى")
    assert protected.text == f"قال {RENDERING} إن ISIS انتهى"
    output = f"He said {RENDERING} that Daesh ended"
    # Daesh is linked to ISIS's word, and "that" to both إن and ISIS: only Daesh is replaced.
    alignment = _aligned([[0], [0], [1], [2], [3], [3, 4], [5]], 6)
    assert lacking(protected, output) == {1}
    assert replace_aligned(protected, output, alignment, {1}) == f"He said {RENDERING} that ISIS ended"


def test_a_rendering_without_words_of_its_own_is_put_in_between(glossary):
    protected = glossary.protect("الكاظمي داعش")
    output = "Kazemi"  # one word for two terms: the first keeps it, the second goes after it
    alignment = _aligned([[0, 1]], 3)
    assert replace_aligned(protected, output, alignment, {0, 1}) == f"{RENDERING} ISIS"


@pytest.mark.parametrize("output, lacking_matches", [
    (f"{RENDERING} met {RENDERING}", set()),
    (f"{RENDERING.upper()} met {RENDERING.lower()}", set()),  # case aside
    (f"{RENDERING} met him", {0, 1}),  # once of twice: both are placed again
    ("Kazemi met him", {0, 1}),
])
def test_a_rendering_is_lacking_when_the_output_has_it_fewer_times(glossary, output,
                                                                    lacking_matches):
    protected = glossary.protect("التقى الكاظمي بالكاظمي")
    assert lacking(protected, output) == lacking_matches


@pytest.mark.parametrize("output", ["", "   ", "."])
def test_an_output_without_words_gets_every_rendering_in_source_order(glossary, output):
    protected = glossary.protect("قال الكاظمي إن داعش انتهى")
    assert replace_aligned(protected, output, None, {0, 1}).endswith(f"{RENDERING} ISIS")
