"""Which preset a model is, however it was named: a preset name, its Hub id, or a local copy.

A preset's settings (generation settings, the language its summarizer reads) belong to the model,
not to its name, so they apply whenever the model is the preset's model. A local folder is
recognised, in this order, by

1. the Hugging Face cache layout around it (``models--ORG--NAME/snapshots/COMMIT``),
2. ``_name_or_path`` in its ``config.json`` naming the preset's Hub id (copies saved by
   transformers 4, which wrote the id it loaded from),
3. its architecture fingerprint: ``config.json`` fields (model type, vocabulary size, width,
   depth) equal to the preset's published ones — what a copy of the Hub files in a folder of its own has.

A fine-tune with the very same architecture as a preset is taken for that preset; the user's own
flags still win over everything a preset brings. Nothing here imports torch or transformers.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from tarjama.models.presets import PRESETS, Preset, find_preset

_CACHE_FOLDER = re.compile(r"^models--(?P<org>[^/]+?)--(?P<name>[^/]+)$")


def recognize_preset(name: str, task: str) -> Preset | None:
    """The preset of ``task`` that the model ``name`` is, or ``None`` for any other model."""
    preset = find_preset(name, task) or _by_model_id(name, task)
    if preset is not None:
        return preset
    folder = Path(name).expanduser()
    if not (folder / "config.json").is_file():
        return None
    return _by_cache_layout(folder.resolve(), task) or _by_config(_read_config(folder), task)


def _by_model_id(model_id: str, task: str) -> Preset | None:
    return next((p for p in PRESETS if p.task == task and p.model_id == model_id), None)


def _by_cache_layout(folder: Path, task: str) -> Preset | None:
    if folder.parent.name != "snapshots":
        return None
    match = _CACHE_FOLDER.match(folder.parent.parent.name)
    return _by_model_id(f"{match['org']}/{match['name']}", task) if match else None


def _read_config(folder: Path) -> dict:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def _by_config(config: dict, task: str) -> Preset | None:
    named = config.get("_name_or_path")
    if isinstance(named, str) and (preset := _by_model_id(named, task)):
        return preset
    for preset in PRESETS:
        if preset.task == task and preset.fingerprint and all(
                config.get(key) == value for key, value in preset.fingerprint):
            return preset
    return None
