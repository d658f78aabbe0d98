"""One settings object per model (issue 16, item 3): its choices are checked when it is made, and it
is carried whole from the command line through ``Pipeline`` to the translator and the summarizer."""
from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tarjama
from tarjama import (
    GenerationOptions,
    ModelSettings,
    Pipeline,
    Summarizer,
    SummarizerSettings,
    Translator,
    TranslatorSettings,
)
from tarjama.backends import BACKEND_CHOICES, COMPUTE_TYPES, DEVICES
from tarjama.errors import InputError
from tarjama.scale.worker import TranslationWorker
from tarjama.signature import Signature

# Not a folder and not in any cache: a check that ran after loading would fail on the model instead.
MISSING = "no-such-org/no-such-model"
ARTICLE = "ذهب الولد إلى المدرسة صباحا. ثم عاد إلى البيت مساء."


@pytest.mark.parametrize("build,field,value,choices", [
    (lambda: ModelSettings(MISSING, backend="onnx"), "backend", "onnx", BACKEND_CHOICES),
    (lambda: ModelSettings(MISSING, device="gpu"), "device", "gpu", DEVICES),
    (lambda: ModelSettings(MISSING, device="cuda:²"), "device", "cuda:²", DEVICES),
    (lambda: ModelSettings(MISSING, compute_type="int3"), "compute_type", "int3", COMPUTE_TYPES),
    (lambda: GenerationOptions(num_beams=0), "num_beams", 0, None),
    (lambda: TranslatorSettings.of(MISSING, num_beams=0), "num_beams", 0, None),
    (lambda: ModelSettings(MISSING, inter_threads=0), "inter_threads", 0, None),
    (lambda: TranslatorSettings(ModelSettings(MISSING), max_batch_size=0), "max_batch_size", 0,
     None),
], ids=["backend", "device", "device-superscript", "compute_type", "num_beams", "num_beams-keyword", "inter_threads",
        "max_batch_size"])
def test_a_bad_choice_is_refused_when_the_settings_are_made(build, field, value, choices):
    with pytest.raises(InputError) as caught:
        build()
    message = str(caught.value)
    assert "\n" not in message and "--" not in message
    if choices:
        assert f"unknown {field.replace('_', ' ')} {value!r}; choose one of: {', '.join(choices)}" \
            == message
    else:
        assert message.startswith(f"{field} must be ") and message.endswith(f"not {value}")


@pytest.mark.parametrize("build", [
    lambda: Translator(ModelSettings(MISSING), device="cpu"),
    lambda: Translator(TranslatorSettings(ModelSettings(MISSING)), num_beams=3),
    lambda: Summarizer(ModelSettings(MISSING), backend="torch"),
    lambda: tarjama.translate(ARTICLE, ModelSettings(MISSING), device="cpu"),
], ids=["translator", "translator-settings", "summarizer", "translate"])
def test_a_setting_given_twice_is_refused_before_loading(build):
    with pytest.raises(InputError, match="given both in the (Model|Translator)Settings and as a "
                                         "keyword"):
        build()


def test_an_unknown_keyword_is_refused_with_the_valid_names():
    with pytest.raises(InputError) as caught:
        Translator(MISSING, beams=2)
    assert str(caught.value).startswith("unknown setting 'beams'; the settings are: ")
    assert "num_beams" in str(caught.value) and "guard" in str(caught.value)


@pytest.mark.parametrize("kind", [Translator, Summarizer])
def test_the_model_may_be_named_by_keyword_as_before(kind):
    with pytest.raises(InputError, match="unknown device 'gpu'"):
        kind(model=MISSING, device="gpu")


