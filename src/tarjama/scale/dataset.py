"""``translate_dataset``: translation columns added to a Ray Dataset, lazily."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tarjama.backends.settings import ModelSettings
from tarjama.errors import InputError
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.scale._ray import require_ray
from tarjama.scale.worker import TranslationWorker
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    import ray.data

#: Records per batch handed to a worker: enough sentences for the translator to sort by length
#: and fill its own batches, few enough that a retried batch costs little.
DEFAULT_RECORDS_PER_BATCH = 256


def translate_dataset(ds: ray.data.Dataset,
                      model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL, *,
                      text_column: str = "text", workers: int = 1, gpus_per_worker: float = 0,
                      cpus_per_worker: float = 1, batch_size: int = DEFAULT_RECORDS_PER_BATCH,
                      signature_column: str | None = None,
                      error_column: str | None = None) -> ray.data.Dataset:
    """``ds`` with ``translation`` (the English text) and ``flags`` (list of the integrity guard's
    flags) columns added; nothing runs until the dataset is consumed.

    Each record's ``text_column`` is an Arabic document. ``model`` is a preset, Hub id or local
    folder, a :class:`~tarjama.ModelSettings`, or :class:`~tarjama.TranslatorSettings` for every
    translator setting (its cache is not used). ``workers`` actors each
    load the model once (on ``gpus_per_worker`` GPUs, float16 with CTranslate2; without GPUs on
    the CPU, int8). A worker that dies is replaced and its batches run again, so no record is
    lost or repeated. ``signature_column`` also records each translation's signature. A record
    whose translation fails is flagged ``translation_failed`` and the rest are translated;
    ``error_column`` also records why.
    """
    ray = require_ray()
    if workers < 1:
        raise InputError(f"workers must be at least 1, not {workers}")
    if gpus_per_worker < 0 or cpus_per_worker <= 0:
        raise InputError("gpus_per_worker must be 0 or more and cpus_per_worker more than 0")
    settings = TranslatorSettings.of(model)
    if not gpus_per_worker and settings.model.device == "auto":
        # An actor without GPUs may still see the node's GPUs; it must not use them.
        settings = replace(settings, model=replace(settings.model, device="cpu"))
    return ds.map_batches(
        TranslationWorker,
        fn_constructor_kwargs={"settings": settings, "text_column": text_column,
                               "signature_column": signature_column,
                               "error_column": error_column,
                               "cpus": None if gpus_per_worker else cpus_per_worker},
        batch_size=batch_size, batch_format="pyarrow", zero_copy_batch=True,
        # Ray Data restarts a dead actor and retries its batches (max_restarts and
        # max_task_retries default to -1 for actor pools).
        compute=ray.data.ActorPoolStrategy(size=workers), num_gpus=gpus_per_worker or None,
        num_cpus=cpus_per_worker)
