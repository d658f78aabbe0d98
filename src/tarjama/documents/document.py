"""Documents for the Python API: open a file, translate it, save it in the same format."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tarjama.documents.limits import read_document_bytes
from tarjama.documents.registry import DocumentFormat, ParsedDocument, format_named, format_of
from tarjama.documents.translating import translate_blocks
from tarjama.errors import InputError, MissingExtraError
from tarjama.textio import write_bytes_atomic
from tarjama.translation import ProgressCallback, TranslatedSentence, Translation, Translator


@dataclass
class Document:
    """A document file read into blocks of text (paragraphs, cells, cues, attributes).

    ``Document.open("page.html")`` picks the format from the suffix (``format`` overrides it);
    ``translate`` gives a :class:`TranslatedDocument` in the same format.
    """

    name: str
    format: DocumentFormat
    parsed: ParsedDocument

    @classmethod
    def open(cls, path: str | os.PathLike[str], format: str | None = None,
             encoding: str | None = None) -> Document:
        """Read ``path``; :class:`~tarjama.errors.InputError` for a file that is not a readable
        document of its format."""
        chosen = format_of(path, format)
        if chosen is None:
            raise InputError(f"{path}: not a document format tarjama knows from its suffix; "
                             "name the format")
        return cls.from_bytes(read_document_bytes(path), chosen.name, str(path), encoding)

    @classmethod
    def from_bytes(cls, data: bytes, format: str, name: str = "document",
                   encoding: str | None = None) -> Document:
        """Read a document held in memory, in the named format."""
        chosen = format_named(format)
        if not data.strip():
            raise InputError(f"{name}: is empty; give a file with the text to work on"
                             if not data else f"{name}: has only whitespace, no text; give a "
                             "file with the text to work on")
        try:
            parsed = chosen.reader()(data, name, encoding)
        except ModuleNotFoundError as err:
            raise MissingExtraError(f"reading {chosen.description}s", err.name or str(err),
                                    "documents") from None
        return cls(name, chosen, parsed)

    @property
    def text(self) -> str:
        """The document's text, one paragraph a line (what the summarizer reads)."""
        return self.parsed.text()

    def counts(self) -> dict[str, int]:
        """Counts of the document's structure: elements and links, runs, cues..."""
        return self.parsed.counts()

    def translate(self, translator: Translator,
                  progress: ProgressCallback | None = None) -> TranslatedDocument:
        """The document in English: each sentence translated whole, its markup put back on the
        English words, everything without Arabic left exactly as it was."""
        result = translate_blocks(self.parsed.blocks, translator, progress)
        data = self.parsed.write(result.blocks)
        return TranslatedDocument(self.name, self.format, data, result.sentences,
                                  translator.signature)


@dataclass(frozen=True)
class TranslatedDocument:
    """A translated document: the file's bytes in the source's format, and its sentences."""

    name: str
    format: DocumentFormat
    data: bytes
    sentences: tuple[TranslatedSentence, ...]
    signature: str = ""

    @property
    def translation(self) -> Translation:
        """The sentences as a :class:`~tarjama.Translation` (one paragraph per block)."""
        paragraphs = 1 + max((s.paragraph for s in self.sentences), default=-1)
        return Translation(self.sentences, paragraphs, self.signature)

    def reopen(self) -> Document:
        """The translated file read again (to count its structure, or look at it)."""
        return Document.from_bytes(self.data, self.format.name, self.name)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the file, atomically (never half a file); its path."""
        write_bytes_atomic(path, self.data)
        return Path(path)

