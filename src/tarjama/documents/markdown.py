"""Markdown, read with markdown-it-py (CommonMark, with tables and strikethrough).

Paragraphs, headings and table cells are blocks; emphasis, strong emphasis, strikethrough and
links are marks put back on the English words. Code spans, images, inline HTML (a note's number,
``<sup>1</sup>``, whole), footnote labels (a definition on each line stays on its own line) and
autolinks are kept whole (an image's alt text is a block of its own); code blocks, HTML blocks,
reference definitions (but for their title, a tooltip people read, as HTML's ``title``: a block
of its own) and everything else are left as they are. The file is edited in place, line by line:
a translated block replaces its source text where it stood (on the block's first line; a
paragraph's continuation lines are merged into it), so front matter (YAML or TOML, never
translated), spacing and the syntax of untouched parts stay byte for byte. What follows a link's
text is written as the source had it: an inline link keeps its target and title as written, a
reference link its label (a collapsed or shortcut reference, ``[text][]`` or ``[text]``, becomes
``[English][text]``, which still finds its definition); images and autolinks are kept as written
but for their alt text. A hard line break inside a translated paragraph becomes ``<br>``.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tarjama.documents.blocks import NO_PARENT, Block, Close, Mark, Open, events, sentence_ended
from tarjama.normalize import arabic_digits_to_western
from tarjama.textio import decode

# A footnote's reference ([^1]) or its definition's label with the space after it ([^1]: ).
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\](?::[ \t]*)?")
_PAIRED = {"em_open": "em_close", "strong_open": "strong_close", "s_open": "s_close",
           "link_open": "link_close"}
_TEXT_BLOCKS = {"paragraph_open", "heading_open", "th_open", "td_open"}
_ESCAPED = set("\\`*_[]<")
_LINE_START = set("#>-+=|")
#: Front matter fences (Jekyll, Hugo, Pandoc): the opening line and the lines that close it.
FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}


@dataclass
class _Place:
    """Where a block stands in the source: its content's lines, and for each the line number
    and column."""

    lines: list[tuple[int, int, int]]  # (line number, start column, end column)


@dataclass
class _Alt:
    """An image's alt text, a block of its own: the image's mark key, the paragraph block it
    stands in, and the alt as written."""

    key: int
    paragraph: int
    alt: str


@dataclass
class _Title:
    """A link reference definition's title (``[id]: https://x "عنوان"``), a block of its own:
    where its text stands on the definition's last line, and the quote that closes it."""

    line: int
    start: int
    end: int
    closer: str


