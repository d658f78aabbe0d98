"""The translation cache's key is derived from the settings by one function (issue 25).

Every field of the settings objects is named below as changing the output (so the key) or not (so
the same key and the same cached rows). A new field fails
:func:`test_every_settings_field_is_decided` until it is put in one of the two tables.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tarjama import GenerationOptions, ModelSettings, Translator, TranslatorSettings
from tarjama.cache_paths import model_fingerprint
from tarjama.models import ModelSource
from tarjama.segment import SEGMENTER_VERSION
from tarjama.terms.glossary import Glossary, Term
from tarjama.translation import cache_key as cache_key_module
from tarjama.translation.cache_key import ENGINE_VERSION, SEGMENTER_OF_UNMARKED_KEYS, cache_key


@dataclass(frozen=True)
class Loaded:
    """What a loaded backend resolved from the model settings (``auto`` choices made, the Hub
    revision pinned to a commit): the part of a backend the key reads."""

    source: ModelSource
    name: str = "ctranslate2"
    device: str = "cpu"
    compute_type: str = "int8"
    max_source_tokens: int = 512
    default_num_beams: int = 4
    shortlist: str | None = None


HUB = ModelSource("best", "Helsinki-NLP/opus-mt-tc-big-ar-en", "a" * 40, Path("/nowhere"))
LOADED = Loaded(HUB)
SETTINGS = TranslatorSettings(ModelSettings("best"))

# Fields whose change changes what the translator writes: each gives another key. Settings fields
# are changed in the settings; the model settings' choices are changed where the key reads them,
# in what the backend resolved from them.
CHANGES_OUTPUT = {
    "model": lambda s, b: (s, replace(b, source=replace(HUB, model_id="Helsinki-NLP/opus-mt-ar-en"))),
    "revision": lambda s, b: (s, replace(b, source=replace(HUB, revision="b" * 40))),
    "backend": lambda s, b: (s, replace(b, name="torch", compute_type="float32")),
    "device": lambda s, b: (s, replace(b, device="cuda")),
    "compute_type": lambda s, b: (s, replace(b, compute_type="int8_float32")),
    "shortlist": lambda s, b: (s, replace(b, shortlist="0123456789ab")),
    "num_beams": lambda s, b: (replace(s, generation=GenerationOptions(num_beams=2)), b),
    "max_new_tokens": lambda s, b: (replace(s, generation=GenerationOptions(max_new_tokens=64)), b),
    "min_new_tokens": lambda s, b: (replace(s, generation=GenerationOptions(min_new_tokens=3)), b),
    "no_repeat_ngram_size": lambda s, b: (
        replace(s, generation=GenerationOptions(no_repeat_ngram_size=3)), b),
    "length_penalty": lambda s, b: (replace(s, generation=GenerationOptions(length_penalty=0.6)), b),
    "guard": lambda s, b: (replace(s, guard="off"), b),
    "model input limit": lambda s, b: (s, replace(b, max_source_tokens=256)),
    "glossary": lambda s, b: (replace(s, glossary=Glossary([Term("داعش", "ISIS")])), b),
}

# Fields that never change a cached row: the same key, so the rows are reused.
KEEPS_OUTPUT = {
    "inter_threads": lambda s, b: (replace(s, model=replace(s.model, inter_threads=1)), b),
    "intra_threads": lambda s, b: (replace(s, model=replace(s.model, intra_threads=3)), b),
    "batch_tokens": lambda s, b: (replace(s, batch_tokens=1000), b),
    "max_batch_size": lambda s, b: (replace(s, max_batch_size=4), b),
    "cache": lambda s, b: (replace(s, cache="/elsewhere/cache.sqlite3"), b),
    "cache_timeout": lambda s, b: (replace(s, cache_timeout=1.0), b),
    # A row's score is stored beside it and reported or not: the translation is the same.
    "confidence": lambda s, b: (replace(s, confidence=False), b),
    # ``auto`` and the choice it resolves to are one setup.
    "device spelt out": lambda s, b: (replace(s, model=replace(s.model, device="cpu")), b),
    "compute type spelt out": lambda s, b: (
        replace(s, model=replace(s.model, compute_type="int8")), b),
    "the model's own beam size spelt out": lambda s, b: (
        replace(s, generation=GenerationOptions(num_beams=4)), b),
}


@pytest.mark.parametrize("change", CHANGES_OUTPUT.values(), ids=CHANGES_OUTPUT.keys())
def test_key_changes_with_output_fields(change):
    settings, loaded = change(SETTINGS, LOADED)
    assert cache_key(settings, loaded) != cache_key(SETTINGS, LOADED)


@pytest.mark.parametrize("change", KEEPS_OUTPUT.values(), ids=KEEPS_OUTPUT.keys())
def test_key_is_kept_by_fields_that_do_not_change_output(change):
    settings, loaded = change(SETTINGS, LOADED)
    assert cache_key(settings, loaded) == cache_key(SETTINGS, LOADED)


def test_key_is_kept_by_the_gpu_number():
    on_first = replace(LOADED, device="cuda:0", compute_type="float16")
    on_second = replace(on_first, device="cuda:1")
    assert cache_key(SETTINGS, on_first) == cache_key(SETTINGS, on_second)


def test_key_changes_with_the_engine_version(monkeypatch):
    before = cache_key(SETTINGS, LOADED)
    monkeypatch.setattr(cache_key_module, "ENGINE_VERSION", ENGINE_VERSION + 1)
    assert cache_key(SETTINGS, LOADED) != before


def test_key_changes_with_the_segmenter_version(monkeypatch):
    # A retry cuts a long sentence at its clauses with the segmenter's rules.
    before = cache_key(SETTINGS, LOADED)
    monkeypatch.setattr(cache_key_module, "SEGMENTER_VERSION", "99.0")
    assert cache_key(SETTINGS, LOADED) != before
    assert cache_key(SETTINGS, LOADED).endswith("|segmenter:99.0")


def test_every_settings_field_is_decided():
    decided = set(CHANGES_OUTPUT) | set(KEEPS_OUTPUT)
    for kind in (TranslatorSettings, ModelSettings, GenerationOptions):
        for field in dataclasses.fields(kind):
            if field.name not in ("model", "generation") or kind is ModelSettings:
                assert field.name in decided, f"{kind.__name__}.{field.name}: in the key or not?"


def test_key_keeps_the_format_of_caches_made_before_the_settings_objects():
    """The same string as the translator built before issue 25, so those caches are reused."""
    shortlisted = replace(LOADED, shortlist="0123456789ab")
    settings = replace(SETTINGS, generation=GenerationOptions(num_beams=2, max_new_tokens=64))
    assert cache_key(settings, shortlisted) == (
        f"{model_fingerprint(HUB)}|ctranslate2|cpu|int8|[('max_new_tokens', 64), ('num_beams', 2)]"
        f"|limit:512|guard:retry|engine:{ENGINE_VERSION}|shortlist:0123456789ab"
        # A segmenter newer than those keys' marks its own (segmenter 1.3: bidi marks, issue 28).
        + (f"|segmenter:{SEGMENTER_VERSION}" if SEGMENTER_VERSION != SEGMENTER_OF_UNMARKED_KEYS
           else ""))


def test_the_translator_stores_its_rows_under_the_key(tiny_models, tmp_path):
    translator = Translator(str(tiny_models.marian), backend="torch", compute_type="float32",
                            num_beams=1, guard="flag", cache=tmp_path / "cache.sqlite3")
    assert translator.cache is not None
    key = cache_key(translator.settings, translator.backend)
    assert key == (f"{model_fingerprint(translator.backend.source)}|torch|cpu|float32"
                   f"|[('num_beams', 1)]|limit:{translator.backend.max_source_tokens}|guard:flag"
                   f"|engine:{ENGINE_VERSION}"
                   + (f"|segmenter:{SEGMENTER_VERSION}"
                      if SEGMENTER_VERSION != SEGMENTER_OF_UNMARKED_KEYS else ""))
    assert translator.cache.settings == hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
