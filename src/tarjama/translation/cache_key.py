"""The key of a translator's rows in the translation cache, derived from its settings by one function.

A row is reused only when everything that decides its translation is the same. The key is made of
the settings as the loaded model resolved them (``auto`` choices made, the Hub revision pinned to
its commit), so two spellings of one setup share rows and two setups never do:

- in the key, because they change the output: the model's files (Hub id and commit, or a local
  folder's fingerprint), the backend, the kind of device (``cpu``/``cuda``: their kernels round
  differently), the compute type, every generation option with the beam size resolved, the model's
  input limit (which cuts long sentences into pieces), the guard mode, the vocabulary shortlist
  (its hash), the glossary (its content's digest), :data:`ENGINE_VERSION`, and the segmenter's
  version (a retry cuts a long sentence at
  its clauses with the segmenter, so its rules decide a retried row);
- not in the key, because they never change a row: the thread split, batch sizes (a batch is
  committed whole and planned the same on a rerun, see
  :meth:`~tarjama.translation.Translator.translate_sentences_flagged`), the cache's path and
  timeout, and the GPU's number.

The format is the one used since the cache was made, so caches written before the settings
objects are reused as they are: those were all made with segmenter
:data:`SEGMENTER_OF_UNMARKED_KEYS`, so its version is written into a key only when it differs.
"""
from __future__ import annotations

from dataclasses import replace

from tarjama.backends import Seq2SeqBackend
from tarjama.cache_paths import model_fingerprint
from tarjama.segment import SEGMENTER_VERSION
from tarjama.translation.settings import TranslatorSettings

#: Bump when a change in the translator (its budgets, retries, splitting of long sentences, or
#: the guard's checks) changes translations, so that cached ones are not reused.
ENGINE_VERSION = 3
#: The segmenter version of every key that names none (all keys made before it was in the key).
SEGMENTER_OF_UNMARKED_KEYS = "1.2"


def cache_key(settings: TranslatorSettings, backend: Seq2SeqBackend) -> str:
    """The cache key of a translator made with ``settings`` that loaded ``backend``.

    :class:`~tarjama.translation.cache.TranslationCache` stores rows under a hash of it.
    """
    beams = settings.generation.num_beams or backend.default_num_beams
    options = sorted(replace(settings.generation, num_beams=beams).overrides().items())
    shortlist = getattr(backend, "shortlist", None)
    return (f"{model_fingerprint(backend.source)}|{backend.name}"
            f"|{backend.device.partition(':')[0]}|{backend.compute_type}|{options}"
            f"|limit:{backend.max_source_tokens}|guard:{settings.guard}|engine:{ENGINE_VERSION}"
            + (f"|shortlist:{shortlist}" if shortlist else "")
            + (f"|segmenter:{SEGMENTER_VERSION}" if SEGMENTER_VERSION != SEGMENTER_OF_UNMARKED_KEYS
               else "")
            + (f"|glossary:{settings.glossary.digest}" if settings.glossary is not None else ""))
