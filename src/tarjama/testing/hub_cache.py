"""Put model folders into a Hugging Face cache under any Hub id, so code resolves them offline.

The layout is the one ``huggingface_hub`` writes (``models--ORG--NAME/snapshots/COMMIT`` and
``refs/main``), so ``HF_HOME=... HF_HUB_OFFLINE=1`` makes a real id such as
``Helsinki-NLP/opus-mt-tc-big-ar-en`` resolve through the same cache code path a downloaded model
takes. Nothing here imports torch.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from tarjama.models.loading import ModelSource
from tarjama.models.presets import PRESETS, TRANSLATION


def hub_cache_dir(hf_home: str | os.PathLike[str]) -> Path:
    """The hub cache folder huggingface_hub uses under ``HF_HOME`` (when ``HF_HUB_CACHE`` is unset)."""
    return Path(hf_home) / "hub"


def install_in_hub_cache(hub_cache: str | os.PathLike[str], repo_id: str,
                         folder: str | os.PathLike[str]) -> Path:
    """Copy ``folder`` into ``hub_cache`` as the ``main`` revision of ``repo_id``; return the snapshot.

    The commit hash is derived from ``repo_id``, so repeated installs land in the same snapshot.
    """
    repo_dir = Path(hub_cache) / ("models--" + repo_id.replace("/", "--"))
    commit = hashlib.sha1(repo_id.encode("utf-8")).hexdigest()
    snapshot = repo_dir / "snapshots" / commit
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(folder, snapshot)
    (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
    (repo_dir / "refs" / "main").write_text(commit, encoding="utf-8")
    return snapshot


def install_presets(hf_home: str | os.PathLike[str], translation: str | os.PathLike[str],
                    summarizer: str | os.PathLike[str],
                    by_id: Mapping[str, str | os.PathLike[str]] | None = None) -> dict[str, str]:
    """Install model folders under every preset's real Hub id; return the environment to use them.

    ``translation`` stands in for every translation preset and ``summarizer`` for every summarizer
    preset, unless ``by_id`` names another folder for a Hub id. The returned variables
    (``HF_HOME``, ``HF_HUB_OFFLINE=1``) make the presets resolve to these folders, offline.
    """
    hub = hub_cache_dir(hf_home)
    chosen = dict(by_id or {})
    for preset in PRESETS:
        default = translation if preset.task == TRANSLATION else summarizer
        install_in_hub_cache(hub, preset.model_id, chosen.pop(preset.model_id, default))
    for repo_id, folder in chosen.items():
        install_in_hub_cache(hub, repo_id, folder)
    return {"HF_HOME": str(Path(hf_home)), "HF_HUB_OFFLINE": "1"}


def share_conversions(hf_home: str | os.PathLike[str], tarjama_cache: str | os.PathLike[str],
                      copies: Mapping[Path, Path]) -> list[Path]:
    """Start ``tarjama_cache`` with the CTranslate2 copies of the models under ``hf_home`` whose
    files are those of a folder in ``copies`` (a model folder -> the copy converted from it).

    The same files convert to the same copy whatever Hub id they are installed under, so tests that
    install one tiny model under every preset's id convert it once instead of once per id. A copy
    goes where tarjama looks for that id's conversion; returns the copies placed.
    """
    from tarjama.backends.ctranslate2.convert import converted_dir

    by_content = {_content_digest(folder): copy for folder, copy in copies.items()}
    placed = []
    for snapshot in sorted(hub_cache_dir(hf_home).glob("models--*/snapshots/*")):
        copy = by_content.get(_content_digest(snapshot))
        if copy is None:
            continue
        repo_id = snapshot.parent.parent.name.removeprefix("models--").replace("--", "/")
        source = ModelSource(requested=repo_id, model_id=repo_id, revision=snapshot.name, path=snapshot)
        quantization = copy.name.rsplit("-", 1)[-1]
        target = converted_dir(source, quantization, Path(tarjama_cache))
        if not target.exists():
            shutil.copytree(copy, target)
        placed.append(target)
    return placed


def _content_digest(folder: Path) -> str:
    """A digest of the names and bytes of the files in ``folder`` (not their times or paths)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
