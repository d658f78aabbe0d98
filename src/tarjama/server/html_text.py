"""HTML in, HTML out: the text between tags is translated, the markup kept as it was.

Parsed with the standard library's HTML parser (a real tokenizer, never patterns over markup);
text inside ``script``, ``style`` and similar elements is left alone.
"""
from __future__ import annotations

import html
from html.parser import HTMLParser

_OPAQUE = {"script", "style", "code", "pre", "textarea", "template"}


class _Pieces(HTMLParser):
    """The document as markup pieces (kept) and text pieces (to translate)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[bool, str]] = []  # (is_text, content)
        self._opaque = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.append((False, self.get_starttag_text() or ""))
        self._opaque += tag in _OPAQUE

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.append((False, self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.pieces.append((False, f"</{tag}>"))
        self._opaque -= tag in _OPAQUE and self._opaque > 0

    def handle_data(self, data: str) -> None:
        if self._opaque or not data.strip():
            self.pieces.append((False, html.escape(data, quote=False)))
        else:
            self.pieces.append((True, data))

    def handle_comment(self, data: str) -> None:
        self.pieces.append((False, f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.pieces.append((False, f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.pieces.append((False, f"<?{data}>"))


def html_texts(document: str) -> tuple[list[tuple[bool, str]], list[str]]:
    """The pieces of ``document`` and, in order, its texts to translate (each on one line)."""
    parser = _Pieces()
    parser.feed(document)
    parser.close()
    texts = [" ".join(content.split()) for is_text, content in parser.pieces if is_text]
    return parser.pieces, texts


def rebuild_html(pieces: list[tuple[bool, str]], translations: list[str]) -> str:
    """The document again, each text replaced by its translation (escaped), its spacing kept."""
    out: list[str] = []
    english = iter(translations)
    for is_text, content in pieces:
        if not is_text:
            out.append(content)
            continue
        lead = content[: len(content) - len(content.lstrip())]
        trail = content[len(content.rstrip()):]
        out.append(lead + html.escape(next(english), quote=False) + trail)
    return "".join(out)
