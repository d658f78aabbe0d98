"""Translation past one machine, on Ray Data.

:func:`translate_dataset` adds translation columns to a ``ray.data.Dataset`` lazily, for Ray users'
own pipelines; :func:`translate_corpus` translates a corpus of ``{"id", "text"}`` records into
shards that a rerun resumes. Both take the translator's settings
(:class:`~tarjama.TranslatorSettings`, or a model's name or :class:`~tarjama.ModelSettings`), the
same object a translator on one machine is made with; each worker gets it whole. Workers are Ray
actors that each load the model once and run :class:`~tarjama.translation.Translator`, so sentences
are split and checked as on one machine.

Importing this package does not import Ray; using it needs ``pip install "tarjama[ray]"``.
"""
from __future__ import annotations

from tarjama.scale.corpus import CorpusRun, translate_corpus
from tarjama.scale.dataset import translate_dataset
from tarjama.scale.worker import TranslationWorker

__all__ = ["CorpusRun", "TranslationWorker", "translate_corpus", "translate_dataset"]
