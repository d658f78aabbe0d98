"""Faults in model files, run through the real command line on tiny models damaged for real.

A damaged model folder (translator or summarizer, either backend) stops the command with one line
naming the file; a damaged CTranslate2 copy in tarjama's cache is converted again, with one line
naming the file, and translates exactly as a clean copy does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fault_cases import delete, message_lines, not_json, random_bytes_inside, truncate
from tarjama.backends.ctranslate2.manifest import MANIFEST_NAME, manifest_problem
from tarjama.env import CACHE

ARTICLE = "قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر.\n\nجملة أخيرة.\n"
ENGLISH = "The president said the meeting went well. He added that the work would go on.\n"
BACKENDS = ("torch", "ctranslate2")


def _cli(args: list[str], cache: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TARJAMA_"))}
    env.update({CACHE.name: str(cache), "HF_HOME": str(home / "hf-home"),
                "HF_HUB_OFFLINE": "1"})
    return subprocess.run([sys.executable, "-m", "tarjama", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def _stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return message_lines(result.stderr)


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(3000))


# Damage done to a model folder: the file, and what is done to it.
FOLDER_DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "truncated-weights": ("model.safetensors", truncate),
    "missing-source-spm": ("source.spm", delete),
    "missing-target-spm": ("target.spm", delete),
    "missing-vocab": ("vocab.json", delete),
    "corrupt-vocab": ("vocab.json", not_json),
    "corrupt-source-spm": ("source.spm", _garbage),
    "corrupt-config": ("config.json", not_json),
}
SUMMARIZER_DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "truncated-weights": ("model.safetensors", truncate),
    "missing-tokenizer": ("tokenizer.json", delete),
    "corrupt-tokenizer": ("tokenizer.json", not_json),
    "corrupt-config": ("config.json", not_json),
    "corrupt-generation-config": ("generation_config.json", not_json),
}


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _damaged_copy(model: Path, tmp_path: Path, name: str, damage: Callable[[Path], None]) -> Path:
    folder = tmp_path / model.name
    shutil.copytree(model, folder)
    damage(folder / name)
    return folder


def _assert_one_line_naming(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == 2, result.stderr
    lines = _stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", FOLDER_DAMAGE)
def test_fault_damaged_translation_model(tiny_models, tmp_path, article, case, backend):
    name, damage = FOLDER_DAMAGE[case]
    folder = _damaged_copy(tiny_models.marian, tmp_path, name, damage)
    result = _cli(["translate", str(article), "--model", str(folder), "--backend", backend,
                   "--no-cache", "--guard", "off", "--no-confidence"], tmp_path / "cache", tmp_path)
    _assert_one_line_naming(result, folder / name)
    assert "complete copy" in result.stderr


@pytest.mark.parametrize("case", SUMMARIZER_DAMAGE)
def test_fault_damaged_summarizer(tiny_models, tmp_path, case):
    # English input: only the summarizer is loaded (it runs on torch whatever --backend says).
    name, damage = SUMMARIZER_DAMAGE[case]
    folder = _damaged_copy(tiny_models.summarizer, tmp_path, name, damage)
    english = tmp_path / "english.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    result = _cli(["summarize", str(english), "--model", str(tiny_models.marian),
                   "--summarizer", str(folder)], tmp_path / "cache", tmp_path)
    _assert_one_line_naming(result, folder / name)


@pytest.mark.parametrize("command", ["translate", "summarize"])
def test_fault_empty_model_folder(tiny_models, tmp_path, article, command):
    empty = tmp_path / "empty-model"
    empty.mkdir()
    models = (["--model", str(empty)] if command == "translate"
              else ["--model", str(tiny_models.marian), "--summarizer", str(empty)])
    result = _cli([command, str(article), *models], tmp_path / "cache", tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = _stderr_lines(result)
    assert str(empty) in line and "config.json" in line


def test_fault_hub_cache_entry_names_the_cache_folder_to_delete(tiny_models, tmp_path, article):
    """A damaged model in the Hugging Face cache: the fix is deleting its cache entry."""
    from tarjama.testing import install_presets

    env = install_presets(tmp_path / "hub", tiny_models.marian, tiny_models.summarizer)
    snapshots = Path(env["HF_HOME"]).rglob("snapshots/*/source.spm")
    spm = next(p for p in snapshots if "opus-mt-tc-big-ar-en" in str(p))
    spm.unlink()
    result = subprocess.run(
        [sys.executable, "-m", "tarjama", "translate", str(article), "--model", "best", "--no-cache"],
        capture_output=True, text=True, timeout=600,
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TARJAMA_"))},
             **env, CACHE.name: str(tmp_path / "cache")})
    _assert_one_line_naming(result, spm)
    repo = spm.parent.parent.parent
    assert f"delete {repo}" in result.stderr and "hf download" in result.stderr


# Damage done to the converted copy in tarjama's cache.
COPY_DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "random-bytes-in-model-bin": ("model.bin", random_bytes_inside),
    "truncated-model-bin": ("model.bin", truncate),
    "missing-config": ("config.json", delete),
    "no-manifest-older-tarjama": (MANIFEST_NAME, delete),
}


def _copies(folder: Path) -> list[Path]:
    """The converted copies in ``folder``, without the lock files conversions leave beside them."""
    return [path for path in folder.iterdir() if not path.name.startswith(".")]


@pytest.fixture(scope="module")
def clean_conversion(tiny_models, tmp_path_factory):
    """A cache holding a clean conversion of the tiny model, and what it translates an article to."""
    root = tmp_path_factory.mktemp("clean")
    article = root / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = _cli(["translate", str(article), "--model", str(tiny_models.marian),
                   "--backend", "ctranslate2", "--no-cache", "--guard", "off", "--no-confidence"],
                  root / "cache", root)
    assert result.returncode == 0 and not _stderr_lines(result), result.stderr
    [copy] = _copies(root / "cache" / "ct2")
    assert manifest_problem(copy) is None
    return root / "cache", copy.name, result.stdout


def _translate_ct2(model: Path, article: Path, cache: Path, home: Path):
    return _cli(["translate", str(article), "--model", str(model), "--backend", "ctranslate2",
                 "--no-cache", "--guard", "off", "--no-confidence"], cache, home)


@pytest.mark.parametrize("case", COPY_DAMAGE)
def test_fault_damaged_converted_copy_is_converted_again(tiny_models, tmp_path, article,
                                                          clean_conversion, case):
    clean_cache, copy_name, clean_output = clean_conversion
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    copy = cache / "ct2" / copy_name
    name, damage = COPY_DAMAGE[case]
    damage(copy / name)
    assert manifest_problem(copy) is not None

    result = _translate_ct2(tiny_models.marian, article, cache, tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = _stderr_lines(result)
    assert str(copy / name) in line and "again" in line
    assert result.stdout == clean_output
    assert manifest_problem(copy) is None
    assert not [p.name for p in copy.parent.iterdir()
                if p.name != copy_name and not p.name.endswith(".lock")]  # the lock stays

    again = _translate_ct2(tiny_models.marian, article, cache, tmp_path)
    assert again.returncode == 0 and not _stderr_lines(again), again.stderr
    assert again.stdout == clean_output


def test_fault_concurrent_runs_repair_one_damaged_copy(tiny_models, tmp_path, article,
                                                       clean_conversion):
    clean_cache, copy_name, clean_output = clean_conversion
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    copy = cache / "ct2" / copy_name
    random_bytes_inside(copy / "model.bin")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TARJAMA_"))}
    env.update({CACHE.name: str(cache), "HF_HUB_OFFLINE": "1"})
    command = [sys.executable, "-m", "tarjama", "translate", str(article), "--model",
               str(tiny_models.marian), "--backend", "ctranslate2", "--no-cache", "--guard", "off",
               "--no-confidence"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env) for _ in range(3)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outputs]
    assert all(out == clean_output for out, _ in outputs)
    # A run that starts after another repaired the copy has nothing to say.
    assert any(str(copy / "model.bin") in err for _, err in outputs)
    assert manifest_problem(copy) is None
    assert not [p.name for p in copy.parent.iterdir()
                if p.name != copy_name and not p.name.endswith(".lock")]  # the lock stays


@pytest.fixture()
def small_disk(tmp_path):
    """A 2 MiB tmpfs, for a real full disk; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def test_fault_reconversion_on_a_full_disk_says_what_to_do(tiny_models, tmp_path, article,
                                                           small_disk):
    cache = small_disk / "cache"
    first = _translate_ct2(tiny_models.marian, article, cache, tmp_path)
    assert first.returncode == 0, first.stderr
    [copy] = _copies(cache / "ct2")
    random_bytes_inside(copy / "model.bin")
    _fill(small_disk)

    result = _translate_ct2(tiny_models.marian, article, cache, tmp_path)
    _assert_one_line_naming(result, copy / "model.bin")
    assert "free space" in result.stderr and str(copy) in result.stderr

    (small_disk / "filler").unlink()
    repaired = _translate_ct2(tiny_models.marian, article, cache, tmp_path)
    assert repaired.returncode == 0 and repaired.stdout == first.stdout, repaired.stderr