@dataclass
class MarkdownDocument:
    """A parsed Markdown file: its lines, its blocks and where each stands."""

    lines: list[str]
    newline: str
    tokens: list[Any]
    blocks: list[Block] = field(default_factory=list)
    _places: list[_Place | _Alt | _Title] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)   # mark key -> what opens it
    _close: list[str] = field(default_factory=list)  # mark key -> what closes it
    _images: list[tuple[int, str]] = field(default_factory=list)  # of the block being read

    def collect(self) -> None:
        in_text_block = False
        cursor: dict[int, int] = {}
        for token in self.tokens:
            if token.type in _TEXT_BLOCKS:
                in_text_block = True
            elif token.type == "inline" and in_text_block and token.map:
                place = self._locate(token, cursor)
                if place is not None:
                    self._images = []
                    self.blocks.append(self._block(token.children or []))
                    self._places.append(place)
                    paragraph = len(self.blocks) - 1
                    for key, alt in self._images:
                        self.blocks.append(Block(alt.replace("\n", " ")))
                        self._places.append(_Alt(key, paragraph, alt))
                in_text_block = False
            elif token.type == "definition" and token.meta.get("title") and token.map:
                title = _title_place(self.lines[token.map[1] - 1], token.meta["title"])
                if title is not None:
                    start, end, closer = title
                    self.blocks.append(Block(token.meta["title"]))
                    self._places.append(_Title(token.map[1] - 1, start, end, closer))

    def _locate(self, token: Any, cursor: dict[int, int]) -> _Place | None:
        first = token.map[0]
        found: list[tuple[int, int, int]] = []
        line = first
        for part in token.content.split("\n"):
            while line < len(self.lines):
                column = self.lines[line].find(part, cursor.get(line, 0))
                if column != -1:
                    break
                line += 1
            else:
                return None
            found.append((line, column, column + len(part)))
            cursor[line] = column + len(part)
            line += 1
        return _Place(found)

    def _block(self, children: list[Any]) -> Block:
        text: list[str] = []
        length = 0
        marks: list[Mark] = []
        stack: list[int] = []
        skipping = False  # inside an autolink, kept whole
        tokens = _notes_whole(children)
        for at, child in enumerate(tokens):
            parent = stack[-1] if stack else NO_PARENT
            if skipping:
                skipping = child.type != "link_close"
            elif child.type in ("text",):
                # A footnote's reference or label ([^1], [^note]:) is not CommonMark: it comes as
                # text, and is kept whole, like a code span, where it was.
                position = 0
                for footnote in _FOOTNOTE.finditer(child.content):
                    before = child.content[position:footnote.start()]
                    text.append(before)
                    length += len(before)
                    key = self._key(footnote.group(), "")
                    marks.append(Mark(length, length, key, parent))
                    position = footnote.end()
                    if child.content[position:position + 1].strip() and sentence_ended(text) \
                            and not _FOOTNOTE.match(child.content, position):
                        # Between a sentence's end and the next word: as an image, below.
                        text.append(" ")
                        length += 1
                text.append(child.content[position:])
                length += len(child.content) - position
            elif child.type == "softbreak":
                text.append(" ")
                length += 1
            elif child.type == "link_open" and child.info == "auto":
                marks.append(Mark(length, length, self._key(_verbatim(child), ""), parent))
                skipping = True
            elif child.type in _PAIRED:
                stack.append(len(marks))
                marks.append(Mark(length, length, self._key(*_delimiters(child)), parent))
            elif child.type in _PAIRED.values():
                index = stack.pop()
                marks[index] = Mark(marks[index].start, length, marks[index].key,
                                    marks[index].parent)
            else:
                key = self._key(_verbatim(child), "")
                marks.append(Mark(length, length, key, parent))
                following = tokens[at + 1] if at + 1 < len(tokens) else None
                if _shown_without_text(child) and following is not None \
                        and following.type == "text" and following.content[:1].strip() \
                        and sentence_ended(text):
                    # An image or a note's number between a sentence's end and the next word
                    # parts the two sentences: the segmenter reads a space after it, and the mark
                    # stays glued to the end of the sentence before.
                    text.append(" ")
                    length += 1
                source = child.meta.get("source", "")
                if child.type == "image" and child.content.strip() and \
                        source.startswith("![" + child.content + "]"):
                    self._images.append((key, child.content))
        return Block("".join(text), tuple(marks))

    def _key(self, opening: str, closing: str) -> int:
        self._open.append(opening)
        self._close.append(closing)
        return len(self._open) - 1

    def write(self, translated: Sequence[Block | None]) -> bytes:
        lines = list(self.lines)
        dropped: set[int] = set()
        edits: list[tuple[int, int, int, str]] = []
        opening = list(self._open)
        images: dict[int, list[tuple[str, str]]] = {}  # paragraph -> (image as written, in English)
        for place, block in zip(self._places, translated, strict=True):
            if isinstance(place, _Alt) and block is not None:
                before = opening[place.key]
                after = "![" + _escaped(block.text) + before[2 + len(place.alt):]
                opening[place.key] = after
                images.setdefault(place.paragraph, []).append((before, after))
        for number, (place, block) in enumerate(zip(self._places, translated, strict=True)):
            if isinstance(place, _Alt):
                continue
            if isinstance(place, _Title):
                if block is not None:
                    edits.append((place.line, place.start, place.end,
                                  _title_escaped(block.text, place.closer)))
                continue
            if block is None:  # no Arabic but in its images' alt texts: those are edited in place
                for before, after in images.get(number, []):
                    edits.extend(_replaced(lines, place, before, after))
                continue
            rendered = self._render(block, opening)
            (line, start, end), *rest = place.lines
            edits.append((line, start, end, rendered))
            for other, other_start, other_end in rest:
                edits.append((other, other_start, other_end, ""))
                dropped.add(other)
        for line, start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[line] = lines[line][:start] + replacement + lines[line][end:]
        kept = [text for number, text in enumerate(lines)
                if number not in dropped or text.strip(" >\t")]
        return self.newline.join(kept).encode("utf-8")

    def _render(self, block: Block, opening: list[str]) -> str:
        out: list[str] = []
        for event in events(block):
            if isinstance(event, str):
                out.append(_escaped(event))
            elif isinstance(event, Open):
                out.append(opening[event.key])
            elif isinstance(event, Close):
                out.append(self._close[event.key])
        return _not_a_block_marker("".join(out))

    def counts(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for token in self.tokens:
            for item in [token, *(token.children or [])]:
                if item.nesting != -1 and item.type not in ("inline", "text", "softbreak"):
                    name = item.type.removesuffix("_open")
                    kinds[name] = kinds.get(name, 0) + 1
        return dict(sorted(kinds.items()))

    def text(self) -> str:
        return "\n".join(block.text for block, place in zip(self.blocks, self._places, strict=True)
                         if not isinstance(place, _Title))


def _escaped(text: str) -> str:
    return "".join("\\" + c if c in _ESCAPED else c for c in text)


_TITLE_OPENERS = {'"': '"', "'": "'", ")": "("}
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _title_place(line: str, title: str) -> tuple[int, int, str] | None:
    """Where a reference definition's ``title`` stands on the definition's last ``line`` (the
    start and end of its text, and its closing quote), or ``None`` when it is not all there as
    written (a title over several lines, or with entities): then it is left as it is."""
    stripped = line.rstrip()
    opener = _TITLE_OPENERS.get(stripped[-1:])
    if opener is None:
        return None
    end = len(stripped) - 1
    start = end - 1
    while start >= 0 and not (line[start] == opener and _unescaped(line, start)):
        start -= 1
    if start < 0 or _BACKSLASH_ESCAPE.sub(r"\1", line[start + 1:end]) != title:
        return None
    return start + 1, end, stripped[-1]


def _unescaped(line: str, position: int) -> bool:
    """Whether the character at ``position`` is not escaped by a backslash."""
    backslashes = len(line[:position]) - len(line[:position].rstrip("\\"))
    return backslashes % 2 == 0


def _title_escaped(text: str, closer: str) -> str:
    """``text`` as a title closed by ``closer``: backslashes and the quotes escaped."""
    special = {"\\", closer, _TITLE_OPENERS[closer]}
    return "".join("\\" + c if c in special else c for c in text)


def _replaced(lines: list[str], place: _Place, before: str, after: str
              ) -> list[tuple[int, int, int, str]]:
    """The edit that writes ``after`` over ``before`` where it stands in a block's lines."""
    for line, start, end in place.lines:
        column = lines[line].find(before, start, end)
        if column != -1:
            return [(line, column, column + len(before), after)]
    return []


def _not_a_block_marker(text: str) -> str:
    """``text`` escaped where, at the start of a line, it would open a heading, a quote, a list
    or a table (``# ``, ``> ``, ``- ``, ``1. ``)."""
    if text[:1] in _LINE_START:
        return "\\" + text
    digits = len(text) - len(text.lstrip("0123456789"))
    if digits and text[digits:digits + 1] in (".", ")"):
        return text[:digits] + "\\" + text[digits:]
    return text


def _delimiters(token: Any) -> tuple[str, str]:
    if token.type == "link_open" and "tail" in token.meta:
        tail = token.meta["tail"].replace("\n", " ")
        if tail.startswith("(") or (tail.startswith("[") and tail != "[]"):
            return "[", "]" + tail
        return "[", "][" + token.meta["label"].replace("\n", " ") + "]"
    if token.type == "link_open":
        href = token.attrGet("href") or ""
        title = token.attrGet("title")
        target = f"<{href}>" if " " in href or not href else href
        suffix = f' "{title}"' if title else ""
        return "[", f"]({target}{suffix})"
    return token.markup, token.markup


def _verbatim(token: Any) -> str:
    """The source of a token kept whole (a code span, an image, inline HTML, a line break)."""
    if token.type == "code_inline":
        pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
        return f"{token.markup}{pad}{token.content}{pad}{token.markup}"
    if "source" in token.meta:
        return str(token.meta["source"]).replace("\n", " ")
    if token.type == "image":
        title = token.attrGet("title")
        return f"![{token.content}]({token.attrGet('src')}" + (f' "{title}"' if title else "") + ")"
    if token.type == "hardbreak":
        return "<br>"
    return str(token.content)


def _without_front_matter(lines: list[str]) -> list[str]:
    """The lines with a YAML (``---``) or TOML (``+++``) front matter blanked out, so that the
    parser never reads it as a heading and it stays as it is; the line numbers do not change."""
    fence = lines[0].rstrip() if lines else ""
    if fence not in FRONT_MATTER_FENCES:
        return lines
    closing = FRONT_MATTER_FENCES[fence]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in closing), None)
    if end is None:
        return lines
    return [""] * (end + 1) + lines[end + 1:]


