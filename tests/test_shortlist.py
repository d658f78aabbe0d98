"""The vocabulary shortlist: its statistics, its coverage, and CTranslate2 running with it."""
import random
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tarjama.backends.ctranslate2.backend import install_shortlist
from tarjama.backends.ctranslate2.convert import converted_dir
from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece
from tarjama.backends.ctranslate2.vmap import (
    RECORD_FILE,
    VMAP_FILE,
    Shortlist,
    Vocabularies,
    build_shortlist,
    check_shortlist,
    measure_coverage,
    model_vocabularies,
    same_spellings,
    save_shortlist,
    shortlist_id,
)
from tarjama.cli import app
from tarjama.errors import DamagedShortlistError, ShortlistMissingError
from tarjama.models import TRANSLATION, resolve_model
from tarjama.translation import Translator

SENTENCES = ["قال المسؤول إن المشروع سيكتمل.", "وصل الوفد إلى العاصمة أمس.",
             "ارتفعت الأسعار في الأسواق المحلية."]
TRANSLATIONS = ["The official said the project will be finished.",
                "The delegation arrived in the capital yesterday.",
                "Prices rose in the local markets."]


def test_coverage_counted_by_hand():
    shortlist = Shortlist(frequent=("▁the",), candidates={"a": ("▁cat",), "b": ("▁dog", "▁big")})
    coverage = measure_coverage(shortlist, [
        (["a", "</s>"], ["▁the", "▁cat", "▁sat"]),  # "▁sat" unreachable: 2 of 3
        (["b", "</s>"], ["▁the", "▁dog"]),          # 2 of 2
        (["a", "</s>"], []),                        # nothing to reach: not counted
    ])
    assert coverage.sentences == 2
    assert coverage.mean == pytest.approx((2 / 3 + 1) / 2)
    assert coverage.pieces == pytest.approx(4 / 5)
    assert coverage.complete == pytest.approx(1 / 2)


def test_candidates_by_conditional_probability_then_dice():
    pairs = [(["x", "y"], ["A", "B", "R"]), (["x"], ["A", "B"]), (["x"], ["A", "C"]),
             (["y"], ["A", "C", "C2"]), (["y"], ["A"]), (["z"], ["A", "C", "C2"])]
    shortlist = build_shortlist(pairs, size=1, per_source=2)
    # A is in 6 of 6 translations: the one frequent piece, never repeated as a candidate.
    assert shortlist.frequent == ("A",)
    # x: B 2/3, then C and R 1/3 each; Dice prefers R (in 1 translation) to C (in 3).
    assert shortlist.candidates["x"] == ("B", "R")
    # y: B, C, C2 and R 1/3 each; Dice 2c/(n_s + n_t): R 0.5, then B and C2 0.4 (tie, by name).
    assert shortlist.candidates["y"] == ("R", "B")
    # z: C and C2 both 1/1; Dice prefers C2 (in 2 translations) to C (in 3).
    assert shortlist.candidates["z"] == ("C2", "C")


@pytest.mark.parametrize(("piece", "spellings"), [
    ("▁2020", ("▁2020", "2020")),
    ("2020", ("2020", "▁2020")),
    (",", (",", "▁,")),
    ("▁", ("▁",)),
])
def test_same_spellings_with_and_without_the_word_start(piece, spellings):
    assert same_spellings(piece) == spellings


def test_identity_copies_and_the_target_models_probable_pieces():
    vocabularies = Vocabularies(source=("▁قال", "▁2020", "▁Trump", "▁غريب"),
                                target=frozenset({"▁the", "▁said", "2020", "▁Trump", "▁rare", "."}),
                                probable=("▁the", ".", "▁said", "▁rare", "2020", "▁Trump"))
    pairs = [(["▁قال", "</s>"], ["▁said", "."]), (["▁قال", "</s>"], ["▁the", "▁said", "."]),
             (["▁2020", "</s>"], ["▁the", "."])]
    shortlist = build_shortlist(pairs, size=4, per_source=1, vocabularies=vocabularies)
    # Half from the target model's scores (▁the, .), the rest by count in the data (▁said).
    assert shortlist.frequent == ("▁the", ".", "▁said", "▁rare")
    assert shortlist.probable == 2
    # Spelt the same in both vocabularies: reachable although the data never showed the copy, and
    # for a source piece the data never showed at all.
    assert shortlist.candidates["▁2020"] == ("2020",)
    assert shortlist.candidates["▁Trump"] == ("▁Trump",)
    assert "▁غريب" not in shortlist.candidates
    assert shortlist.copies == 2


