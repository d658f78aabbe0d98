"""The article of a saved news page: its title and body paragraphs, without the menus, footers,
related-links lists and comments around it, as trafilatura extracts them (the main-text extractor
that comes out best on news in the published comparisons)."""
from __future__ import annotations

from tarjama.documents import html
from tarjama.errors import InputError, MissingExtraError


def article_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """The article of a web page, one paragraph a line, its title first.

    The page is read as :mod:`tarjama.documents.html` reads it (declared encoding, nesting
    checked); :class:`InputError` when trafilatura finds no article in it.
    """
    import lxml.html

    try:
        import trafilatura
    except ModuleNotFoundError as err:
        raise MissingExtraError("finding a page's article", err.name or "trafilatura",
                                "documents") from None

    root = html.read(data, name, encoding).root
    result = trafilatura.bare_extraction(lxml.html.tostring(root, encoding="unicode"),
                                         include_comments=False, include_tables=True,
                                         with_metadata=True)
    body = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not body:
        raise InputError(f"{name}: no article found in this page; translate the whole page "
                         "instead, without the article option")
    title = (getattr(result, "title", None) or "").strip()
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines)
