"""Glossary: matching after normalisation and with clitics, the guarantee, records, bad files."""
from __future__ import annotations

import json

import pytest

from tarjama.errors import InputError
from tarjama.terms.glossary import Glossary, parse_glossary
from tarjama.translation import Translator
from tarjama.translation.cache_key import cache_key

GLOSSARY = ("arabic\tenglish\tnotes\n"
            "الكاظمي\tMustafa al-Kadhimi\tIraqi prime minister\n"
            "مصطفى الكاظمي\tMustafa al-Kadhimi\n"
            "داعش\tISIS\n"
            "وزارة الخارجية\tthe Foreign Ministry\n"
            "وزارة\tministry\n"
            "البنتاغون\tthe Pentagon\n")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(parse_glossary(GLOSSARY, "test.tsv"))


@pytest.mark.parametrize("text, matched", [
    ("قال الكاظمي", ["الكاظمي"]),
    ("وقال للكاظمي", ["للكاظمي"]),             # ل + ال drops the alef
    ("ولِلكاظمي وبالكاظمي فالكاظمي كالكاظمي", ["ولِلكاظمي", "وبالكاظمي", "فالكاظمي", "كالكاظمي"]),
    ("التقى مصطفى الكاظمي", ["مصطفى الكاظمي"]),  # longest first
    ("ومصطفى الكاظمى", ["ومصطفى الكاظمى"]),      # alef maqsura folded
    ("أعلنت وزارة الخارجيّة ووزارة الدفاع", ["وزارة الخارجيّة", "ووزارة"]),
    ("وزارةُ الخارجيه", ["وزارةُ الخارجيه"]),    # harakat and teh marbuta folded
    ("تنظيم داعـــش", ["داعـــش"]),               # tatweel
    ("الكاظميون والكاظمية", []),                 # a longer word is another word
    ("وفالكاظمي", []),                           # not a clitic sequence Arabic writes
    ("مصطفى، الكاظمي", ["الكاظمي"]),             # a term's words are separated by spaces only
])
def test_matching(glossary, text, matched):
    assert [text[m.start:m.end] for m in glossary.find(text)] == matched


def test_protected_input_keeps_the_clitic_in_arabic(glossary):
    assert glossary.protect("وقال للكاظمي ولداعش").text == "وقال لـ Mustafa al-Kadhimi ولـ ISIS"
    assert glossary.protect("والبنتاغون").text == "و the Pentagon"


@pytest.fixture(scope="module")
def translator(tiny_models, glossary):
    return Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                      glossary=glossary)


ARTICLE = ("قال رئيس الوزراء مصطفى الكاظمي إن الحكومة ستواجه داعش.\n"
           "وأكدت وزارة الخارجية دعمها للكاظمي في يونيو حزيران الماضي.\n"
           "ونقلت وكالة الأنباء عن البنتاغون أن الكاظمي زار واشنطن.")


def test_every_rendering_is_in_the_output_and_recorded(translator):
    result = translator.translate(ARTICLE)
    expected = {0: ["Mustafa al-Kadhimi", "ISIS"], 1: ["the Foreign Ministry", "Mustafa al-Kadhimi"],
                2: ["the Pentagon", "Mustafa al-Kadhimi"]}
    for sentence in result.sentences:
        english = [use.english for use in sentence.terms]
        assert english == expected[sentence.paragraph]
        for rendering in english:
            assert rendering.casefold() in sentence.translation.casefold()
        assert all(use.method in ("inline", "aligned", "verbatim") for use in sentence.terms)
        assert "term_missing" not in sentence.flags
    record = json.loads(result.to_jsonl().splitlines()[1])
    assert record["terms"][1] == {"matched": "للكاظمي", "term": "الكاظمي",
                                  "english": "Mustafa al-Kadhimi", "method": record["terms"][1]["method"]}


def test_the_glossary_is_in_the_signature_and_cache_key(tiny_models, glossary, tmp_path):
    plain = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32")
    with_terms = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                            glossary=glossary)
    other = Translator(str(tiny_models.marian), num_beams=1, compute_type="float32",
                       glossary=Glossary(parse_glossary("داعش\tDaesh\n", "x")))
    assert "glossary:" not in plain.signature
    assert f"glossary:{glossary.digest}" in with_terms.signature
    keys = {cache_key(t.settings, t.backend) for t in (plain, with_terms, other)}
    assert len(keys) == 3


@pytest.mark.parametrize("content, message", [
    ("الكاظمي\n", "line 1: no English rendering"),
    ("الكاظمي\tKadhimi\nداعش\t\n", "line 2: no English rendering"),
    ("الكاظمي\tKadhimi\tnote\textra\n", "line 1: 4 columns"),
    ("term\tenglish\nKadhimi\tKadhimi\n", "line 2: the term 'Kadhimi' has no Arabic letter"),
    ("الكاظمي\tKadhimi\nالكاظمى\tKazemi\n", "line 2: 'الكاظمى' is also on line 1"),
    ("# only a comment\n\n", "no terms"),
    ("", "no terms"),
    ("داعش،الكاظمي\tx\n", "line 1: the term"),
])
def test_bad_glossary_files(tmp_path, content, message):
    path = tmp_path / "terms.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Glossary.read(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_unreadable_glossary_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        Glossary.read(tmp_path / "missing.tsv")
    with pytest.raises(InputError, match="folder"):
        Glossary.read(tmp_path)
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes(b"x\ty\n" + "café\tcafé\n".encode("latin-1"))
    with pytest.raises(InputError, match="line 2: the term 'café' has no Arabic letter"):
        Glossary.read(latin1)


def test_csv_with_quotes(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text('arabic,english,notes\nالبنتاغون,"the Pentagon, Arlington",HQ\n', encoding="utf-8")
    [term] = Glossary.read(path).terms
    assert (term.arabic, term.english, term.notes, term.line) == \
        ("البنتاغون", "the Pentagon, Arlington", "HQ", 2)


def test_translator_settings_read_a_glossary_file_named_by_path_or_string(tmp_path):
    from tarjama.translation.settings import TranslatorSettings

    path = tmp_path / "terms.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    expected = Glossary.read(path)
    for given in (path, str(path)):
        settings = TranslatorSettings(glossary=given)
        assert isinstance(settings.glossary, Glossary)
        assert settings.glossary.digest == expected.digest
    with pytest.raises(InputError, match="no such file"):
        TranslatorSettings(glossary=tmp_path / "missing.tsv")
