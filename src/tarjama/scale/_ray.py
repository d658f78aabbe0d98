"""Importing Ray, with one line saying how to install it when it is missing."""
from __future__ import annotations

from types import ModuleType

from tarjama.errors import BackendUnavailableError


def require_ray() -> ModuleType:
    """The ``ray`` module, with Ray Data loaded; raises :class:`BackendUnavailableError` without it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise BackendUnavailableError(
            f"translating on Ray needs Ray Data ({err}); pip install \"tarjama[ray]\"") from None
    return ray
