"""Where a model comes from: a preset name, a local folder, the Hugging Face cache or the Hub.

This module finds the files; the backends load them. It imports neither torch nor transformers,
so ``tarjama models`` stays fast.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tarjama import env
from tarjama.errors import Advice, InputError, ModelNotAvailableError
from tarjama.models.integrity import check_model_folder
from tarjama.models.presets import PRESETS, find_preset, preset_names
from tarjama.textio import FOLDER, path_kind, shown_path

# Weights in safetensors first; older repositories (several OPUS-MT ones) only have the .bin file.
_CONFIG_AND_TOKENIZER_FILES = ["*.json", "*.spm", "*.model", "*.txt", "*.safetensors"]
_LEGACY_WEIGHTS = ["pytorch_model.bin"]


@dataclass(frozen=True)
class ModelSource:
    """A model found on disk, ready for a backend to load.

    ``model_id`` is the Hub id (or the folder, for a local model), ``revision`` the commit the files
    came from (``"local"`` for a folder), ``path`` the folder holding the files.
    """

    requested: str
    model_id: str
    revision: str
    path: Path

    @property
    def label(self) -> str:
        """How the model appears in signatures: ``id@revision``."""
        return f"{self.model_id}@{self.revision[:12]}"


def is_offline() -> bool:
    """Whether the user asked huggingface_hub to stay offline (``HF_HUB_OFFLINE=1``)."""
    return env.hub_offline()


def model_id_for(name: str, task: str) -> str:
    """The Hub id or folder that ``name`` stands for (a preset name is looked up)."""
    preset = find_preset(name, task)
    return preset.model_id if preset else name


def resolve_model(name: str, task: str, revision: str | None = None) -> ModelSource:
    """Find the files of the model ``name`` for ``task``, downloading them if needed and allowed.

    ``name`` is a preset (``best``), a local folder, or a Hub id (``org/model``). Raises
    :class:`ModelNotAvailableError` with one line saying what to do when the model cannot be had,
    and :class:`DamagedModelError` naming the file when one the model needs is missing or cut short.
    """
    source = _find(name, model_id_for(name, task), task, revision)
    check_model_folder(source.path)
    return source


def _find(name: str, model_id: str, task: str, revision: str | None) -> ModelSource:
    folder = Path(model_id).expanduser()
    kind = path_kind(folder)
    point_at_a_folder = Advice(_model_setting(task), "point {} at a folder saved with "
                               "save_pretrained(), or give a Hugging Face model id", metavar="PATH")
    if kind == FOLDER:
        if not (folder / "config.json").is_file():
            raise InputError(f"{folder}: not a model folder (no config.json)", point_at_a_folder)
        return ModelSource(name, str(folder.resolve()), "local", folder.resolve())
    if kind is not None:
        raise InputError(f"{shown_path(folder)}: is a {kind}, not a model folder",
                         point_at_a_folder)
    if model_id.startswith((".", "/", "~")) or model_id.count("/") > 1:
        raise InputError(f"model folder {shown_path(model_id)!r} does not exist; check the path")
    check_model_name(name, task, revision)
    return _from_hub(name, model_id, task, revision)


def check_model_name(name: str, task: str, revision: str | None = None) -> None:
    """Raise :class:`InputError` (see :func:`not_a_preset`) when ``name`` is a bare word that is
    neither a preset for ``task``, a folder, nor a model in the Hugging Face cache.

    Quick and offline, so a front end can check every model it was given before any work.
    """
    bare = "/" not in name and not Path(name).expanduser().is_dir()
    # A bare name that is no preset is far more often a typo ("fastest") than one of the few old
    # Hub ids without an organisation; those still work once they are in the cache.
    if bare and find_preset(name, task) is None and cached_path(name, revision) is None:
        raise not_a_preset(name, task)


def not_a_preset(name: str, task: str) -> InputError:
    """The error for ``name``, a bare word that is neither a preset for ``task`` nor a folder: it
    lists the presets and suggests the closest one (also a preset of the other task)."""
    known = preset_names(task)
    other = next((p for p in PRESETS if p.name == name and p.task != task), None)
    if other is not None:
        problem = f"{name!r} is a {other.task} preset, not a {task} one (presets: {', '.join(known)})"
    else:
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problem = (f"{name!r} is not a {task} preset (presets: {', '.join(known)}{hint}) "
                   "nor a model folder")
    return InputError(problem, Advice(_model_setting(task), "give a preset, a Hugging Face id "
                                      "as org/name, or {} to a model folder", metavar="PATH"))


def cached_path(model_id: str, revision: str | None = None) -> Path | None:
    """The folder of ``model_id`` in the Hugging Face cache, or ``None`` when it is not cached."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = Path(snapshot_download(model_id, revision=revision, local_files_only=True,
                                      allow_patterns=_CONFIG_AND_TOKENIZER_FILES))
    except (LocalEntryNotFoundError, ValueError, OSError):
        return None
    return path if (path / "config.json").is_file() and _has_weights(path) else None


def hf_cache_dir() -> str:
    """The folder of the Hugging Face cache on this machine."""
    from huggingface_hub import constants

    return constants.HF_HUB_CACHE


def _has_weights(path: Path) -> bool:
    return any(path.glob("*.safetensors")) or (path / "pytorch_model.bin").is_file()


