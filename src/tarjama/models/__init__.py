"""Model presets and loading: the one place that turns a model name into files on disk."""
from tarjama.models.generation import GenerationOptions
from tarjama.models.loading import (
    DownloadedModel,
    ModelSource,
    cached_path,
    check_model_name,
    download_model,
    hf_cache_dir,
    is_offline,
    resolve_model,
)
from tarjama.models.presets import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATION_MODEL,
    PRESETS,
    SUMMARIZATION,
    TRANSLATION,
    Preset,
    find_preset,
)
from tarjama.models.recognition import recognize_preset

__all__ = [
    "DEFAULT_SUMMARIZER",
    "DEFAULT_TRANSLATION_MODEL",
    "PRESETS",
    "GenerationOptions",
    "DownloadedModel",
    "SUMMARIZATION",
    "TRANSLATION",
    "ModelSource",
    "Preset",
    "cached_path",
    "check_model_name",
    "download_model",
    "find_preset",
    "hf_cache_dir",
    "is_offline",
    "recognize_preset",
    "resolve_model",
]
