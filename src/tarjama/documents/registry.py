"""The document formats tarjama reads and writes, registered in one place.

Each format is a module with ``read(data, name, encoding) -> ParsedDocument``; it is imported only
when a file of its kind is opened, so lxml and python-docx load only when needed.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tarjama.documents.blocks import Block
from tarjama.errors import InputError


class ParsedDocument(Protocol):
    """A file read into blocks of text, ready to be written back with their translations."""

    blocks: list[Block]

    def write(self, translated: Sequence[Block | None]) -> bytes:
        """The document with each translated block in place of its source (``None``: keep the
        source block as it is); the file's bytes."""
        ...

    def counts(self) -> dict[str, int]:
        """Counts of the document's structure (elements, links, runs, cues...), the same after
        translation."""
        ...

    def text(self) -> str:
        """The document's text, one paragraph a line."""
        ...


class Reader(Protocol):
    def __call__(self, data: bytes, name: str, encoding: str | None = None) -> ParsedDocument: ...


@dataclass(frozen=True)
class DocumentFormat:
    """A format: its name (as a document format option takes it), file suffixes, and the
    module and function that read it."""

    name: str
    suffixes: tuple[str, ...]
    module: str
    function: str = "read"
    description: str = ""

    def reader(self) -> Reader:
        """The format's read function (importing its module)."""
        reader: Reader = getattr(importlib.import_module(self.module), self.function)
        return reader


FORMATS: dict[str, DocumentFormat] = {f.name: f for f in (
    DocumentFormat("html", (".html", ".htm", ".xhtml"), "tarjama.documents.html",
                   description="web page"),
    DocumentFormat("docx", (".docx",), "tarjama.documents.docx", description="Word document"),
    DocumentFormat("srt", (".srt",), "tarjama.documents.subtitles", "read_srt",
                   description="SubRip subtitles"),
    DocumentFormat("vtt", (".vtt",), "tarjama.documents.subtitles", "read_vtt",
                   description="WebVTT subtitles"),
    DocumentFormat("md", (".md", ".markdown"), "tarjama.documents.markdown",
                   description="Markdown"),
)}
DOCUMENT_SUFFIXES = tuple(suffix for f in FORMATS.values() for suffix in f.suffixes)


def format_named(name: str) -> DocumentFormat:
    """The format called ``name``; :class:`InputError` listing the formats otherwise."""
    try:
        return FORMATS[name.lower().lstrip(".")]
    except KeyError:
        raise InputError(f"unknown document format {name!r}; choose one of: "
                         f"{', '.join(FORMATS)}") from None


def format_of(path: str | os.PathLike[str], override: str | None = None) -> DocumentFormat | None:
    """The format of ``path`` from its suffix (or ``override``); ``None`` for a file that is not
    a document (plain text, JSONL, Parquet)."""
    if override:
        return format_named(override)
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), None)
