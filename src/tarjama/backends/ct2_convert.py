"""Converting a Hugging Face model to CTranslate2's format, once, into tarjama's cache.

The conversion loads the model with torch and transformers. It runs in a child process
(``python -m tarjama.backends.ct2_convert``) so that the process that translates never holds torch
or the float32 model in memory. It writes into a scratch folder and renames it into place, so a
conversion that is killed half-way never leaves a folder that looks finished.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path

from tarjama.backends.base import USE_TORCH
from tarjama.backends.locations import model_fingerprint, tarjama_cache_dir
from tarjama.errors import BackendUnavailableError
from tarjama.models import ModelSource

CT2_SUBDIR = "ct2"
# CTranslate2 writes model.bin last; its presence marks a complete conversion.
FINISHED_MARKER = "model.bin"


ConversionListener = Callable[[str], AbstractContextManager[object]]
"""Called with a model's label when its conversion starts; the conversion runs inside the context
manager it returns (a front end shows a spinner there: the library itself prints nothing)."""

_listener: ContextVar[ConversionListener | None] = ContextVar("conversion_listener", default=None)


@contextmanager
def conversion_listener(listener: ConversionListener) -> Iterator[None]:
    """While inside, every conversion for CTranslate2 runs inside ``listener(label)``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def converted_dir(source: ModelSource, quantization: str) -> Path:
    """Where the CTranslate2 copy of ``source`` quantized to ``quantization`` lives in the cache."""
    return tarjama_cache_dir() / CT2_SUBDIR / f"{model_fingerprint(source)}-{quantization}"


def ensure_converted(source: ModelSource, quantization: str) -> Path:
    """The converted copy of ``source``, converting it first (in a child process) if needed."""
    target = converted_dir(source, quantization)
    if (target / FINISHED_MARKER).is_file():
        return target
    # Workers of a node start together; the lock makes one convert while the others wait for it.
    with _conversion_lock(target):
        if (target / FINISHED_MARKER).is_file():
            return target
        _convert_in_child(source, target, quantization)
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


def _convert_in_child(source: ModelSource, target: Path, quantization: str) -> None:
    command = [sys.executable, "-m", "tarjama.backends.ct2_convert", str(source.path), str(target),
               quantization]
    listener = _listener.get()
    with listener(source.label) if listener else contextlib.nullcontext():
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not (target / FINISHED_MARKER).is_file():
            lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit code {result.returncode}"
            raise BackendUnavailableError(
                f"cannot convert {source.label} for CTranslate2 ({reason})", USE_TORCH)


def convert(model_dir: Path, target: Path, quantization: str) -> None:
    """Convert the Hugging Face model in ``model_dir`` into ``target``, atomically."""
    from ctranslate2.converters import TransformersConverter

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        TransformersConverter(str(model_dir), low_cpu_mem_usage=True).convert(
            str(scratch), quantization=quantization, force=True)
        try:
            os.replace(scratch, target)
        except OSError:
            # Another process finished the same conversion first; its copy is as good as ours.
            if not (target / FINISHED_MARKER).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _main(argv: list[str]) -> int:
    import warnings

    if len(argv) != 3:
        print("usage: python -m tarjama.backends.ct2_convert MODEL_DIR TARGET QUANTIZATION",
              file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")
    convert(Path(argv[0]), Path(argv[1]), argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
