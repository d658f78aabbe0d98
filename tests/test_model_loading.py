"""Model loading: presets, local folders, the Hugging Face cache, and a clear word when unavailable."""
import os
import shutil
import subprocess
import sys

import pytest

from tarjama.errors import InputError
from tarjama.models import SUMMARIZATION, TRANSLATION, find_preset, resolve_model
from tarjama.models.loading import model_id_for
from tarjama.testing import share_conversions

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("name,task,expected", [
    ("best", TRANSLATION, "Helsinki-NLP/opus-mt-tc-big-ar-en"),
    ("fast", TRANSLATION, "Helsinki-NLP/opus-mt-ar-en"),
    ("distilbart", SUMMARIZATION, "sshleifer/distilbart-cnn-12-6"),
    ("org/some-model", TRANSLATION, "org/some-model"),
    ("best", SUMMARIZATION, "best"),
], ids=["best", "fast", "distilbart", "hub-id", "preset-of-other-task"])
def test_names_resolve_to_model_ids(name, task, expected):
    assert model_id_for(name, task) == expected


def test_default_translation_preset_is_the_big_model():
    assert find_preset("best", TRANSLATION).model_id == "Helsinki-NLP/opus-mt-tc-big-ar-en"


def test_local_folder(tiny_models):
    source = resolve_model(str(tiny_models.marian), TRANSLATION)
    assert source.path == tiny_models.marian.resolve()
    assert source.revision == "local"


def test_folder_without_config_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no config.json"):
        resolve_model(str(tmp_path), TRANSLATION)


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"), TRANSLATION)


def _run(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(tmp_path / "hf-home"), **env_extra)
    return subprocess.run([sys.executable, "-m", "tarjama", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def _fake_hub_cache(tmp_path, model_dir, repo="tiny-org/marian-tiny"):
    cache = tmp_path / "hub"
    repo_dir = cache / ("models--" + repo.replace("/", "--"))
    shutil.copytree(model_dir, repo_dir / "snapshots" / COMMIT)
    (repo_dir / "refs").mkdir()
    (repo_dir / "refs" / "main").write_text(COMMIT)
    return cache


def test_model_from_hf_cache_offline(tiny_models, tiny_model_copies, sample_article, tmp_path):
    cache = _fake_hub_cache(tmp_path, tiny_models.marian)
    # The same files as the session's converted tiny model: its copy, not one more conversion
    # (test_standins converts models found under Hub ids).
    assert share_conversions(tmp_path, os.environ["TARJAMA_CACHE"], tiny_model_copies)
    result = _run(["translate", str(sample_article), "--model", "tiny-org/marian-tiny",
                   "--format", "jsonl"], {"HF_HUB_CACHE": str(cache), "HF_HUB_OFFLINE": "1"},
                  tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") >= 8


@pytest.mark.parametrize("env,expected", [
    ({"HF_HUB_OFFLINE": "1"}, "HF_HUB_OFFLINE is set"),
    ({"HF_ENDPOINT": "http://127.0.0.1:9"}, "the Hub cannot be reached"),
], ids=["offline-mode", "no-network"])
def test_unavailable_model_is_one_line_exit_2(sample_article, tmp_path, env, expected):
    result = _run(["translate", str(sample_article)], env, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Helsinki-NLP/opus-mt-tc-big-ar-en" in lines[0] and expected in lines[0]
    assert "--model PATH" in lines[0]
    # What to do next, offline: fetch it ahead, or try tarjama on tiny models.
    assert "tarjama models --download best" in lines[0]
    assert "python -m tarjama.testing make-models DIR" in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("name,task,expected", [
    ("fastest", TRANSLATION, "'fastest' is not a translation preset (presets: best, fast; did you mean 'fast'?)"),
    ("Best", TRANSLATION, "did you mean 'best'?"),
    ("distilbart", TRANSLATION, "'distilbart' is a summarization preset, not a translation one"),
    ("fast", SUMMARIZATION, "'fast' is a translation preset, not a summarization one (presets: distilbart,"),
    ("pegasuss", SUMMARIZATION, "did you mean 'pegasus'?"),
    ("opus", TRANSLATION, "(presets: best, fast) nor a model folder"),
], ids=["typo", "case", "other-task", "other-task-summarizer", "typo-summarizer", "no-close-match"])
def test_a_bare_name_that_is_no_preset_lists_the_presets(name, task, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no folder of that name here
    with pytest.raises(InputError) as caught:
        resolve_model(name, task)
    assert expected in str(caught.value)
    assert "org/name" in str(caught.value)


def test_a_bare_name_that_is_a_folder_is_the_folder(tiny_models, monkeypatch):
    monkeypatch.chdir(tiny_models.marian.parent)
    assert resolve_model(tiny_models.marian.name, TRANSLATION).revision == "local"


def test_a_mistyped_summarizer_fails_before_any_translation(tiny_models, sample_article, tmp_path):
    result = _run(["summarize", str(sample_article), "--model", str(tiny_models.marian),
                   "--summarizer", "distilbartt"],
                  {"HF_HUB_OFFLINE": "1", "TARJAMA_CACHE": str(tmp_path / "tarjama-cache")}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: 'distilbartt' is not a summarization preset (presets: distilbart, bart-large, "
        "pegasus, mt5-xlsum; did you mean 'distilbart'?) nor a model folder; give a preset, a "
        "Hugging Face id as org/name, or --summarizer PATH to a model folder"]
    # Failing before the translator loads means nothing was converted for CTranslate2.
    assert not (tmp_path / "tarjama-cache").exists()
