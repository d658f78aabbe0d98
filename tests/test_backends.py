"""The backends on the tiny random MarianMT: same tokens, same greedy outputs, clear refusals."""
import logging
import os

import pytest

from tarjama.backends import GenerationOptions, load_backend
from tarjama.backends.ctranslate2.convert import converted_dir
from tarjama.backends.ctranslate2.manifest import MANIFEST_NAME
from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece
from tarjama.errors import BackendUnavailableError
from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model
from tarjama.segment import split_paragraphs
from tarjama.testing.tiny import CORPUS_DIR


@pytest.fixture(scope="module")
def marian(tiny_models):
    return resolve_model(str(tiny_models.marian), TRANSLATION)


@pytest.fixture(scope="module")
def sentences(sample_article):
    return [s.text for p in split_paragraphs(sample_article.read_text(encoding="utf-8"))
            for s in p.sentences]


@pytest.fixture(scope="module")
def torch_f32(marian):
    return load_backend(marian, "torch", "cpu", "float32")


@pytest.fixture(scope="module")
def ct2_f32(marian):
    return load_backend(marian, "ctranslate2", "cpu", "float32")


def test_sentencepiece_tokens_equal_transformers(marian, sentences):
    from transformers import MarianTokenizer

    reference = MarianTokenizer.from_pretrained(marian.path)
    ours = MarianSentencePiece(marian.path)
    unk = ours.vocab["<unk>"]
    corpus = (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").splitlines()
    odd = ["", " ", "٢٠٢٠ و 2020", "emoji 🙂 and ☃", "tab\tand  double  space", "<unk> </s>",
           "a<unk>b", "جملة</s>أولى", "x <pad>y"]
    for text in sentences + corpus[:300] + odd:
        ids = [ours.vocab.get(token, unk) for token in ours.encode(text)]
        assert ids == reference(text).input_ids, text


def test_sentencepiece_decoding_equals_transformers(marian):
    from transformers import MarianTokenizer

    reference = MarianTokenizer.from_pretrained(marian.path)
    ours = MarianSentencePiece(marian.path)
    english = (CORPUS_DIR / "english.txt").read_text(encoding="utf-8").splitlines()[:200]
    for text in english:
        ids = reference(text_target=text).input_ids
        tokens = reference.convert_ids_to_tokens(ids)
        assert ours.decode(tokens) == reference.decode(ids, skip_special_tokens=True), text


def test_sentencepiece_decoding_of_source_only_pieces_equals_transformers(marian):
    """The joint vocabulary lets the decoder emit pieces target.spm does not know (Arabic ones):
    their ``▁`` must become a space, as in transformers, never land in the English."""
    import random

    from transformers import MarianTokenizer

    reference = MarianTokenizer.from_pretrained(marian.path)
    ours = MarianSentencePiece(marian.path)
    target_pieces = {ours.target.id_to_piece(i) for i in range(ours.target.get_piece_size())}
    source_only = [t for t in ours.vocab if t not in target_pieces and t.startswith("\u2581")]
    assert source_only, "the tiny model should have source-only pieces"
    english = [t for t in ours.vocab if t in target_pieces]
    rng = random.Random(13)
    cases = [[piece] for piece in source_only[:50]]
    cases += [[english[-1], source_only[0], "</s>"], [source_only[1], "<unk>", source_only[2]]]
    cases += [rng.sample(source_only, 2) + rng.sample(english, 3) for _ in range(300)]
    for tokens in cases:
        rng.shuffle(tokens)
        ids = [ours.vocab[token] for token in tokens]
        ours_text = ours.decode(tokens)
        assert "\u2581" not in ours_text, tokens
        assert ours_text == reference.decode(ids, skip_special_tokens=True), tokens


def test_greedy_outputs_identical_across_backends(torch_f32, ct2_f32, sentences):
    options = GenerationOptions(num_beams=1, max_new_tokens=64)
    long_clause = "وقال المسؤول إن المشروع سيكتمل في العام المقبل، " * 6
    texts = sentences + [long_clause.strip()]
    assert ct2_f32.generate(texts, options) == torch_f32.generate(texts, options)
    # One at a time too, and with outputs cut at the length limit (forced end of sentence).
    short = GenerationOptions(num_beams=1, max_new_tokens=5)
    longer = GenerationOptions(num_beams=1, min_new_tokens=40, max_new_tokens=60)
    forced = GenerationOptions(num_beams=1, min_new_tokens=12, max_new_tokens=12)
    for text in texts[:3]:
        for limits in (short, longer, forced):
            assert ct2_f32.generate([text], limits) == torch_f32.generate([text], limits)


def test_defaults_read_from_generation_config(torch_f32, ct2_f32):
    assert ct2_f32.default_num_beams == torch_f32.default_num_beams == 4
    assert ct2_f32.max_source_tokens == torch_f32.max_source_tokens == 512
    assert ct2_f32.count_tokens("جملة أولى.") == torch_f32.count_tokens("جملة أولى.")


def test_auto_picks_ctranslate2_int8_on_cpu(marian):
    backend = load_backend(marian)
    assert (backend.name, backend.device, backend.compute_type) == ("ctranslate2", "cpu", "int8")


def test_generation_settings_kept_in_config_json_reach_both_backends(marian, tmp_path, sentences):
    """Older checkpoints keep num_beams, max_length... in config.json and have no
    generation_config.json: transformers reads them there, and so must CTranslate2."""
    import json
    import shutil

    folder = tmp_path / "config-only"
    shutil.copytree(marian.path, folder)
    generation_file = folder / "generation_config.json"
    generation = json.loads(generation_file.read_text(encoding="utf-8"))
    generation_file.unlink()
    generation.pop("transformers_version", None)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config.update(generation, num_beams=3, max_length=300)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    source = resolve_model(str(folder), TRANSLATION)
    torch_backend = load_backend(source, "torch", "cpu", "float32")
    ct2_backend = load_backend(source, "ctranslate2", "cpu", "float32")
    assert ct2_backend.default_num_beams == torch_backend.default_num_beams == 3
    assert ct2_backend.default_max_length == torch_backend.default_max_length == 300
    greedy = GenerationOptions(num_beams=1)
    texts = sentences[:4]
    assert ct2_backend.generate(texts, greedy) == torch_backend.generate(texts, greedy)


def test_conversion_is_cached_and_leaves_no_scratch(marian, ct2_f32):
    target = converted_dir(marian, "float32")
    assert (target / MANIFEST_NAME).is_file()
    before = os.stat(target / MANIFEST_NAME).st_mtime_ns
    load_backend(marian, "ctranslate2", "cpu", "float32")
    assert os.stat(target / MANIFEST_NAME).st_mtime_ns == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".partial")]


