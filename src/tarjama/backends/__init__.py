"""Backends that run seq2seq models; each hides one inference library behind one interface.

``ctranslate2`` runs a converted copy of a MarianMT model (int8 on CPU, float16 on CUDA) and loads
neither torch nor transformers; ``torch`` runs any seq2seq model with transformers. ``auto`` takes
CTranslate2 when it can run the model and falls back to torch, saying why in one line.
"""
from __future__ import annotations

import logging

from tarjama.backends.base import (
    COMPUTE_TYPES,
    DEVICES,
    GenerationOptions,
    Seq2SeqBackend,
    check_compute_type,
    check_device,
)
from tarjama.errors import BackendUnavailableError, InputError
from tarjama.models import ModelSource

BACKENDS = ("ctranslate2", "torch")
AUTO = "auto"
#: What a backend option may say: ``auto`` or one of :data:`BACKENDS`.
BACKEND_CHOICES = (AUTO, *BACKENDS)

logger = logging.getLogger("tarjama")


def load_backend(source: ModelSource, backend: str = AUTO, device: str = "auto",
                 compute_type: str = "auto") -> Seq2SeqBackend:
    """Load ``source`` with the named backend; ``auto`` picks the fastest that can run it here."""
    check_device(device)
    check_compute_type(compute_type)
    if backend == AUTO:
        try:
            return _load("ctranslate2", source, device, compute_type)
        except BackendUnavailableError as err:
            logger.warning("using the torch backend, because %s", err.problem)
            return _load("torch", source, device, compute_type)
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKEND_CHOICES)}")
    return _load(backend, source, device, compute_type)


def _load(backend: str, source: ModelSource, device: str, compute_type: str) -> Seq2SeqBackend:
    if backend == "ctranslate2":
        from tarjama.backends.ctranslate2_backend import CTranslate2Backend

        return CTranslate2Backend(source, device=device, compute_type=compute_type)
    from tarjama.backends.torch_backend import TorchBackend

    return TorchBackend(source, device=device, compute_type=compute_type)


__all__ = ["AUTO", "BACKENDS", "BACKEND_CHOICES", "COMPUTE_TYPES", "DEVICES", "GenerationOptions",
           "Seq2SeqBackend", "load_backend"]
