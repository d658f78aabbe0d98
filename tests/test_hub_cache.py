"""The tiny models resolve under the presets' real Hub ids through an offline Hugging Face cache."""
import os
import subprocess
import sys
from pathlib import Path

from tarjama.testing import install_presets, share_conversions


def _offline_hub(tiny_models, tmp_path) -> dict[str, str]:
    """An environment whose Hugging Face cache, in ``tmp_path``, holds the presets' stand-ins."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(install_presets(tmp_path / "hf-home", tiny_models.marian, tiny_models.summarizer))
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120)


def test_default_preset_resolves_from_offline_cache(tiny_models, tmp_path):
    env = _offline_hub(tiny_models, tmp_path)
    code = ("from tarjama.models import TRANSLATION, SUMMARIZATION, resolve_model\n"
            "t = resolve_model('best', TRANSLATION)\n"
            "s = resolve_model('distilbart', SUMMARIZATION)\n"
            "print(t.path); print(s.path)\n")
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    translation_path, summarizer_path = result.stdout.split()
    assert "models--Helsinki-NLP--opus-mt-tc-big-ar-en" in translation_path
    assert "models--sshleifer--distilbart-cnn-12-6" in summarizer_path
    assert str(tmp_path) in translation_path


def test_a_conversion_is_shared_by_every_id_holding_the_same_files(tiny_models, tiny_model_copies,
                                                                   tmp_path):
    env = _offline_hub(tiny_models, tmp_path)
    env["TARJAMA_CACHE"] = str(tmp_path / "cache")
    placed = share_conversions(tmp_path / "hf-home", tmp_path / "cache", tiny_model_copies)
    code = ("from tarjama.backends.ctranslate2.convert import converted_dir\n"
            "from tarjama.models import PRESETS, TRANSLATION, resolve_model\n"
            "for preset in PRESETS:\n"
            "    print(preset.task == TRANSLATION, converted_dir(resolve_model(preset.name, preset.task), 'int8'))\n")
    result = _python(code, env)
    assert result.returncode == 0, result.stderr
    looked_up = dict(line.split()[::-1] for line in result.stdout.splitlines())
    # Every preset's conversion is where tarjama looks for it, and is the copy of its own tiny model.
    assert sorted(looked_up) == sorted(map(str, placed))
    for path, translates in looked_up.items():
        model = tiny_models.marian if translates == "True" else tiny_models.summarizer
        assert (Path(path) / "model.bin").read_bytes() == (tiny_model_copies[model] / "model.bin").read_bytes()
