"""The tiny models of ``tarjama.testing`` load, run and convert like the real ones."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import tarjama
from tarjama.testing import TinyModels, make_models
from tarjama.testing.tiny import CORPUS_DIR, MARKER_NAME

ARABIC = [
    "أعلنت وزارة الصحة يوم الأحد عن خطة جديدة لدعم الرعاية الصحية بقيمة 250 مليون دولار.",
    "هل ستتمكن شركة Siemens من تحقيق أهدافها قبل عام ٢٠٣٠؟",
    "وقال رئيس الوزراء في بيان: «الوضع تحت السيطرة».",
    "ارتفعت أسعار الذهب في القاهرة بنسبة 3.5% خلال العام الماضي.",
]
ENGLISH = (
    "The central bank said on Monday that inflation fell to 3.1% in March, the lowest level in two "
    "years, and that it would keep interest rates unchanged. Officials in Cairo and Amman welcomed "
    "the decision, while economists warned that fuel prices could rise again in the summer."
)


def _load(path: Path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = AutoTokenizer.from_pretrained(path)
    return tokenizer, AutoModelForSeq2SeqLM.from_pretrained(path).eval()


def _digests(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def marian(tiny_models: TinyModels):
    return _load(tiny_models.marian)


def test_marian_writes_english_pieces_of_varied_length(marian) -> None:
    tokenizer, model = marian
    outputs = model.generate(**tokenizer(ARABIC, return_tensors="pt", padding=True))
    texts = tokenizer.batch_decode(outputs, skip_special_tokens=True)

    assert all(text.strip() for text in texts), texts
    lengths = {int((row != model.config.pad_token_id).sum()) for row in outputs}
    assert len(lengths) > 1 and max(lengths) < model.generation_config.max_length
    english = set(tokenizer.spm_target.id_to_piece(i) for i in range(tokenizer.spm_target.get_piece_size()))
    pieces = tokenizer.convert_ids_to_tokens(outputs.flatten().tolist())
    assert set(pieces) - english <= {"<pad>", "</s>"}


def test_marian_mirrors_opus_mt_ids_and_generation_config(marian) -> None:
    tokenizer, model = marian
    pad = tokenizer.pad_token_id
    assert (tokenizer.convert_ids_to_tokens([0, 1]), pad) == (["</s>", "<unk>"], len(tokenizer) - 1)
    assert model.config.decoder_start_token_id == model.config.pad_token_id == pad
    generation = model.generation_config
    assert (generation.num_beams, generation.max_length, generation.bad_words_ids) == (4, 512, [[pad]])
    assert generation.decoder_start_token_id == pad and generation.eos_token_id == 0


def test_marian_output_is_deterministic(marian) -> None:
    tokenizer, model = marian
    inputs = tokenizer(ARABIC[:2], return_tensors="pt", padding=True)
    assert model.generate(**inputs).tolist() == model.generate(**inputs).tolist()


@pytest.mark.parametrize("text", ARABIC + (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").splitlines()[:20])
def test_marian_tokenizer_round_trips_arabic(marian, text: str) -> None:
    tokenizer, _ = marian
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == text


def test_summarizer_is_a_small_bart_with_a_128_token_limit(tiny_models: TinyModels) -> None:
    tokenizer, model = _load(tiny_models.summarizer)
    assert model.config.model_type == "bart"
    assert tokenizer.model_max_length == model.config.max_position_embeddings == 128
    assert tokenizer.decode(tokenizer(ENGLISH)["input_ids"], skip_special_tokens=True) == ENGLISH

    inputs = tokenizer([ENGLISH, ENGLISH[:80]], return_tensors="pt", padding=True, truncation=True)
    outputs = model.generate(**inputs)
    summaries = tokenizer.batch_decode(outputs, skip_special_tokens=True)
    assert all(summary.strip() for summary in summaries), summaries
    assert outputs.shape[1] <= model.generation_config.max_length
    assert model.generate(**inputs).tolist() == outputs.tolist()


def test_building_twice_gives_identical_files(tiny_models: TinyModels, tmp_path: Path) -> None:
    again = make_models(tmp_path)
    assert _digests(again.marian) == _digests(tiny_models.marian)
    assert _digests(again.summarizer) == _digests(tiny_models.summarizer)


def test_complete_build_is_reused_and_stale_one_rebuilt(tiny_models: TinyModels, tmp_path: Path) -> None:
    marker = tiny_models.marian / MARKER_NAME
    built_at = marker.stat().st_mtime_ns
    assert make_models(tiny_models.marian.parent) == tiny_models
    assert marker.stat().st_mtime_ns == built_at

    # A copy of the session's build, not a second build: test_building_twice_gives_identical_files
    # shows the two are the same files.
    shutil.copytree(tiny_models.marian.parent, tmp_path, dirs_exist_ok=True)
    stale = make_models(tmp_path)
    assert (stale.summarizer / MARKER_NAME).stat().st_mtime_ns == (
        tiny_models.summarizer / MARKER_NAME).stat().st_mtime_ns  # reused, not rebuilt
    (stale.summarizer / MARKER_NAME).write_text("{}", encoding="utf-8")
    (stale.summarizer / "model.safetensors").write_bytes(b"truncated")
    make_models(tmp_path)
    assert _digests(stale.summarizer) == _digests(tiny_models.summarizer)


def test_make_models_command_prints_the_two_paths(tiny_models: TinyModels) -> None:
    env = dict(os.environ)
    source_root = str(Path(tarjama.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source_root, env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "tarjama.testing", "make-models", str(tiny_models.marian.parent)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tiny_models.marian), str(tiny_models.summarizer)]


def test_importing_tarjama_testing_does_not_import_torch() -> None:
    code = "import sys, tarjama.testing; print('torch' in sys.modules, 'transformers' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(Path(tarjama.__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.split() == ["False", "False"], result.stderr


@pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")
@pytest.mark.parametrize("quantization", ["float32", "int8"])
def test_ctranslate2_greedy_output_equals_transformers(marian, tiny_models: TinyModels, tmp_path: Path,
                                                       quantization: str) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    tokenizer, model = marian
    converted = ctranslate2.converters.TransformersConverter(str(tiny_models.marian)).convert(
        str(tmp_path / "ct2"), quantization=quantization
    )
    translator = ctranslate2.Translator(converted, device="cpu", compute_type=quantization, intra_threads=1)
    sources = [tokenizer.convert_ids_to_tokens(tokenizer.encode(text)) for text in ARABIC]
    results = translator.translate_batch(sources, beam_size=1)
    ct2 = [result.hypotheses[0] for result in results]
    assert all(ct2)
    if quantization != "float32":
        return  # int8 weights are only close to the originals: conversion must work, not agree

    outputs = model.generate(**tokenizer(ARABIC, return_tensors="pt", padding=True), num_beams=1)
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}
    hf = [tokenizer.convert_ids_to_tokens([i for i in row.tolist() if i not in special]) for row in outputs]
    assert ct2 == hf