def test_keywords_go_to_the_object_that_owns_them():
    settings = TranslatorSettings.of(MISSING, backend="torch", num_beams=2, guard="flag",
                                     shortlist=False, inter_threads=1)
    assert settings == TranslatorSettings(
        ModelSettings(MISSING, backend="torch", inter_threads=1), GenerationOptions(num_beams=2),
        guard="flag")
    assert TranslatorSettings.of(settings) is settings
    assert ModelSettings.of(settings.model) is settings.model
    # A generation keyword replaces that field of the options given beside it.
    assert TranslatorSettings.of(MISSING, generation=GenerationOptions(num_beams=4, max_new_tokens=9),
                                 num_beams=2).generation == GenerationOptions(2, 9)
    summarizer = SummarizerSettings.of(MISSING, device="cpu", length_penalty=0.5)
    assert summarizer == SummarizerSettings(ModelSettings(MISSING, device="cpu"),
                                            GenerationOptions(length_penalty=0.5))


def test_num_beams_lives_only_in_the_generation_options():
    assert "num_beams" not in {field.name for field in dataclasses.fields(ModelSettings)}
    assert "num_beams" in {field.name for field in dataclasses.fields(GenerationOptions)}


def test_pipeline_takes_only_the_stages_settings():
    parameters = inspect.signature(Pipeline).parameters
    assert list(parameters) == ["model", "summarizer", "strategy", "keep_models_loaded"]


@pytest.mark.parametrize("kind,model,beams", [(Translator, "marian", 2), (Summarizer, "summarizer", 3)],
                         ids=["translator", "summarizer"])
def test_keywords_and_settings_load_the_same_model(tiny_models, kind, model, beams):
    folder = str(getattr(tiny_models, model))
    model_keywords = dict(backend="torch", device="cpu", compute_type="bfloat16")
    by_keywords = kind(folder, **model_keywords, num_beams=beams)
    settings_kind = TranslatorSettings if kind is Translator else SummarizerSettings
    built = settings_kind(ModelSettings(folder, **model_keywords), GenerationOptions(num_beams=beams))
    by_settings = kind(built)
    assert by_keywords.settings == by_settings.settings == built
    assert by_settings.settings is built
    assert by_keywords.signature == by_settings.signature
    signature = Signature.parse(by_settings.signature)
    assert (signature["backend"], signature["compute"], signature["beams"]) == ("torch", "bfloat16",
                                                                                 str(beams))


def test_pipeline_hands_each_model_its_own_settings(tiny_models):
    # A local folder has no revisions: they are carried, and the files are the folder's.
    translator = TranslatorSettings(
        ModelSettings(str(tiny_models.marian), "r1", backend="torch", compute_type="bfloat16"),
        GenerationOptions(num_beams=2), guard="flag")
    summarizer = SummarizerSettings(
        ModelSettings(str(tiny_models.summarizer), "r2", backend="torch", compute_type="bfloat16"),
        GenerationOptions(num_beams=3))
    pipeline = Pipeline(translator, summarizer)
    assert pipeline.translator_settings is translator
    assert pipeline.summarizer_settings is summarizer
    assert pipeline.translator.settings is translator
    assert Signature.parse(pipeline.translator.signature)["beams"] == "2"
    assert pipeline.summarizer.settings is summarizer
    assert Signature.parse(pipeline.summarizer.signature)["beams"] == "3"


def test_a_ray_worker_builds_its_translator_from_the_same_settings(tiny_models):
    model = ModelSettings(str(tiny_models.marian), backend="torch", compute_type="float32")
    settings = TranslatorSettings(model, GenerationOptions(num_beams=1), guard="flag", cache=True)
    worker = TranslationWorker(settings, "text")
    assert worker.translator.settings.model is model
    assert worker.translator.settings == dataclasses.replace(settings, cache=False)
    assert (worker.translator.guard, worker.translator.cache) == ("flag", None)
    # The manifest keeps the keys (and so the fingerprints) of runs made before the settings object.
    assert list(settings.as_dict()) == ["model", "revision", "backend", "device", "compute_type",
                                        "num_beams", "guard", "shortlist"]
    assert TranslatorSettings.of(model) == TranslatorSettings(model)
    assert TranslatorSettings.of(str(tiny_models.marian)).model == ModelSettings(str(tiny_models.marian))


