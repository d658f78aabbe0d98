"""Summarizers on CTranslate2, on the tiny random BART: same tokens and greedy outputs as torch,
the default of ``tarjama summarize``, converted once, chunks of a round in one batch, and never two
float32 torch models at once."""
import json
import os
import weakref

import pytest
from typer.testing import CliRunner

from tarjama.backends import GenerationOptions, load_backend
from tarjama.backends.ctranslate2.convert import converted_dir
from tarjama.backends.ctranslate2.manifest import MANIFEST_NAME
from tarjama.backends.settings import ModelSettings
from tarjama.cli import app
from tarjama.models import SUMMARIZATION, resolve_model
from tarjama.pipeline import Pipeline
from tarjama.summarization import Summarizer
from tarjama.testing.tiny import CORPUS_DIR
from tarjama.translation.settings import TranslatorSettings

runner = CliRunner()

GREEDY_SETTINGS = [
    GenerationOptions(num_beams=1),
    GenerationOptions(num_beams=1, max_new_tokens=5),
    GenerationOptions(num_beams=1, min_new_tokens=30, max_new_tokens=60),
    GenerationOptions(num_beams=1, min_new_tokens=12, max_new_tokens=12),
    GenerationOptions(num_beams=1, min_new_tokens=0, no_repeat_ngram_size=0, max_new_tokens=80),
]


@pytest.fixture(scope="module")
def source(tiny_models):
    return resolve_model(str(tiny_models.summarizer), SUMMARIZATION)


@pytest.fixture(scope="module")
def torch_f32(source):
    return load_backend(source, "torch", "cpu", "float32")


@pytest.fixture(scope="module")
def ct2_f32(source):
    return load_backend(source, "ctranslate2", "cpu", "float32")