def _from_hub(name: str, model_id: str, task: str, revision: str | None) -> ModelSource:
    path = cached_path(model_id, revision)
    if path is None:
        path = _download(name, model_id, task, revision)
    return ModelSource(name, model_id, path.name, path)


def _download(name: str, model_id: str, task: str, revision: str | None) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    what = _describe(name, model_id)
    setting = _model_setting(task)
    if is_offline():
        raise ModelNotAvailableError(
            f"{what} is not in the Hugging Face cache and HF_HUB_OFFLINE is set",
            _download_once_or(setting), model_id=model_id, name=name, reason="offline")
    try:
        path = Path(snapshot_download(model_id, revision=revision,
                                      allow_patterns=_CONFIG_AND_TOKENIZER_FILES))
        if not _has_weights(path):
            path = Path(snapshot_download(model_id, revision=revision,
                                          allow_patterns=_CONFIG_AND_TOKENIZER_FILES + _LEGACY_WEIGHTS))
    except HFValidationError:
        raise InputError(f"{model_id!r} is not a valid Hugging Face id: org/name, in letters, digits, "
                         "'-', '_' and '.'",
                         Advice(setting, "check the name, or pass {} to a local model folder",
                                metavar="PATH")) from None
    except RevisionNotFoundError:
        raise ModelNotAvailableError(
            f"{what} has no revision {revision!r} on the Hugging Face Hub",
            Advice("revision" if setting == "model" else "summarizer_revision", "check {}",
                   value=revision), model_id=model_id, name=name, reason="revision") from None
    except GatedRepoError:
        raise ModelNotAvailableError(
            f"{what} is gated on the Hugging Face Hub",
            Advice(setting, "accept its terms and log in with `hf auth login`, or pass "
                   "{} to a local copy", metavar="PATH"),
            model_id=model_id, name=name, reason="gated") from None
    except RepositoryNotFoundError:
        known = ", ".join(preset_names(task))
        raise ModelNotAvailableError(
            f"{what} does not exist on the Hugging Face Hub",
            Advice(setting, f"check the name (presets: {known}) or pass {{}} to a local "
                   "model folder", metavar="PATH"),
            model_id=model_id, name=name, reason="missing") from None
    except (LocalEntryNotFoundError, HfHubHTTPError, OSError):
        raise ModelNotAvailableError(
            f"{what} is not in the Hugging Face cache and the Hub cannot be reached",
            _download_once_or(setting), model_id=model_id, name=name,
            reason="unreachable") from None
    return path


def _model_setting(task: str) -> str:
    return "model" if task == "translation" else "summarizer"


def _download_once_or(setting: str) -> Advice:
    return Advice(setting, "run once with network access to download it, or pass {} to "
                  "a local copy", metavar="PATH")


def _describe(name: str, model_id: str) -> str:
    return f"model {model_id!r}" + (f" (preset {name!r})" if name != model_id else "")


@dataclass(frozen=True)
class DownloadedModel:
    """A model put into the Hugging Face cache for later offline use by :func:`download_model`.

    ``path`` is its snapshot folder, ``revision`` the commit, ``size`` the bytes of its files and
    ``already_cached`` whether it was there before (then nothing was downloaded).
    """

    name: str
    model_id: str
    revision: str
    path: Path
    size: int
    already_cached: bool


def download_model(name: str, revision: str | None = None) -> DownloadedModel:
    """Fetch the model ``name`` (a preset of either task, or a Hub id ``org/name``) into the Hugging
    Face cache, so that later runs find it with ``HF_HUB_OFFLINE=1``.

    A model already cached is not downloaded again. Raises :class:`InputError` for a name that is
    neither a preset nor a Hub id, and :class:`ModelNotAvailableError` (with its ``reason``) when
    the Hub cannot give it.
    """
    preset = next((p for p in PRESETS if p.name == name), None)
    task = preset.task if preset else "translation"
    model_id = preset.model_id if preset else name
    if Path(model_id).expanduser().is_dir():
        raise InputError(f"{name!r} is a local folder: it needs no download")
    if model_id.count("/") != 1 or model_id.startswith((".", "/", "~")):
        names = [p.name for p in PRESETS]
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(f"{name!r} is neither a preset (presets: {', '.join(names)}{hint}) nor "
                         "a Hugging Face id (org/name)")
    path = cached_path(model_id, revision)
    already_cached = path is not None
    if path is None:
        try:
            path = _download(name, model_id, task, revision)
        except InputError as err:
            raise InputError(err.problem) from None
        except ModelNotAvailableError as err:
            raise ModelNotAvailableError(
                f"cannot download {_describe(name, model_id)}: "
                f"{_DOWNLOAD_PROBLEMS[err.reason].format(revision=revision)}",
                model_id=model_id, name=name, reason=err.reason) from None
    size = sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
    return DownloadedModel(name, model_id, path.name, path, size, already_cached)


_DOWNLOAD_PROBLEMS = {
    "offline": "HF_HUB_OFFLINE is set; unset it to download",
    "unreachable": "the Hugging Face Hub cannot be reached; check the network (or HF_ENDPOINT)",
    "missing": "no such model on the Hugging Face Hub; check the name",
    "gated": "it is gated on the Hugging Face Hub; accept its terms and log in with `hf auth login`",
    "revision": "it has no revision {revision!r} on the Hugging Face Hub; check the revision",
}