def test_translator_settings_refuse_an_unknown_guard_before_any_model_loads():
    with pytest.raises(InputError, match="unknown guard mode 'strict'"):
        TranslatorSettings(ModelSettings("no/such-model"), guard="strict")


def _install(hub: Path, repo_id: str, folder: Path, revision: str) -> str:
    """Put ``folder`` in the Hugging Face cache as ``revision`` of ``repo_id``; return its commit."""
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    commit = hashlib.sha1(f"{repo_id}@{revision}".encode()).hexdigest()
    shutil.copytree(folder, repo / "snapshots" / commit)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / revision).write_text(commit, encoding="utf-8")
    return commit


@pytest.fixture(scope="module")
def hub_env(tiny_models, tmp_path_factory):
    """An offline Hugging Face cache holding the tiny models under two Hub ids, each as ``main``
    and as a revision of its own (``v2``, ``v3``); the environment to use it, and the commit of each
    (id, revision)."""
    home = tmp_path_factory.mktemp("hf-home")
    commits = {(repo, revision): _install(home / "hub", repo, folder, revision)
               for repo, folder, own in (("tiny/marian", tiny_models.marian, "v2"),
                                         ("tiny/summarizer", tiny_models.summarizer, "v3"))
               for revision in ("main", own)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(home), HF_HUB_OFFLINE="1")
    return env, commits


def _tarjama(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "tarjama", *args], capture_output=True,
                            text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# Every field set away from its default, so a field dropped on the way shows in the signature.
RUN = ("--backend", "torch", "--device", "cpu", "--compute-type", "bfloat16")


def _expected(commits, repo: str, revision: str, beams: int) -> dict[str, str]:
    return {"model": f"{repo}@{commits[(repo, revision)][:12]}", "backend": "torch", "device": "cpu",
            "compute": "bfloat16", "beams": str(beams)}


def _fields(signature: str, expected: dict[str, str]) -> dict[str, str]:
    parsed = Signature.parse(signature)
    return {key: parsed[key] for key in expected}


def test_summarize_carries_every_setting_to_both_models(hub_env, tmp_path):
    env, commits = hub_env
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    record = json.loads(_tarjama(
        env, "summarize", str(article), "--format", "json", *RUN,
        "--model", "tiny/marian", "--revision", "v2", "--beams", "2",
        "--summarizer", "tiny/summarizer", "--summarizer-revision", "v3", "--summary-beams", "3"))
    translator = _expected(commits, "tiny/marian", "v2", 2)
    summarizer = _expected(commits, "tiny/summarizer", "v3", 3)
    assert _fields(record["translation_signature"], translator) == translator
    assert _fields(record["signature"], summarizer) == summarizer


def test_eval_carries_every_setting_to_the_translator(hub_env, tmp_path):
    env, commits = hub_env
    (tmp_path / "src.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("The boy went to school in the morning.\n", encoding="utf-8")
    out = _tarjama(env, "eval", "--src", str(tmp_path / "src.txt"), "--ref", str(tmp_path / "ref.txt"),
                   "--bootstrap", "0", "--ar-trials", "0", *RUN,
                   "--model", "tiny/marian", "--revision", "v2", "--beams", "2")
    [line] = [line for line in out.splitlines() if " translated with: " in line]
    expected = _expected(commits, "tiny/marian", "v2", 2)
    assert _fields(line.partition(" translated with: ")[2], expected) == expected


@pytest.mark.parametrize("command", ["translate", "summarize", "eval"])
def test_a_bad_choice_stops_a_command_before_it_reads_its_input(tmp_path, command):
    missing = str(tmp_path / "missing.txt")
    inputs = {"translate": [missing], "summarize": [missing],
              "eval": ["--src", missing, "--ref", missing]}[command]
    result = subprocess.run([sys.executable, "-m", "tarjama", command, *inputs, "--compute-type",
                             "int3"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: unknown compute type 'int3'; choose one of: {', '.join(COMPUTE_TYPES)}"]
