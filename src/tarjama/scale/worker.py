"""The Ray Data worker: an actor that loads the model once and translates batches of records."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tarjama import env
from tarjama.errors import InputError, TarjamaError
from tarjama.translation.result import CORPUS_COLUMNS, FLAGS_COLUMN, TRANSLATION_COLUMN
from tarjama.translation.settings import TranslatorSettings
from tarjama.translation.translator import Translator

if TYPE_CHECKING:
    import pyarrow as pa

#: From this many CPUs on, a worker runs two batches at once: on the 2-core machines measured for
#: :mod:`tarjama.backends.ctranslate2.threads`, 2 workers x 1 thread were as fast as 1 x 2 or
#: faster. A worker does not measure its own split: that would time the node's cores, which Ray
#: shares.
TWO_BATCHES_FROM_CPUS = 2
#: The flag of a record whose translation failed; its translation is empty and the reason goes to
#: the run's rejects file.
FAILED = "translation_failed"
# What a model may raise on one input it cannot take; anything else (a lost GPU, memory) stops the
# worker, and Ray retries its batches elsewhere.
_RECORD_FAILURES = (RuntimeError, ValueError, IndexError, TarjamaError)


def worker_threads(cpus: float, batches: int | None = None) -> tuple[int, int]:
    """CTranslate2's ``(inter_threads, intra_threads)`` for a worker that Ray gave ``cpus`` CPUs,
    running ``batches`` batches at once (by default two from 2 CPUs on, else one)."""
    whole = max(1, int(cpus))
    inter = batches or (2 if whole >= TWO_BATCHES_FROM_CPUS else 1)
    return inter, max(1, whole // inter)


def sized_for_worker(settings: TranslatorSettings, cpus: float) -> TranslatorSettings:
    """``settings`` with CTranslate2's threads sized to the ``cpus`` CPUs Ray gave a worker: left
    to itself the backend would take every core of the node, which Ray shares among workers.

    A count the settings give is kept, else one from ``TARJAMA_CT2_INTER_THREADS`` /
    ``TARJAMA_CT2_INTRA_THREADS``; intra threads fit the inter threads so chosen.
    """
    model = settings.model
    if model.inter_threads is None and model.intra_threads is None:
        inter, intra = env.ct2_threads()
    else:
        inter, intra = model.inter_threads, model.intra_threads
    sized_inter, sized_intra = worker_threads(cpus, inter)
    return replace(settings, model=replace(model, inter_threads=sized_inter,
                                           intra_threads=intra or sized_intra))


class TranslationWorker:
    """Callable class for ``Dataset.map_batches``: translates ``text_column`` of each Arrow batch.

    Each record is one document, split into paragraphs and sentences exactly as
    :meth:`~tarjama.translation.Translator.translate_documents` does on one machine, with the
    integrity guard. ``settings`` are the translator's, the same object the caller built; the
    worker never uses the translation cache (on a cluster a shared SQLite file would serialise the
    workers, and the shards of a corpus run are what a rerun resumes from).
    ``signature_column``, when given, also gets the translator's signature. ``cpus``, for a worker
    on CPU, is the number of CPUs Ray gave it: CTranslate2's threads are sized to them (see
    :func:`sized_for_worker`). A record whose translation fails is flagged :data:`FAILED`;
    ``error_column``, when given, gets each record's error (null for the others).
    """

    def __init__(self, settings: TranslatorSettings, text_column: str,
                 signature_column: str | None = None, cpus: float | None = None,
                 error_column: str | None = None):
        if cpus is not None:
            settings = sized_for_worker(settings, cpus)
        self.settings = replace(settings, cache=False)
        self.translator = Translator(self.settings)
        self.text_column = text_column
        self.signature_column = signature_column
        self.error_column = error_column

    def _translate(self, texts: list[str]) -> tuple[list[dict], list[str | None]]:
        """The corpus fields of each text, and for each the error that stopped it (or None).

        One record that fails (a model error on some odd input) never sinks its batch: the
        batch is translated again record by record, and only what fails alone is flagged
        :data:`FAILED` with an empty translation, its error kept for the rejects file.
        """
        try:
            translations = self.translator.translate_documents(texts)
            return [t.corpus_fields() for t in translations], [None] * len(texts)
        except _RECORD_FAILURES:
            pass
        fields: list[dict] = []
        errors: list[str | None] = []
        for text in texts:
            try:
                [translation] = self.translator.translate_documents([text])
                fields.append(translation.corpus_fields())
                errors.append(None)
            except _RECORD_FAILURES as err:
                reason = str(err).strip().splitlines()[0] if str(err).strip() else ""
                fields.append({TRANSLATION_COLUMN: "", FLAGS_COLUMN: [FAILED]})
                errors.append(f"{type(err).__name__}: {reason}" if reason else type(err).__name__)
        return fields, errors

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        if self.text_column not in batch.column_names:
            raise InputError(f"the dataset has no {self.text_column!r} column; its columns are: "
                             f"{', '.join(batch.column_names)}")
        texts = batch.column(self.text_column).to_pylist()
        for text in texts:
            if not isinstance(text, str):
                raise InputError(f"a record's {self.text_column!r} is {text!r}, not a string")
        fields, errors = self._translate(texts)
        types = {TRANSLATION_COLUMN: pa.string(), FLAGS_COLUMN: pa.list_(pa.string())}
        columns = {name: pa.array([record[name] for record in fields], types[name])
                   for name in CORPUS_COLUMNS}
        if self.error_column:
            columns[self.error_column] = pa.array(errors, pa.string())
        if self.signature_column:
            columns[self.signature_column] = pa.array([self.translator.signature] * len(texts),
                                                      pa.string())
        for name, values in columns.items():
            if name in batch.column_names:
                batch = batch.drop_columns([name])
            batch = batch.append_column(name, values)
        return batch