def test_the_vocabularies_of_a_real_tokenizer(tiny_models):
    tokenizer = MarianSentencePiece(tiny_models.marian)
    vocabularies = model_vocabularies(tokenizer)
    assert vocabularies.target == set(vocabularies.probable)
    assert vocabularies.target <= set(tokenizer.vocab)
    assert not {"</s>", "<unk>", "<pad>"} & (vocabularies.target | set(vocabularies.source))
    scores = {tokenizer.target.id_to_piece(i): tokenizer.target.get_score(i)
              for i in range(tokenizer.target.get_piece_size())}
    ordered = [scores[piece] for piece in vocabularies.probable]
    assert ordered == sorted(ordered, reverse=True)


def test_vmap_lists_the_frequent_pieces_under_the_end_of_sentence():
    vmap = Shortlist(frequent=("▁the", "."), candidates={"x": ("▁cat",), "y": ()}).to_vmap()
    assert vmap == "</s>\t</s> ▁the .\nx\t▁cat\n"


@pytest.fixture(scope="module")
def marian(tiny_models, tmp_path_factory):
    """A copy of the tiny model of its own, so its converted copy (and map) is this module's."""
    folder = tmp_path_factory.mktemp("shortlist") / "marian"
    shutil.copytree(tiny_models.marian, folder)
    return folder


def _translator(marian, shortlist=False):
    return Translator(str(marian), num_beams=1, compute_type="float32", guard="off",
                      shortlist=shortlist)


def _install(marian, shortlist):
    source = resolve_model(str(marian), TRANSLATION)
    return install_shortlist(source, shortlist, "cpu", "float32")


def test_without_a_map_the_shortlist_is_refused(marian):
    source = resolve_model(str(marian), TRANSLATION)
    path = converted_dir(source, "float32") / VMAP_FILE
    path.unlink(missing_ok=True)
    with pytest.raises(ShortlistMissingError, match="no vocabulary shortlist") as raised:
        _translator(marian, shortlist=True)
    assert (raised.value.model, raised.value.model_id) == (source.label, source.model_id)
    assert raised.value.path == str(path)
    assert str(raised.value).endswith("or use shortlist=False")


def test_the_command_line_says_how_to_build_the_missing_map(marian, tmp_path):
    source = resolve_model(str(marian), TRANSLATION)
    (converted_dir(source, "float32") / VMAP_FILE).unlink(missing_ok=True)
    text = tmp_path / "in.txt"
    text.write_text(SENTENCES[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", "--model", str(marian), "--shortlist",
                                      "--compute-type", "float32", str(text)])
    assert result.exit_code == 2, result.output
    line = " ".join(result.output.split())
    assert f"tarjama shortlist build --model {source.model_id} --data" in line
    assert "leave out --shortlist" in line
    assert "shortlist=False" not in line


def test_a_map_of_every_piece_changes_nothing_but_the_signature(marian):
    plain = _translator(marian)
    every_piece = tuple(plain.backend.tokenizer.vocab)
    path = _install(marian, Shortlist(frequent=every_piece, candidates={}))
    shortlisted = _translator(marian, shortlist=True)
    assert path.parent == converted_dir(plain.backend.source, "float32")
    assert f"|shortlist:{shortlist_id(path.parent)}|" in shortlisted.signature
    assert "|shortlist:" not in plain.signature
    assert shortlisted.translate_sentences(SENTENCES) == plain.translate_sentences(SENTENCES)


def test_a_small_map_limits_what_the_model_can_say(marian):
    plain = _translator(marian)
    outputs = plain.translate_sentences(SENTENCES)
    allowed = ("▁the", "▁a", ".")
    _install(marian, Shortlist(frequent=allowed, candidates={}))
    restricted = _translator(marian, shortlist=True).translate_sentences(SENTENCES)
    assert restricted != outputs
    assert all(re.fullmatch(r"(the|a|\.|\s)*", output) for output in restricted), restricted


def test_build_command_saves_the_map_and_reports_coverage(marian, tmp_path):
    arabic, english = tmp_path / "ar.txt", tmp_path / "en.txt"
    arabic.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    english.write_text("\n".join(TRANSLATIONS) + "\n", encoding="utf-8")
    pair = f"{arabic}:{english}"
    result = CliRunner().invoke(app, ["shortlist", "build", "--model", str(marian), "--data", pair,
                                      "--heldout", pair, "--size", "0", "--per-source", "100",
                                      "--compute-type", "float32"])
    assert result.exit_code == 0, result.output
    folder = converted_dir(resolve_model(str(marian), TRANSLATION), "float32")
    assert f"shortlist:{shortlist_id(folder)}" in result.output
    # Every piece of these references co-occurs with its source: learnt and measured on the same
    # text, the map covers it all.
    assert "100.00% per sentence" in result.output


