"""Backends that run seq2seq models; each hides one inference library behind one interface."""
from __future__ import annotations

from tarjama.backends.base import GenerationOptions, Seq2SeqBackend
from tarjama.errors import InputError
from tarjama.models import ModelSource

BACKENDS = ("torch",)


def load_backend(source: ModelSource, backend: str = "auto", device: str = "auto",
                 compute_type: str = "auto") -> Seq2SeqBackend:
    """Load ``source`` with the named backend (``auto`` picks the fastest available)."""
    if backend in ("auto", "torch"):
        from tarjama.backends.torch_backend import TorchBackend

        return TorchBackend(source, device=device, compute_type=compute_type)
    raise InputError(f"unknown backend {backend!r}; choose one of: auto, {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "GenerationOptions", "Seq2SeqBackend", "load_backend"]
