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
    DetailedOutput,
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


def check_backend(backend: str) -> None:
    """Raise :class:`InputError` unless ``backend`` is one of :data:`BACKEND_CHOICES`."""
    if backend not in BACKEND_CHOICES:
        raise InputError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKEND_CHOICES)}")


def check_shortlist(backend: str, shortlist: bool) -> None:
    """Raise :class:`InputError` for a shortlist asked of a backend that has none (torch)."""
    if shortlist and backend not in (AUTO, "ctranslate2"):
        raise InputError(f"a vocabulary shortlist needs the ctranslate2 backend, not {backend!r}")


def load_backend(source: ModelSource, backend: str = AUTO, device: str = "auto",
                 compute_type: str = "auto", shortlist: bool = False,
                 threads: tuple[int | None, int | None] = (None, None)) -> Seq2SeqBackend:
    """Load ``source`` with the named backend; ``auto`` picks the fastest that can run it here.

    ``shortlist`` runs the model with its vocabulary shortlist
    (:mod:`tarjama.backends.ctranslate2.vmap`), which only the ctranslate2 backend has: no fallback
    to torch then. ``threads`` is CTranslate2's ``(inter_threads, intra_threads)`` asked for,
    ``None`` for a count left to tarjama (see :mod:`tarjama.backends.ctranslate2.threads`); torch
    ignores it.

    Raises :class:`~tarjama.errors.InputError` for an unknown backend, device or compute type, and
    :class:`~tarjama.errors.BackendUnavailableError` when the named backend cannot run the model
    here (``auto`` then falls back to torch, saying why in one warning).
    """
    check_backend(backend)
    check_device(device)
    check_compute_type(compute_type)
    check_shortlist(backend, shortlist)
    if shortlist:
        from tarjama.backends.ctranslate2.backend import CTranslate2Backend

        return CTranslate2Backend(source, device=device, compute_type=compute_type, shortlist=True,
                                  threads=threads)
    if backend == AUTO:
        try:
            return _load("ctranslate2", source, device, compute_type, threads)
        except BackendUnavailableError as err:
            logger.warning("using the torch backend, because %s", err.problem)
            return _load("torch", source, device, compute_type, threads)
    return _load(backend, source, device, compute_type, threads)


def _load(backend: str, source: ModelSource, device: str, compute_type: str,
          threads: tuple[int | None, int | None]) -> Seq2SeqBackend:
    if backend == "ctranslate2":
        from tarjama.backends.ctranslate2.backend import CTranslate2Backend

        return CTranslate2Backend(source, device=device, compute_type=compute_type, threads=threads)
    from tarjama.backends.torch_backend import TorchBackend

    return TorchBackend(source, device=device, compute_type=compute_type)


__all__ = ["AUTO", "BACKENDS", "BACKEND_CHOICES", "COMPUTE_TYPES", "DEVICES", "DetailedOutput",
           "GenerationOptions", "Seq2SeqBackend", "check_backend", "check_compute_type", "check_device",
           "check_shortlist", "load_backend"]
