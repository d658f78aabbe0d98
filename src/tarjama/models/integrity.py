"""Whether a model folder holds every file its loaders need, whole and readable.

The cheap checks run before any loading (:func:`check_model_folder`): the config files parse, the
tokenizer files of the model type are there, and each safetensors file is as long as its own header
says. When a loader fails anyway, :func:`diagnose` looks harder for the file at fault. Both raise
or return :class:`DamagedModelError`, which names the file and how to get a good copy back.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

from tarjama.errors import DamagedModelError

CONFIG_FILES = ("config.json", "generation_config.json", "tokenizer_config.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
SAFETENSORS_INDEX = "model.safetensors.index.json"
# The tokenizer files each model type needs: any one of the alternatives, all files of it.
TOKENIZER_FILES: dict[str, tuple[tuple[str, ...], ...]] = {
    "marian": (("source.spm", "target.spm", "vocab.json"),),
    "bart": (("tokenizer.json",), ("vocab.json", "merges.txt")),
    "mbart": (("tokenizer.json",), ("sentencepiece.bpe.model",)),
    "pegasus": (("tokenizer.json",), ("spiece.model",)),
    "t5": (("tokenizer.json",), ("spiece.model",)),
    "mt5": (("tokenizer.json",), ("spiece.model",)),
}
_HUB_REPO_PREFIX = "models--"
_SAFETENSORS_LENGTH_BYTES = 8


def damaged(path: Path, problem: str, folder: Path | None = None) -> DamagedModelError:
    """The error for ``path`` (a file of the model in ``folder``) and what to do about it."""
    folder = folder or path.parent
    return DamagedModelError(f"{path} {problem}; {_remedy(folder)}", str(path))


def check_model_folder(folder: Path) -> None:
    """Raise :class:`DamagedModelError` when a file the model needs is missing or cut short.

    Only cheap checks: small JSON files are parsed, big files are only measured.
    """
    config = read_json(folder / "config.json", folder)
    for name in CONFIG_FILES[1:]:
        if (folder / name).is_file():
            read_json(folder / name, folder)
    require_files(folder, TOKENIZER_FILES.get(str(config.get("model_type")), ()))
    for weights in _weight_files(folder):
        _check_safetensors(weights, folder)


def require_files(folder: Path, alternatives: tuple[tuple[str, ...], ...]) -> None:
    """Raise :class:`DamagedModelError` unless every file of one of ``alternatives`` is there."""
    if not alternatives or any(_all_present(folder, names) for names in alternatives):
        return
    missing = [name for name in alternatives[0] if not _present(folder / name)]
    path = folder / missing[0]
    problem = "is missing" if not path.exists() else "is empty"
    others = [" and ".join(names) for names in alternatives[1:]]
    instead = f" (nor {' or '.join(others)})" if others else ""
    raise damaged(path, f"{problem}{instead}", folder)


def read_json(path: Path, folder: Path) -> dict:
    """A JSON object file of the model in ``folder``; ``{}`` when absent, an error when unreadable."""
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise damaged(path, f"is not valid JSON ({err})", folder) from None
    if not isinstance(value, dict):
        raise damaged(path, "is not a JSON object", folder)
    return value


def diagnose(folder: Path) -> DamagedModelError | None:
    """After a loader failed: the error naming the damaged file, or ``None`` when none is found.

    Slower than :func:`check_model_folder`: every JSON file is parsed and every sentencepiece
    model is loaded.
    """
    try:
        check_model_folder(folder)
        for path in sorted(folder.glob("*.json")):
            read_json(path, folder)
        for path in sorted([*folder.glob("*.spm"), *folder.glob("*.model")]):
            load_sentencepiece(path, folder)
        legacy = folder / "pytorch_model.bin"
        if legacy.is_file() and not _is_whole_zip(legacy):
            return damaged(legacy, "is cut short or damaged (not a whole zip archive)", folder)
    except DamagedModelError as err:
        return err
    return None


def _remedy(folder: Path) -> str:
    if folder.parent.name == "snapshots" and folder.parent.parent.name.startswith(_HUB_REPO_PREFIX):
        repo = folder.parent.parent
        model_id = repo.name.removeprefix(_HUB_REPO_PREFIX).replace("--", "/")
        return f"delete {repo} and download the model again (`hf download {model_id}`)"
    return f"replace {folder} with a complete copy of the model (save_pretrained() or a new download)"


def _present(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _all_present(folder: Path, names: tuple[str, ...]) -> bool:
    return all(_present(folder / name) for name in names)


def _weight_files(folder: Path) -> list[Path]:
    index = folder / SAFETENSORS_INDEX
    if index.is_file():
        shards = sorted(set(read_json(index, folder).get("weight_map", {}).values()))
        for shard in shards:
            if not (folder / shard).is_file():
                raise damaged(folder / shard, f"is missing (listed in {SAFETENSORS_INDEX})", folder)
        return [folder / shard for shard in shards]
    present = [folder / name for name in WEIGHT_FILES if (folder / name).is_file()]
    if not present:
        raise damaged(folder / WEIGHT_FILES[0], f"is missing (nor {WEIGHT_FILES[1]})", folder)
    return [path for path in present if path.suffix == ".safetensors"]


def _check_safetensors(path: Path, folder: Path) -> None:
    """A safetensors file starts with its header's length and the header, which gives the byte
    range of every tensor: the file must end exactly where the last tensor does."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        prefix = handle.read(_SAFETENSORS_LENGTH_BYTES)
        if len(prefix) < _SAFETENSORS_LENGTH_BYTES:
            raise damaged(path, f"is cut short ({size} bytes)", folder)
        (header_length,) = struct.unpack("<Q", prefix)
        if header_length > size - _SAFETENSORS_LENGTH_BYTES:
            raise damaged(path, f"is cut short ({size} bytes, a header of {header_length})", folder)
        try:
            header = json.loads(handle.read(header_length))
            end = max((entry["data_offsets"][1] for key, entry in header.items()
                       if key != "__metadata__"), default=0)
        except (ValueError, TypeError, KeyError, IndexError):
            raise damaged(path, "has a damaged header", folder) from None
    expected = _SAFETENSORS_LENGTH_BYTES + header_length + end
    if size != expected:
        raise damaged(path, f"is cut short or damaged ({size} bytes, {expected} expected)", folder)


def load_sentencepiece(path: Path, folder: Path | None = None):
    """The sentencepiece model in ``path``; :class:`DamagedModelError` when it cannot be read."""
    import sentencepiece

    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError):
        raise damaged(path, "is not a readable sentencepiece model", folder) from None


def _is_whole_zip(path: Path) -> bool:
    import zipfile

    with path.open("rb") as handle:
        is_zip = handle.read(2) == b"PK"
    # Only archives are checked: legacy pickles (torch before 1.6) have no end to look for.
    return not is_zip or zipfile.is_zipfile(path)
