"""Helpers for tarjama's own tests and for anyone testing code built on tarjama.

``make_models`` builds tiny random models that load like the real ones, offline, in seconds.
Importing this package does not import torch.
"""
from __future__ import annotations

from tarjama.testing.hub_cache import install_in_hub_cache, install_presets
from tarjama.testing.tiny import TinyModels, make_models

__all__ = ["TinyModels", "install_in_hub_cache", "install_presets", "make_models"]
