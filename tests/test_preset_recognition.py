"""A preset's settings follow its model, not its name: preset name, Hub id or local copy (issue 13)."""
import json

import pytest

from tarjama.models import SUMMARIZATION, TRANSLATION, recognize_preset
from tarjama.pipeline import SUMMARIZE_THEN_TRANSLATE, TRANSLATE_THEN_SUMMARIZE, choose_strategy
from tarjama.summarization import Summarizer

XLSUM = "csebuetnlp/mT5_multilingual_XLSum"
# config.json fields of the published mT5-XLSum checkpoint (recalled; see docs/standins.md).
XLSUM_CONFIG = {"architectures": ["MT5ForConditionalGeneration"], "model_type": "mt5",
                "vocab_size": 250112, "d_model": 768, "num_layers": 12, "num_decoder_layers": 12,
                "num_heads": 12, "d_ff": 2048}


def _folder(path, config):
    path.mkdir(parents=True)
    (path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["mt5-xlsum", XLSUM])
def test_by_preset_name_or_hub_id(name):
    assert recognize_preset(name, SUMMARIZATION).name == "mt5-xlsum"
    assert choose_strategy("auto", name) == SUMMARIZE_THEN_TRANSLATE


def test_local_copy_by_architecture_fingerprint(tmp_path):
    folder = _folder(tmp_path / "my-xlsum", XLSUM_CONFIG)
    assert recognize_preset(str(folder), SUMMARIZATION).name == "mt5-xlsum"
    assert choose_strategy("auto", str(folder)) == SUMMARIZE_THEN_TRANSLATE


def test_local_copy_by_name_or_path_and_by_cache_layout(tmp_path):
    named = _folder(tmp_path / "copy", {"model_type": "mt5", "_name_or_path": XLSUM})
    cached = _folder(tmp_path / "models--csebuetnlp--mT5_multilingual_XLSum" / "snapshots" / "abc",
                     {"model_type": "mt5"})
    assert recognize_preset(str(named), SUMMARIZATION).name == "mt5-xlsum"
    assert recognize_preset(str(cached), SUMMARIZATION).name == "mt5-xlsum"


def test_other_models_are_no_preset(tmp_path):
    other = _folder(tmp_path / "other", {**XLSUM_CONFIG, "vocab_size": 32128})
    assert recognize_preset(str(other), SUMMARIZATION) is None
    assert recognize_preset("org/some-model", SUMMARIZATION) is None
    assert recognize_preset(XLSUM, TRANSLATION) is None
    assert choose_strategy("auto", str(other)) == TRANSLATE_THEN_SUMMARIZE


def test_local_copy_runs_with_the_preset_settings_and_user_flags_win(standins, tmp_path):
    import shutil

    copy = tmp_path / "xlsum-copy"
    shutil.copytree(standins["mt5-xlsum"], copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    # A copy saved by transformers 4 after loading the Hub id carries that id.
    (copy / "config.json").write_text(json.dumps({**config, "_name_or_path": XLSUM}), "utf-8")
    summarizer = Summarizer(str(copy), backend="torch", device="cpu")
    assert "|preset:mt5-xlsum|" in summarizer.signature
    assert "|beams:4|" in summarizer.signature
    assert "|max_new_tokens:84|no_repeat_ngram_size:2|" in summarizer.signature
    mine = Summarizer(str(copy), backend="torch", device="cpu", num_beams=2, no_repeat_ngram_size=3)
    assert "|beams:2|" in mine.signature and "|no_repeat_ngram_size:3|" in mine.signature
