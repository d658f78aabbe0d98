"""The Ray Data worker: an actor that loads the model once and translates batches of records."""
from __future__ import annotations

from typing import TYPE_CHECKING

from tarjama.errors import InputError
from tarjama.scale.settings import TranslationSettings

if TYPE_CHECKING:
    import pyarrow as pa

#: The columns a worker adds: the English document, and the integrity flags of its sentences.
TRANSLATION_COLUMN = "translation"
FLAGS_COLUMN = "flags"


class TranslationWorker:
    """Callable class for ``Dataset.map_batches``: translates ``text_column`` of each Arrow batch.

    Each record is one document, split into paragraphs and sentences exactly as
    :meth:`~tarjama.translation.Translator.translate_documents` does on one machine, with the
    integrity guard. ``signature_column``, when given, also gets the translator's signature.
    """

    def __init__(self, settings: TranslationSettings, text_column: str,
                 signature_column: str | None = None):
        self.translator = settings.build()
        self.text_column = text_column
        self.signature_column = signature_column

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        if self.text_column not in batch.column_names:
            raise InputError(f"the dataset has no {self.text_column!r} column; its columns are: "
                             f"{', '.join(batch.column_names)}")
        texts = batch.column(self.text_column).to_pylist()
        for text in texts:
            if not isinstance(text, str):
                raise InputError(f"a record's {self.text_column!r} is {text!r}, not a string")
        translations = self.translator.translate_documents(texts)
        columns = {
            TRANSLATION_COLUMN: pa.array([t.text for t in translations], pa.string()),
            FLAGS_COLUMN: pa.array([list(dict.fromkeys(f for s in t.sentences for f in s.flags))
                                    for t in translations], pa.list_(pa.string())),
        }
        if self.signature_column:
            columns[self.signature_column] = pa.array([self.translator.signature] * len(texts),
                                                      pa.string())
        for name, values in columns.items():
            if name in batch.column_names:
                batch = batch.drop_columns([name])
            batch = batch.append_column(name, values)
        return batch
