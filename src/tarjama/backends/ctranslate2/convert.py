"""Converting a Hugging Face model to CTranslate2's format, once, into tarjama's cache.

The conversion loads the model with torch and transformers. It runs in a child process
(``python -m tarjama.backends.ctranslate2.convert``) so that the process that translates never holds torch
or the float32 model in memory. It writes into a scratch folder and renames it into place, so a
conversion that is killed half-way never leaves a folder that looks finished. Beside the model it
saves the model's tokenizer as transformers runs it (``tokenizer.json``, where the tokenizer is one
of the ``tokenizers`` library), so the backend tokenizes exactly like transformers without torch.
The last file written there is a manifest of checksums (:mod:`tarjama.backends.ctranslate2.manifest`): a
copy damaged later, or converted by a tarjama that wrote none, is converted again, with a warning
naming the file.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tarjama.backends.base import USE_TORCH
from tarjama.backends.ctranslate2.manifest import manifest_problem, write_manifest
from tarjama.backends.first_use import first_use_step
from tarjama.cache_paths import model_fingerprint, tarjama_cache_dir
from tarjama.errors import BackendUnavailableError
from tarjama.models import ModelSource
from tarjama.models.integrity import diagnose

CT2_SUBDIR = "ct2"
# Installing over a damaged copy races with other processes doing the same; each try either
# installs a copy or finds one another process installed.
INSTALL_ATTEMPTS = 3

logger = logging.getLogger("tarjama")

#: The model's tokenizer, saved by transformers (absent for sentencepiece-only ones, as Marian's).
TOKENIZER_FILE = "tokenizer.json"
#: How transformers decodes with that tokenizer (the text clean-up it applies after decoding).
DECODING_FILE = "tarjama-decoding.json"
# CTranslate2's BART loader reads these from the config, but transformers' BART is always post-norm
# with a layer norm on the embeddings and Pegasus always pre-norm without one, whatever the config
# says; a config saved by transformers 5 does not have them at all.
_ARCHITECTURE_FLAGS = {
    "bart": {"normalize_before": False, "normalize_embedding": True},
    "pegasus": {"normalize_before": True, "normalize_embedding": False},
}


def converted_dir(source: ModelSource, quantization: str, cache: Path | None = None) -> Path:
    """Where the CTranslate2 copy of ``source`` quantized to ``quantization`` lives in the cache
    (tarjama's own cache, unless ``cache`` names another)."""
    root = tarjama_cache_dir() if cache is None else Path(cache)
    return root / CT2_SUBDIR / f"{model_fingerprint(source)}-{quantization}"


def ensure_converted(source: ModelSource, quantization: str) -> Path:
    """The converted copy of ``source``, converting it first (in a child process) if needed.

    A copy whose files no longer match the checksums recorded at conversion is converted again,
    with a warning on the ``tarjama`` logger that names the damaged file; when that conversion
    fails, the error names it too.
    """
    target = converted_dir(source, quantization)
    damage = manifest_problem(target) if target.exists() else None
    if target.exists() and damage is None:
        return target
    # Workers of a node start together; the lock makes one convert while the others wait for it.
    with _conversion_lock(target):
        if target.exists() and manifest_problem(target) is None:
            return target  # converted, or repaired, while this one waited
        _convert_in_child(source, target, quantization, damage)
    if damage:
        logger.warning("%s; converted %s for CTranslate2 again", damage, source.label)
    return target


@contextmanager
def _conversion_lock(target: Path) -> Iterator[None]:
    """An exclusive lock on a file beside ``target``, held while it is converted."""
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(f".{target.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _convert_in_child(source: ModelSource, target: Path, quantization: str,
                      damage: str | None) -> None:
    command = [sys.executable, "-m", "tarjama.backends.ctranslate2.convert", str(source.path), str(target),
               quantization]
    with first_use_step(f"converting {source.label} for CTranslate2"):
        result = subprocess.run(command, capture_output=True, text=True)
    problem = manifest_problem(target)
    if result.returncode != 0:
        # A damaged file of the model itself is what the user must fix, not the conversion.
        found = diagnose(source.path)
        if found is not None:
            raise found
    if result.returncode != 0 or problem is not None:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[-1] if lines else problem
        # The model was converted before, so converting it again fails for want of disk.
        fix = f"; free space or make {target.parent} writable" if damage else ""
        raise BackendUnavailableError(
            f"{damage + '; ' if damage else ''}cannot convert {source.label} for CTranslate2 into "
            f"{target} ({reason}){fix}", USE_TORCH)


def convert(model_dir: Path, target: Path, quantization: str) -> None:
    """Convert the Hugging Face model in ``model_dir`` into ``target``, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        _converter(model_dir).convert(str(scratch), quantization=quantization, force=True)
        _save_tokenizer(model_dir, scratch)
        write_manifest(scratch)
        _install(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _install(scratch: Path, target: Path) -> None:
    """Rename ``scratch`` to ``target``, unless another process installed a whole copy first; a
    damaged copy in the way is moved aside and deleted."""
    for _ in range(INSTALL_ATTEMPTS):
        try:
            os.replace(scratch, target)
            return
        except OSError:
            if manifest_problem(target) is None:
                return
            _discard(target)
    os.replace(scratch, target)


def _discard(folder: Path) -> None:
    trash = folder.with_name(f".{folder.name}.{os.getpid()}.damaged")
    try:
        os.replace(folder, trash)
    except FileNotFoundError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def _converter(model_dir: Path):
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            for key, value in _ARCHITECTURE_FLAGS.get(model.config.model_type, {}).items():
                setattr(model.config, key, value)
            return model

    return Converter(str(model_dir), low_cpu_mem_usage=True)


def _save_tokenizer(model_dir: Path, target: Path) -> None:
    import json

    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return
    backend.save(str(target / TOKENIZER_FILE))
    # transformers skips its clean-up for BPE tokenizers unless told to corrupt the output anyway.
    clean_up = bool(tokenizer.clean_up_tokenization_spaces) and (
        type(backend.model).__name__ != "BPE" or bool(getattr(
            tokenizer, "clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output",
            False)))
    (target / DECODING_FILE).write_text(json.dumps({"clean_up_tokenization_spaces": clean_up}),
                                        encoding="utf-8")


def _main(argv: list[str]) -> int:
    import warnings

    if len(argv) != 3:
        print("usage: python -m tarjama.backends.ctranslate2.convert MODEL_DIR TARGET QUANTIZATION",
              file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")
    convert(Path(argv[0]), Path(argv[1]), argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
