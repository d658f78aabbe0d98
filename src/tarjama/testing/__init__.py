"""Helpers for tarjama's own tests and for anyone testing code built on tarjama.

``make_models`` builds tiny random models that load like the real ones, offline, in seconds;
``make_standins`` builds, for every preset, a tiny model laid out like its real checkpoint.
Importing this package does not import torch.
"""
from __future__ import annotations

from tarjama.testing.hub_cache import install_in_hub_cache, install_presets, share_conversions
from tarjama.testing.standins import FIELD_SOURCES, STANDINS, StandIn, make_standins
from tarjama.testing.tiny import TinyModels, make_models

__all__ = ["FIELD_SOURCES", "STANDINS", "StandIn", "TinyModels", "install_in_hub_cache",
           "install_presets", "make_models", "make_standins", "share_conversions"]
