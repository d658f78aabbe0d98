"""Every preset's stand-in goes where a real user's model goes: resolved offline from a Hugging Face
cache under its real Hub id, converted, run on each backend, through ``translate`` and
``summarize`` end to end, with the generation settings its model card gives.

Each command runs in a child process with ``HF_HOME`` (a temporary cache) and ``HF_HUB_OFFLINE=1``,
as a user's would. The stand-ins are built once per session.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tarjama.models import PRESETS, SUMMARIZATION, TRANSLATION, find_preset
from tarjama.testing import install_presets
from tarjama.testing.standins import FIELD_SOURCES, STANDINS, standin_for

REPO_ROOT = Path(__file__).resolve().parents[1]
TRANSLATORS = [s.preset for s in STANDINS if find_preset(s.preset, TRANSLATION)]
SUMMARIZERS = [s.preset for s in STANDINS if find_preset(s.preset, SUMMARIZATION)]
TRANSLATION_BACKENDS = ["torch", "ctranslate2"]
SUMMARIZER_BACKENDS = ["torch", "ctranslate2"]
#: What each model card (or published generation config) says the model runs with.
CARD_SETTINGS = {
    "best": {"num_beams": 4, "max_length": 512},
    "fast": {"num_beams": 4, "max_length": 512},
    "distilbart": {"beams": 4},
    "bart-large": {"beams": 4},
    "pegasus": {"beams": 8},
    "mt5-xlsum": {"beams": 4, "max_new_tokens": 84, "no_repeat_ngram_size": 2},
}
ENGLISH = (
    "The government of Jordan announced on Sunday a plan to build three desalination plants on "
    "the Red Sea coast. The first plant will produce 300 million cubic metres of water a year by "
    "2029, the water minister told reporters.\n"
    "Officials said the project would cost about 2.8 billion dollars. Farmers in the Jordan "
    "Valley have complained for years that their wells are running dry.\n"
)


@pytest.fixture(scope="session")
def user_env(standins, tmp_path_factory) -> dict[str, str]:
    """A user's environment: every preset's stand-in in an offline cache under its real id."""
    by_id = {standin_for(name).model_id: folder for name, folder in standins.items()}
    env = {key: value for key, value in os.environ.items() if not key.startswith("HF_")}
    env.update(install_presets(tmp_path_factory.mktemp("hf-home"), standins["best"],
                               standins["distilbart"], by_id=by_id))
    return env


@pytest.fixture(scope="session")
def articles(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("articles")
    english = folder / "article.en.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    return {"en": english, "ar": REPO_ROOT / "examples" / "article_ar.txt"}


def _run(env: dict[str, str], *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "tarjama", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


_translations: dict[tuple[str, str], list[dict]] = {}


def _greedy_translation(env, article: Path, preset: str, backend: str) -> list[dict]:
    if (preset, backend) not in _translations:
        result = _run(env, "translate", str(article), "--model", preset, "--backend", backend,
                      "--device", "cpu", "--compute-type", "float32", "--beams", "1",
                      "--guard", "off", "--no-cache", "--format", "jsonl")
        assert result.returncode == 0, result.stderr
        _translations[preset, backend] = [json.loads(line) for line in result.stdout.splitlines()]
    return _translations[preset, backend]


def test_every_preset_has_a_standin_with_field_sources():
    assert {s.preset for s in STANDINS} == {p.name for p in PRESETS} == set(FIELD_SOURCES)
    assert {s.generation_in for s in STANDINS} == {"config.json", "generation_config.json"}


@pytest.mark.parametrize("backend", TRANSLATION_BACKENDS)
@pytest.mark.parametrize("preset", TRANSLATORS)
def test_translate_end_to_end(user_env, articles, preset, backend):
    records = _greedy_translation(user_env, articles["ar"], preset, backend)
    assert records and all(record["translation"] for record in records)
    assert not any("\u2581" in record["translation"] for record in records)


@pytest.mark.parametrize("preset", TRANSLATORS)
def test_backends_write_the_same_strings(user_env, articles, preset):
    torch = [r["translation"] for r in _greedy_translation(user_env, articles["ar"], preset, "torch")]
    ct2 = [r["translation"] for r in _greedy_translation(user_env, articles["ar"], preset,
                                                         "ctranslate2")]
    assert torch == ct2


@pytest.mark.parametrize("backend", TRANSLATION_BACKENDS)
@pytest.mark.parametrize("preset", TRANSLATORS)
def test_translation_settings_from_the_cache(user_env, preset, backend):
    code = ("import json\nfrom tarjama.models import TRANSLATION, resolve_model\n"
            "from tarjama.backends import load_backend\n"
            f"source = resolve_model({preset!r}, TRANSLATION)\n"
            f"b = load_backend(source, {backend!r}, 'cpu', 'float32')\n"
            "print(json.dumps({'path': str(source.path), 'num_beams': b.default_num_beams, "
            "'max_length': b.default_max_length, 'backend': b.name}))\n")
    result = _run(user_env, code=code)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert "models--" + standin_for(preset).model_id.replace("/", "--") in seen["path"]
    assert seen["backend"] == backend
    assert {key: seen[key] for key in CARD_SETTINGS[preset]} == CARD_SETTINGS[preset]


@pytest.mark.parametrize("backend", SUMMARIZER_BACKENDS)
@pytest.mark.parametrize("preset", SUMMARIZERS)
def test_summarize_end_to_end(user_env, articles, preset, backend):
    reads_arabic = find_preset(preset, SUMMARIZATION).source_language == "ar"
    article = articles["ar" if reads_arabic else "en"]
    result = _run(user_env, "summarize", str(article), "--summarizer",
                  standin_for(preset).model_id, "--model", "fast", "--backend", backend,
                  "--device", "cpu", "--compute-type", "float32", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "forced_bos_token_id" not in result.stderr
    record = json.loads(result.stdout)
    assert record["summary"].strip()
    signature = record["signature"]
    assert signature.startswith(f"model:{standin_for(preset).model_id}@")
    assert f"|preset:{preset}|" in signature
    for key, value in CARD_SETTINGS[preset].items():
        assert f"|{key}:{value}|" in signature
    assert f"|backend:{backend}|" in signature