def test_auto_falls_back_to_torch_and_says_why(tiny_models, tmp_path, caplog):
    """A generation setting CTranslate2 has no counterpart for is never dropped: torch runs it."""
    import json
    import shutil

    folder = tmp_path / "encoder-no-repeat"
    shutil.copytree(tiny_models.summarizer, folder)
    generation_file = folder / "generation_config.json"
    generation = json.loads(generation_file.read_text(encoding="utf-8"))
    generation_file.write_text(json.dumps({**generation, "encoder_no_repeat_ngram_size": 3}),
                               encoding="utf-8")
    summarizer = resolve_model(str(folder), SUMMARIZATION)
    with caplog.at_level(logging.WARNING, logger="tarjama"):
        backend = load_backend(summarizer)
    assert backend.name == "torch"
    [record] = caplog.records
    message = record.getMessage()
    assert "encoder_no_repeat_ngram_size" in message and "\n" not in message


@pytest.mark.parametrize("backend,device,compute_type,message", [
    ("ctranslate2", "cpu", "float16", "choose one of: auto,"),
    ("ctranslate2", "cuda:7", "auto", "use device='cpu'"),
    ("torch", "cuda", "auto", "use device='cpu'"),
    ("torch", "cpu", "int4", "choose one of"),
    ("onnx", "cpu", "auto", "choose one of: auto, ctranslate2, torch"),
], ids=["ct2-float16-on-cpu", "ct2-missing-gpu", "torch-missing-gpu", "torch-int4", "unknown"])
def test_backend_that_cannot_run_says_why_in_one_line(marian, backend, device, compute_type, message):
    from tarjama.errors import TarjamaError

    with pytest.raises(TarjamaError) as caught:
        load_backend(marian, backend, device, compute_type)
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("backend", ["ctranslate2", "torch"])
def test_cuda_without_a_gpu_says_why(marian, backend):
    import ctranslate2
    import torch

    if torch.cuda.is_available() or ctranslate2.get_cuda_device_count():
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(BackendUnavailableError, match="device='cpu'"):
        load_backend(marian, backend, device="cuda")
