"""The tiny models resolve under the presets' real Hub ids through an offline Hugging Face cache."""
import os
import subprocess
import sys

from tarjama.testing import install_presets


def test_default_preset_resolves_from_offline_cache(tiny_models, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(install_presets(tmp_path / "hf-home", tiny_models.marian, tiny_models.summarizer))
    code = ("from tarjama.models import TRANSLATION, SUMMARIZATION, resolve_model\n"
            "t = resolve_model('best', TRANSLATION)\n"
            "s = resolve_model('distilbart', SUMMARIZATION)\n"
            "print(t.path); print(s.path)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    translation_path, summarizer_path = result.stdout.split()
    assert "models--Helsinki-NLP--opus-mt-tc-big-ar-en" in translation_path
    assert "models--sshleifer--distilbart-cnn-12-6" in summarizer_path
    assert str(tmp_path) in translation_path
