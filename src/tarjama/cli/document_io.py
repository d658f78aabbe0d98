"""Documents on the command line: the format option, and reading an article out of any input."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tarjama.cli._common import choices, err_console
from tarjama.documents.registry import FORMATS, format_of
from tarjama.errors import InputError
from tarjama.textio import STDIN, read_text

DocFormatOpt = Annotated[str | None, typer.Option(
    "--doc-format", metavar=choices(list(FORMATS)),
    help="Read every input as this document format, whatever its suffix (default: from the "
         "suffix: .html/.htm, .docx, .srt, .vtt, .md; others are plain text or JSONL).",
    show_default=False)]
ArticleOnlyOpt = Annotated[bool, typer.Option(
    "--article-only", help="For a web page: translate only its article (title and body, "
                           "without menus, links, comments and footer), written as text or "
                           "--format jsonl.")]


def document_format(source: str, override: str | None) -> str | None:
    """The document format of ``source`` (``None``: plain text, JSONL or standard input)."""
    if source == STDIN and not override:
        return None
    chosen = format_of(source, override)
    return chosen.name if chosen else None


def read_article(source: str, encoding: str | None, override: str | None = None) -> str:
    """The text an article command reads from ``source``: a web page's article (trafilatura),
    another document's text, or a text file. Says how much of a page the article is."""
    name = document_format(source, override)
    if name is None:
        return read_text(source, encoding)
    from tarjama.documents import Document
    from tarjama.documents.limits import read_document_bytes
    from tarjama.segment import split_paragraphs

    if name != "html":
        text = Document.open(source, name, encoding).text
        if not text.strip():
            raise InputError(f"{source}: has no text to summarize; give a document with the "
                             "article's text")
        return text
    from tarjama.documents.news import article_text

    data = read_document_bytes(source)
    article = article_text(data, source, encoding)
    page = Document.from_bytes(data, "html", source, encoding).text

    def sentences(text: str) -> int:
        return sum(len(p.sentences) for p in split_paragraphs(text))

    if not article.strip():
        raise InputError(f"{source}: has no text to summarize; give a page with the article's "
                         "text")
    err_console.print(f"{Path(source).name}: the article has {sentences(article)} of the page's "
                      f"{sentences(page)} sentences (trafilatura)", soft_wrap=True)
    return article
