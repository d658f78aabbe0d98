"""The translator learns whether its model copies glossary renderings, and stops asking twice when
it does not: generations counted through the real backend of the tiny random model (which copies
nothing)."""
from __future__ import annotations

import pytest

from tarjama.normalize import normalize_for_model
from tarjama.terms.glossary import PROBE_INPUTS, Glossary, inline_first, parse_glossary
from tarjama.terms.months import resolve_months
from tarjama.testing.tiny import corpus
from tarjama.translation import Translator
from tarjama.translation.verbatim import split_verbatim

RENDERING = "Mustafa al-Kadhimi"


@pytest.fixture
def glossary() -> Glossary:
    return Glossary(parse_glossary(f"الكاظمي\t{RENDERING}\n", "test.tsv"))


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


def _pieces(translator: Translator, sentences: list[str]) -> list[str]:
    """The distinct pieces of ``sentences`` left to translate once the renderings are cut out of
    their model inputs."""
    assert translator.glossary is not None
    protected = [translator.glossary.protect(resolve_months(normalize_for_model(s))[0])
                 for s in sentences]
    return sorted({segment.text for p in protected
                   for segment in split_verbatim(p.text, p.spans) if not segment.verbatim})


@pytest.mark.parametrize("tried, copied, inline", [
    (0, 0, True), (PROBE_INPUTS - 1, 0, True),   # still probing, whatever came of it
    (PROBE_INPUTS, 0, False), (PROBE_INPUTS, PROBE_INPUTS // 2 - 1, False),
    (PROBE_INPUTS, PROBE_INPUTS // 2, True), (PROBE_INPUTS, PROBE_INPUTS, True),
    (100, 49, False), (100, 50, True),           # the tally goes on while inline
])
def test_inline_first_follows_the_copy_rate(tried, copied, inline):
    assert inline_first(tried, copied) is inline


def test_after_the_probe_each_sentence_is_translated_once(tiny_models, glossary):
    translator = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                            guard="flag", cache=False, glossary=glossary)
    generated = _counting(translator)
    lines = [line for line in corpus("arabic.txt") if line.strip()]
    first, second = _with_term(lines[:20]), _with_term(lines[20:30])
    seen: list[tuple[int, int]] = []
    results = translator.translate_sentences_detailed(
        first, lambda done, total: seen.append((done, total)))
    assert translator.tally.inline_tried == PROBE_INPUTS
    assert 2 * translator.tally.inline_copied < PROBE_INPUTS  # random weights copy nothing
    # The probe went to the model with the rendering inline; nothing else did.
    assert sum(RENDERING in source for source in generated) == PROBE_INPUTS
    assert seen[-1][0] == seen[-1][1] and seen == sorted(seen)
    # Across the probe and the rest, the count reaches its total only at the very end.
    assert all(done < total for done, total in seen[:-1])
    generated.clear()
    results += translator.translate_sentences_detailed(second)
    # One generation for each piece of the second call: no inline try, no second pass.
    assert sorted(generated) == _pieces(translator, second)
    assert translator.tally.inline_tried == PROBE_INPUTS
    for out in results:
        assert RENDERING.casefold() in out.translation.casefold()
        assert "term_missing" not in out.flags
    assert all(use.method == "verbatim" for out in results for use in out.terms)


def test_a_model_that_copies_keeps_inline_first(tiny_models, glossary):
    translator = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                            guard="flag", cache=False, glossary=glossary)
    translator.tally.inline_tried = translator.tally.inline_copied = 40  # as a copying model's
    generated = _counting(translator)
    sentences = _with_term([line for line in corpus("arabic.txt") if line.strip()][:6])
    results = translator.translate_sentences_detailed(sentences)
    assert sum(RENDERING in source for source in generated) == len(sentences)
    assert translator.tally.inline_tried == 46
    for out in results:
        assert RENDERING.casefold() in out.translation.casefold()