def _recording(name: str) -> Any:
    """markdown-it-py's inline rule ``name``, recording on the token it makes the source it read:
    a link's label and what follows its text (``tail``), an image's or autolink's whole
    ``source``. The tokens themselves only hold the resolved target."""
    from markdown_it import rules_inline

    rule = getattr(rules_inline, name)
    made = {"link": "link_open", "image": "image", "autolink": "link_open"}[name]

    def recording(state: Any, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        label_at = start + 1 if name == "image" else start
        label_end = (state.md.helpers.parseLinkLabel(state, label_at, name == "link")
                     if state.src[label_at:label_at + 1] == "[" else -1)
        if not rule(state, silent):
            return False
        token = next((t for t in state.tokens[count:] if t.type == made), None)
        if token is not None and not silent:
            token.meta["source"] = state.src[start:state.pos]
            if name == "link" and label_end >= 0:
                token.meta["label"] = state.src[label_at + 1:label_end]
                token.meta["tail"] = state.src[label_end + 1:state.pos]
        return True
    return recording


_NOTE_OPEN = re.compile(r"<sup(?:\s[^>]*)?>", re.IGNORECASE)
_NOTE_CLOSE = re.compile(r"</sup\s*>", re.IGNORECASE)
_SHOWN_WITHOUT_TEXT = re.compile(r"<img\b|<sup(?:\s[^>]*)?>[^<]*</sup\s*>$", re.IGNORECASE)
# A footnote's definition at the start of a line ([^1]: ...).
_FOOTNOTE_DEFINITION = re.compile(r" {0,3}\[\^[^\]\s]+\]:")


def _notes_whole(children: list[Any]) -> list[Any]:
    """The inline tokens with a note's number written in inline HTML (``<sup>1</sup>``: a
    superscript without letters) as one piece of inline HTML, kept whole: its number is not the
    model's to translate."""
    merged: list[Any] = []
    position = 0
    while position < len(children):
        child = children[position]
        trio = children[position:position + 3]
        if (len(trio) == 3 and child.type == "html_inline" and _NOTE_OPEN.fullmatch(child.content)
                and trio[1].type == "text" and trio[1].content.strip()
                and not any(c.isalpha() for c in trio[1].content)
                and trio[2].type == "html_inline" and _NOTE_CLOSE.fullmatch(trio[2].content)):
            whole = copy.copy(child)
            # In the digits the English is written in (<sup>٣</sup> → <sup>3</sup>).
            whole.content = child.content + arabic_digits_to_western(trio[1].content) + \
                trio[2].content
            merged.append(whole)
            position += 3
            continue
        merged.append(child)
        position += 1
    return merged


def _shown_without_text(token: Any) -> bool:
    """Whether ``token`` is kept whole and shows no words to the model: an image, an ``<img>``
    in inline HTML, or a note's number (``<sup>1</sup>``, merged by :func:`_notes_whole`)."""
    return token.type == "image" or token.type == "html_inline" and bool(
        _SHOWN_WITHOUT_TEXT.match(token.content))


def _footnote_starts_a_paragraph(state: Any, start: int, end: int, silent: bool) -> bool:
    """A block rule that only ends a paragraph (``silent``) at a line that starts a footnote's
    definition, so that definitions on consecutive lines are paragraphs of their own (each is
    written back on its own line, after its label), never one paragraph."""
    line_start = state.bMarks[start] + state.tShift[start]
    line = state.src[state.bMarks[start]:state.eMarks[start]]
    return bool(silent and line_start < state.eMarks[start]
                and _FOOTNOTE_DEFINITION.match(line))


def _not_a_footnote() -> Any:
    """markdown-it-py's reference-definition rule, except for a footnote's definition
    (``[^1]: Reuters``), which CommonMark would take for a link's: it stays a paragraph."""
    from markdown_it.rules_block import reference

    def rule(state: Any, start: int, end: int, silent: bool) -> bool:
        line_start = state.bMarks[start] + state.tShift[start]
        if state.src.startswith("[^", line_start):
            return False
        return bool(reference(state, start, end, silent))
    return rule


def read(data: bytes, name: str, encoding: str | None = None) -> MarkdownDocument:
    """Parse a Markdown file."""
    from markdown_it import MarkdownIt

    text = decode(data, name, encoding).text.lstrip("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    # inline_definitions: a token for each link reference definition, to find their titles.
    parser = MarkdownIt("commonmark", {"inline_definitions": True}).enable(
        ["table", "strikethrough"])
    for rule in ("link", "image", "autolink"):
        parser.inline.ruler.at(rule, _recording(rule))
    parser.block.ruler.at("reference", _not_a_footnote())
    parser.block.ruler.before("paragraph", "footnote_starts", _footnote_starts_a_paragraph,
                              {"alt": ["paragraph"]})
    tokens = parser.parse("\n".join(_without_front_matter(lines)))
    document = MarkdownDocument(lines, newline, tokens)
    document.collect()
    return document
