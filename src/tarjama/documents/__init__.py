"""Documents in, documents out: web pages, Word files, subtitles and Markdown.

A format reads a file into :class:`~tarjama.documents.blocks.Block` s of text with the inline
markup to put back (:mod:`tarjama.documents.registry` lists the formats); the translator sees
only sentences, and :mod:`tarjama.documents.placement` puts the markup back on the English words.
"""
from tarjama.documents.blocks import Block, Mark
from tarjama.documents.document import Document, TranslatedDocument
from tarjama.documents.registry import DOCUMENT_SUFFIXES, FORMATS, DocumentFormat, format_of

__all__ = ["DOCUMENT_SUFFIXES", "FORMATS", "Block", "Document", "DocumentFormat", "Mark",
           "TranslatedDocument", "format_of"]