@pytest.fixture(scope="module")
def english():
    return (CORPUS_DIR / "english.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def chunks(english):
    """Texts of four sentences each, the size of a summarizer chunk of the tiny model."""
    return [" ".join(english[start:start + 4]) for start in range(0, 80, 4)]


def test_tokens_and_decoding_equal_transformers(source, ct2_f32, english):
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(source.path)
    ours = ct2_f32.tokenizer
    odd = ["", " ", "  double  space ", "tab\there", "emoji 🙂 and ☃", "<s> inside </s>", "a<mask>b"]
    for text in english[:300] + odd:
        ids = [ours.vocab[token] for token in ours.encode(text)]
        assert ids == reference(text).input_ids, text
        tokens = reference.convert_ids_to_tokens(ids)
        assert ours.decode(tokens) == reference.decode(ids, skip_special_tokens=True), text


@pytest.mark.parametrize("options", GREEDY_SETTINGS, ids=lambda o: str(o.overrides()))
def test_greedy_float32_outputs_identical_to_torch(torch_f32, ct2_f32, chunks, options):
    outputs = ct2_f32.generate(chunks, options)
    assert outputs == torch_f32.generate(chunks, options)
    assert all(outputs) and len(set(outputs)) > len(outputs) // 2


def test_greedy_float32_token_ids_identical_to_torch(torch_f32, ct2_f32, chunks):
    import torch

    options = GenerationOptions(num_beams=1)
    batch = torch_f32.tokenizer(chunks, return_tensors="pt", padding=True)
    with torch.inference_mode():
        generated = torch_f32.model.generate(**batch, **torch_f32._settings(options))
    special = {torch_f32.tokenizer.pad_token_id}
    # transformers' rows start with the decoder start token, which CTranslate2 does not return.
    expected = [[i for i in row[1:].tolist() if i not in special] for row in generated]
    results = ct2_f32.model.translate_batch([ct2_f32.tokenizer.encode(c) for c in chunks],
                                            target_prefix=[ct2_f32._prefix] * len(chunks),
                                            **ct2_f32._settings(options))
    vocab = ct2_f32.tokenizer.vocab
    # transformers' forced end-of-sentence token at the length limit is no output of CTranslate2.
    eos = torch_f32.tokenizer.eos_token_id
    ours = [[vocab[t] for t in r.hypotheses[0]] for r in results]
    assert [row if row[-1:] == [eos] else [*row, eos] for row in ours] == expected


def test_defaults_read_from_generation_config(torch_f32, ct2_f32):
    assert ct2_f32.default_num_beams == torch_f32.default_num_beams == 4
    assert ct2_f32.default_max_length == torch_f32.default_max_length == 40
    assert ct2_f32.max_source_tokens == torch_f32.max_source_tokens == 128
    assert ct2_f32.count_tokens("A short text.") == torch_f32.count_tokens("A short text.")


def test_auto_picks_ctranslate2_int8_for_the_summarizer(tiny_models):
    summarizer = Summarizer(str(tiny_models.summarizer))
    assert "|backend:ctranslate2|device:cpu|compute:int8|" in summarizer.signature


def _summarize_cli(tiny_models, sample_article, *args):
    result = runner.invoke(app, ["summarize", str(sample_article), "--model", str(tiny_models.marian),
                                 "--summarizer", str(tiny_models.summarizer), "--format", "json",
                                 "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_default_runs_both_models_on_ctranslate2(tiny_models, sample_article):
    record = _summarize_cli(tiny_models, sample_article)
    assert "|backend:ctranslate2|" in record["signature"]
    assert "|backend:ctranslate2|" in record["translation_signature"]
    assert record["summary"]


def test_cli_backend_torch_runs_both_models_on_torch(tiny_models, sample_article):
    record = _summarize_cli(tiny_models, sample_article, "--backend", "torch")
    assert "|backend:torch|compute:float32|" in record["signature"].replace("|device:cpu", "")
    assert "|backend:torch|" in record["translation_signature"]
    assert record["summary"]


def test_conversion_happens_once(tiny_models, sample_article, source):
    _summarize_cli(tiny_models, sample_article)
    target = converted_dir(source, "int8")
    before = os.stat(target / MANIFEST_NAME).st_mtime_ns
    _summarize_cli(tiny_models, sample_article)
    assert os.stat(target / MANIFEST_NAME).st_mtime_ns == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".partial")]


def _record_batches(backend) -> list[int]:
    """Make ``backend`` note the size of each batch it generates; it generates as before."""
    sizes: list[int] = []
    generate = backend.generate

    def recorded(texts, options):
        sizes.append(len(texts))
        return generate(texts, options)

    backend.generate = recorded
    return sizes


def _record_batch_plans(backend) -> list[int]:
    """Make ``backend`` note the size of each batch given to ``generate_batches``."""
    sizes: list[int] = []
    generate_batches = backend.generate_batches

    def recorded(batches):
        def noted():
            for texts, options in batches:
                sizes.append(len(texts))
                yield texts, options
        return generate_batches(noted())

    backend.generate_batches = recorded
    return sizes


@pytest.mark.parametrize("backend", ["ctranslate2", "torch"])
def test_chunks_of_a_round_within_the_memory_budget_are_one_batch(tiny_models, backend):
    # Each round's chunks here fit one batch of SUMMARY_BATCH_TOKENS (a longer text is cut into
    # several: tests/test_summarize_memory.py).
    summarizer = Summarizer(str(tiny_models.summarizer), backend=backend, device="cpu")
    sentences = [f"The minister said on day {n} that the new water plant will open soon."
                 for n in range(60)]
    sizes = _record_batch_plans(summarizer.backend)
    summary = summarizer.summarize(" ".join(sentences))
    per_round = [len([c for c in summary.chunks if c.round == r]) for r in range(1, summary.rounds + 1)]
    assert per_round[0] > 4
    assert sizes == per_round


def test_summarize_translates_through_the_cache(tiny_models, sample_article, tmp_path):
    text = sample_article.read_text(encoding="utf-8")
    cache = tmp_path / "translations.sqlite3"
    translator = TranslatorSettings.of(str(tiny_models.marian), cache=cache)
    first = Pipeline(translator, str(tiny_models.summarizer))
    done = first.summarize(text)
    second = Pipeline(translator, str(tiny_models.summarizer))
    sizes = _record_batches(second.translator.backend)
    again = second.summarize(text)
    assert sizes == []
    assert again.translation == done.translation and again.summary == done.summary


@pytest.mark.parametrize("backend,keep,let_go", [
    ("torch", False, True), ("torch", True, True),
    ("ctranslate2", False, True), ("ctranslate2", True, False)])
def test_translator_is_let_go_before_the_summarizer_loads(tiny_models, sample_article, monkeypatch,
                                                          backend, keep, let_go):
    pipeline = Pipeline(ModelSettings(str(tiny_models.marian), backend=backend),
                        ModelSettings(str(tiny_models.summarizer), backend=backend),
                        keep_models_loaded=keep)
    translation = pipeline.translator.translate(sample_article.read_text(encoding="utf-8"))
    loaded = weakref.ref(pipeline.translator.backend)
    alive_at_summarizer_load = []
    original = Summarizer.__init__

    def loading(self, *args, **kwargs):
        alive_at_summarizer_load.append(loaded() is not None)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Summarizer, "__init__", loading)
    pipeline.summarizer.summarize(translation.text)
    assert alive_at_summarizer_load == [not let_go]
    assert ("translator" not in pipeline.__dict__) == let_go


def test_translation_tally_counts_across_reloads(tiny_models, sample_article, tmp_path):
    text = sample_article.read_text(encoding="utf-8")
    pipeline = Pipeline(TranslatorSettings.of(str(tiny_models.marian),
                                              cache=tmp_path / "translations.sqlite3"),
                        str(tiny_models.summarizer))
    first = pipeline.summarize(text)
    counted = pipeline.translation_tally.sentences
    assert counted > 0 and pipeline.translation_tally.from_cache == 0
    assert "translator" not in pipeline.__dict__
    second = pipeline.summarize(text)
    assert second.translation == first.translation
    assert pipeline.translation_tally.sentences == 2 * counted
    assert pipeline.translation_tally.from_cache == counted
