"""Where tarjama keeps what it derives from models: converted models and cached translations.

Everything lives under one folder, ``TARJAMA_CACHE`` when that variable is set, else ``tarjama/``
beside the Hugging Face hub cache (``~/.cache/huggingface/tarjama`` by default), so deleting the
Hugging Face cache's parent removes both.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from tarjama import env
from tarjama.models import ModelSource

LOCAL_REVISION = "local"


def tarjama_cache_dir() -> Path:
    """The folder of tarjama's own cache (``$TARJAMA_CACHE``, or ``tarjama/`` beside the HF hub)."""
    override = env.cache_folder()
    if override:
        return Path(override).expanduser()
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE).expanduser().parent / "tarjama"


def model_fingerprint(source: ModelSource) -> str:
    """A name that changes whenever the model's files do, safe to use as a folder name.

    A Hub model is named by its id and commit. A local folder has no commit, so its resolved path,
    and the size and modification time of each file in it, are hashed: retraining a model in place
    gives it a new fingerprint, and nothing derived from the old files is reused.
    """
    if source.revision != LOCAL_REVISION:
        return f"{source.model_id.replace('/', '--')}-{source.revision[:12]}"
    digest = hashlib.sha256(str(source.path).encode("utf-8"))
    for path in sorted(p for p in source.path.iterdir() if p.is_file()):
        stat = path.stat()
        digest.update(f"\0{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return f"local-{source.path.name}-{digest.hexdigest()[:12]}"