def test_build_command_refuses_a_pair_without_separator(marian, tmp_path):
    result = CliRunner().invoke(app, ["shortlist", "build", "--model", str(marian),
                                      "--data", str(tmp_path / "ar.txt")])
    assert result.exit_code == 2
    assert "ARABIC_FILE:ENGLISH_FILE" in result.output


# Class 3 of issue 30: a shortlist is checked like the converted model. CTranslate2 crashes on an
# empty map (exit 139) and writes empty translations with random bytes or another model's map.

def _foreign_record(marian, tmp_path):
    """A map and its record saved for another vocabulary, then copied beside this model."""
    other = tmp_path / "other-model"
    other.mkdir()
    (other / "shared_vocabulary.json").write_text('["</s>", "<unk>", "\\u0120the"]')
    save_shortlist(Shortlist(frequent=("Ġthe",), candidates={}), other)
    return (other / VMAP_FILE).read_bytes(), (other / RECORD_FILE).read_bytes()


DAMAGE = {
    "empty": (lambda good, record, foreign: (b"", record), "is empty"),
    "blank lines": (lambda good, record, foreign: (b"\n \n", None), "is empty"),
    "random bytes": (lambda good, record, foreign: (random.Random(3).randbytes(3000), record),
                     "has changed since it was built"),
    "random bytes, no record": (lambda good, record, foreign: (random.Random(3).randbytes(3000), None),
                                "is not a vocabulary shortlist"),
    "cut short": (lambda good, record, foreign: (good[:len(good) // 2], record),
                  "has changed since it was built"),
    "another model's, with its record": (lambda good, record, foreign: foreign,
                                         "was built for another model"),
    "another model's, no record": (lambda good, record, foreign: (
        "</s>\t</s> Ġthe Ġsaid\nx\tĠcat\n".encode(), None), "was built for another model"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_or_foreign_map_is_refused_in_one_line_naming_it(marian, tmp_path, damage):
    plain = _translator(marian)
    path = _install(marian, Shortlist(frequent=tuple(plain.backend.tokenizer.vocab)[:50],
                                      candidates={}))
    record_path = path.with_name(RECORD_FILE)
    make, expected = DAMAGE[damage]
    data, record = make(path.read_bytes(), record_path.read_bytes(),
                        _foreign_record(marian, tmp_path))
    path.write_bytes(data)
    if record is None:
        record_path.unlink()
    else:
        record_path.write_bytes(record)
    with pytest.raises(DamagedShortlistError) as raised:
        _translator(marian, shortlist=True)
    message = str(raised.value)
    assert message.startswith(f"{path}: {expected}")
    assert "\n" not in message and message.endswith("or use shortlist=False")
    text = tmp_path / "in.txt"
    text.write_text(SENTENCES[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", "--model", str(marian), "--shortlist",
                                      "--compute-type", "float32", str(text)])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{path}: {expected}" in " ".join(result.stderr.split())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_a_map_without_record_is_accepted_only_when_all_its_pieces_are_the_models(data):
    vocabulary = {"</s>", "▁the", "▁said", "."}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / VMAP_FILE).write_bytes(data)
        problem = check_shortlist(Path(folder), vocabulary)
    if problem is None:
        lines = [line for line in data.decode().splitlines() if line.strip()]
        pieces = [piece for line in lines for piece in line.partition("\t")[2].split()]
        assert lines and pieces and set(pieces) <= vocabulary
        assert all("\t" in line for line in lines)


def test_a_damaged_map_is_moved_aside_when_the_shortlist_is_not_asked_for(marian, caplog):
    plain = _translator(marian)
    path = _install(marian, Shortlist(frequent=tuple(plain.backend.tokenizer.vocab), candidates={}))
    path.write_bytes(b"")  # CTranslate2 reads it even unasked, and crashes on an empty one
    caplog.clear()
    with caplog.at_level("WARNING", logger="tarjama"):
        translator = _translator(marian)
    assert translator.translate_sentences(SENTENCES) == plain.translate_sentences(SENTENCES)
    assert not path.exists() and path.with_name(f"{VMAP_FILE}.damaged").exists()
    [warning] = [r.getMessage() for r in caplog.records if VMAP_FILE in r.getMessage()]
    assert warning.startswith(f"{path}: is empty; moved it to {VMAP_FILE}.damaged")
