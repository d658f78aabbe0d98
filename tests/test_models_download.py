"""``tarjama models --download``: models fetched ahead of an offline run, through the real
huggingface_hub code, against an offline Hugging Face cache (the Hub cannot be reached here)."""
import os
import subprocess
import sys

import pytest

from tarjama.cli.models_cmd import file_size
from tarjama.models import find_preset
from tarjama.testing import install_in_hub_cache

BEST = find_preset("best", "translation").model_id


def _run(args, hf_home, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(hf_home), **env_extra)
    return subprocess.run([sys.executable, "-m", "tarjama", "models", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_a_cached_model_is_reported_with_its_size_and_folder(tiny_models, tmp_path):
    snapshot = install_in_hub_cache(tmp_path / "hf" / "hub", BEST, tiny_models.marian)
    size = sum(f.stat().st_size for f in snapshot.rglob("*") if f.is_file())
    result = _run(["--download", "best"], tmp_path / "hf", HF_HUB_OFFLINE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"best: {BEST}@{snapshot.name[:12]}, {file_size(size)}, "
                             f"already cached in {snapshot}\n")
    assert "HF_HUB_OFFLINE=1" in result.stderr


def test_a_cached_hub_id_is_found_under_its_id(tiny_models, tmp_path):
    snapshot = install_in_hub_cache(tmp_path / "hf" / "hub", "tiny-org/marian-tiny", tiny_models.marian)
    result = _run(["--download", "tiny-org/marian-tiny"], tmp_path / "hf", HF_HUB_OFFLINE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tiny-org/marian-tiny@")
    assert result.stdout.rstrip().endswith(f"already cached in {snapshot}")


@pytest.mark.parametrize("names,env,expected", [
    (["best"], {"HF_HUB_OFFLINE": "1"},
     f"error: cannot download model '{BEST}' (preset 'best'): HF_HUB_OFFLINE is set; unset it to download"),
    (["distilbart"], {"HF_ENDPOINT": "http://127.0.0.1:9"},
     "error: cannot download model 'sshleifer/distilbart-cnn-12-6' (preset 'distilbart'): the Hugging "
     "Face Hub cannot be reached; check the network (or HF_ENDPOINT)"),
    (["fastest"], {"HF_HUB_OFFLINE": "1"},
     "error: 'fastest' is neither a preset (presets: best, fast, distilbart, bart-large, pegasus, "
     "mt5-xlsum; did you mean 'fast'?) nor a Hugging Face id (org/name)"),
    (["org/bad name"], {"HF_ENDPOINT": "http://127.0.0.1:9"},
     "error: 'org/bad name' is not a valid Hugging Face id: org/name, in letters, digits, '-', '_' "
     "and '.'"),
], ids=["offline", "unreachable", "not-a-preset", "invalid-id"])
def test_a_model_that_cannot_be_downloaded_is_one_line_exit_2(tmp_path, names, env, expected):
    args = [a for name in names for a in ("--download", name)]
    result = _run(args, tmp_path / "hf", **env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [expected]
    assert result.stdout == ""


def test_a_local_folder_needs_no_download(tiny_models, tmp_path):
    result = _run(["--download", str(tiny_models.marian)], tmp_path / "hf", HF_HUB_OFFLINE="1")
    assert result.returncode == 2
    assert "is a local folder: it needs no download" in result.stderr


@pytest.mark.parametrize("size,expected", [
    (0, "0 B"), (999, "999 B"), (48_200, "48.2 kB"), (312_400_000, "312.4 MB"),
    (1_234_000_000, "1.2 GB"), (999_999_999_999_999, "1000.0 TB"),
])
def test_sizes_read_as_the_hub_shows_them(size, expected):
    assert file_size(size) == expected
