"""Subtitles: SubRip (``.srt``) and WebVTT (``.vtt``), read by a small strict parser.

Both are line formats: cues separated by blank lines, each with a timing line and text lines.
Cue numbers, identifiers, timings and settings are written back byte for byte; only the text
lines of cues with Arabic change. Consecutive cues of one sentence (a cue that does not end with
a full stop, question or exclamation mark runs on into the next) form one block: the sentence is
translated once and its translation spread back over the same cues (see
:mod:`tarjama.documents.placement`; a cue the English has no word left for shows
:data:`CONTINUATION`, so no cue with Arabic comes back empty), then re-wrapped to at most
:data:`MAX_LINE` characters a line. ``<i>``, ``<b>``, ``<u>``, ``<font>`` and WebVTT's ``<c>``,
``<v>``, ``<lang>`` tags are kept on the English words (``<lang ar>`` becomes ``<lang en>``; a
voice's name, ``<v محمد>``, is kept as written: it names the speaker, and the file's ``STYLE``
rules select cues by it); WebVTT timestamps inside a cue and SSA override codes in SubRip
(``{\\an8}``) are kept whole. Files are read like any text input
(UTF-8, UTF-16 with a BOM, Windows-1256), and written as UTF-8 with the file's own line ends
(CRLF stays CRLF).
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from tarjama.documents.blocks import Block, Close, Mark, Open, events
from tarjama.documents.translating import has_arabic
from tarjama.errors import InputError
from tarjama.textio import decode

#: Characters a subtitle line holds at most (the usual limit for English subtitles).
MAX_LINE = 42
#: What a cue shows when the English of its sentence has fewer words than the sentence has cues
#: and none is left for it: the speech goes on (the continuation mark of subtitle style guides),
#: rather than a word cut in two or a cue without text, which players and the format drop.
CONTINUATION = "..."
#: A sentence spread over more cues than this is cut into blocks of this many cues.
MAX_CUES_PER_BLOCK = 8
_SENTENCE_END = tuple(".!?؟…")
_TAG_START = re.compile(r"<|\{\\")
_CLOSERS = "\"'»”’)]"
# WebVTT's <lang ar> (or ar-EG, with classes) around text that is now English.
_ARABIC_LANG = re.compile(r"^(<lang(?:\.[^\s>]*)?\s+)ar(?:-[A-Za-z0-9-]+)?(?=\s*>)", re.IGNORECASE)
_SRT_TIME = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})")
_VTT_TIME = re.compile(r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})")


@dataclass
class Cue:
    """One cue: the lines before its text (number or identifier, timing) kept as they are, and
    its text lines."""

    head: list[str]
    lines: list[str]
    number: int
    new_lines: list[str] | None = None


@dataclass
class _Tag:
    raw: str
    name: str
    closing: bool


@dataclass
class SubtitleDocument:
    """A parsed subtitle file: its cues, grouped into blocks of sentences."""

    kind: str
    cues: list[Cue]
    items: list[list[str] | Cue]  # the file's blocks in order: kept text or cues
    newline: str
    blocks: list[Block] = field(default_factory=list)
    _groups: list[list[int]] = field(default_factory=list)
    _tags: list[str] = field(default_factory=list)  # mark key -> the tag written for it
    _closers: dict[int, str] = field(default_factory=dict)

    def collect(self) -> None:
        group: list[int] = []
        for index, cue in enumerate(self.cues):
            text = " ".join(cue.lines)
            if not has_arabic(text):
                self._close(group)
                group = []
                continue
            group.append(index)
            if text.rstrip(_CLOSERS + " ").endswith(_SENTENCE_END) or len(group) >= MAX_CUES_PER_BLOCK:
                self._close(group)
                group = []
        self._close(group)

    def _close(self, group: list[int]) -> None:
        if not group:
            return
        text = ""
        marks: list[Mark] = []
        for index in group:
            if text:
                text += " "
            start = len(text)
            top = len(marks)
            marks.append(Mark(start, start, -1 - index))  # cue keys are negative
            body, inner = self._parse_cue_text(" ".join(self.cues[index].lines), start, top)
            text += body
            marks[top] = Mark(start, len(text), -1 - index)
            marks.extend(inner)
        self.blocks.append(Block(text, tuple(marks), parts=True))
        self._groups.append(group)

    def _parse_cue_text(self, raw: str, offset: int, parent: int) -> tuple[str, list[Mark]]:
        """The visible text of a cue and marks for its tags (an unmatched tag or a timestamp is
        kept whole, as a mark without text)."""
        pieces: list[str | _Tag] = _tokens(raw)
        text: list[str] = []
        length = offset
        marks: list[Mark] = []
        opened: list[tuple[int, str]] = []  # (mark index relative to marks, tag name)
        matched: set[int] = set()
        # First pass: find which opening tags have a closing tag.
        stack: list[tuple[int, str]] = []
        for position, piece in enumerate(pieces):
            if isinstance(piece, _Tag) and piece.name and not piece.name[0].isdigit():
                if not piece.closing:
                    stack.append((position, piece.name))
                elif stack and stack[-1][1] == piece.name:
                    matched.update((stack.pop()[0], position))
        base = parent + 1
        for position, piece in enumerate(pieces):
            if isinstance(piece, str):
                text.append(piece)
                length += len(piece)
                continue
            key = len(self._tags)
            self._tags.append(_ARABIC_LANG.sub(r"\1en", piece.raw))
            current = opened[-1][0] + base if opened else parent
            if position not in matched:
                marks.append(Mark(length, length, key, current))
            elif not piece.closing:
                opened.append((len(marks), piece.name))
                marks.append(Mark(length, length, key, current))
            else:
                index, _ = opened.pop()
                mark = marks[index]
                marks[index] = Mark(mark.start, length, mark.key, mark.parent)
                self._closers[mark.key] = piece.raw
        return "".join(text), marks

    def write(self, translated: Sequence[Block | None]) -> bytes:
        for group, block in zip(self._groups, translated, strict=True):
            if block is not None:
                self._spread(group, block)
        out: list[str] = []
        for item in self.items:
            if isinstance(item, Cue):
                out.extend(item.head)
                out.extend(item.new_lines if item.new_lines is not None else item.lines)
            else:
                out.extend(item)
            out.append("")
        return (self.newline.join(out[:-1]) + self.newline).encode("utf-8")

    def _spread(self, group: list[int], block: Block) -> None:
        cue: int | None = None
        pieces: list[str | _Tag] = []
        for event in events(block):
            if isinstance(event, Open) and event.key < 0:
                cue, pieces = -1 - event.key, []
            elif isinstance(event, Close) and event.key < 0:
                assert cue is not None
                self.cues[cue].new_lines = _wrap(_continued(pieces))
                cue = None
            elif cue is None:
                continue
            elif isinstance(event, str):
                pieces.append(event)
            elif isinstance(event, Open):
                pieces.append(_Tag(self._tags[event.key], "", False))
            elif event.key in self._closers:
                pieces.append(_Tag(self._closers[event.key], "", True))

    def counts(self) -> dict[str, int]:
        tags = sum(1 for cue in self.cues for piece in _tokens(" ".join(cue.lines))
                   if isinstance(piece, _Tag))
        return {"cues": len(self.cues), "tags": tags,
                "timings": sum(1 for c in self.cues if any("-->" in line for line in c.head))}

    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def _tokens(raw: str) -> list[str | _Tag]:
    """Text and tags of a cue's text, scanned left to right (an opener not closed before the next
    one is text). An
    override block of the players that read SSA/ASS codes in SubRip (``{\\an8}``, ``{\\i1}``) is
    a tag without a name: kept whole where it was."""
    pieces: list[str | _Tag] = []
    position = 0
    while position < len(raw):
        found = _TAG_START.search(raw, position)
        if found is None:
            pieces.append(raw[position:])
            break
        start = found.start()
        closer = ">" if found.group() == "<" else "}"
        end = raw.find(closer, start + 1)
        if end == -1 or _TAG_START.search(raw, start + 1, end):
            # Not closed before the next opener: the opener is text, and the scan goes on.
            pieces.append(raw[position:found.end()])
            position = found.end()
            continue
        if start > position:
            pieces.append(raw[position:start])
        tag = raw[start:end + 1]
        if closer == "}":
            pieces.append(_Tag(tag, "", False))
        else:
            inner = tag[1:-1].strip()
            closing = inner.startswith("/")
            name = inner.lstrip("/").split(" ")[0].split(".")[0].lower()
            pieces.append(_Tag(tag, name, closing))
        position = end + 1
    return pieces


def _continued(pieces: list[str | _Tag]) -> list[str | _Tag]:
    """A cue's pieces, with :data:`CONTINUATION` for its text when the sentence's English had no
    word left for it (inside its tags: before the first closing one)."""
    if any(isinstance(piece, str) and piece.strip() for piece in pieces):
        return pieces
    tags = [piece for piece in pieces if isinstance(piece, _Tag)]
    at = next((i for i, tag in enumerate(tags) if tag.closing), len(tags))
    return [*tags[:at], CONTINUATION, *tags[at:]]


def _wrap(pieces: list[str | _Tag]) -> list[str]:
    """The cue's text in lines of at most :data:`MAX_LINE` visible characters (two balanced
    lines when it fits in two), tags kept where they were."""
    joined = "".join(p for p in pieces if isinstance(p, str))
    lead = len(joined) - len(joined.lstrip())
    visible = joined.strip()
    breaks = {lead + i for i in _line_breaks(visible)}
    out: list[str] = []
    position = 0
    for piece in pieces:
        if isinstance(piece, _Tag):
            out.append(piece.raw)
            continue
        for char in piece:
            if lead <= position < lead + len(visible):
                out.append("\n" if position in breaks else char)
            position += 1
    return ["".join(out)] if not breaks else "".join(out).split("\n")


def _line_breaks(text: str) -> set[int]:
    """Positions of the spaces of ``text`` that become line breaks."""
    if len(text) <= MAX_LINE:
        return set()
    spaces = [i for i, c in enumerate(text) if c == " "]
    if spaces:
        middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
        if middle <= MAX_LINE and len(text) - middle - 1 <= MAX_LINE:
            return {middle}
    lines = textwrap.wrap(text, MAX_LINE, break_long_words=False, break_on_hyphens=False)
    breaks, position = set(), 0
    for line in lines[:-1]:
        position = text.index(line, position) + len(line)
        breaks.add(position)
    return breaks


def _split_lines(data: bytes, name: str, encoding: str | None) -> tuple[list[str], str]:
    text = decode(data, name, encoding).text.lstrip("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), newline


def _chunks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blocks of lines separated by blank lines, each with the number of its first line."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                chunks.append((number, current))
            current.append(line)
        else:
            current = []
    return chunks


def _time(value: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.fullmatch(value.strip())
    if match is None:
        return None
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _timing(line: str, pattern: re.Pattern[str], example: str, name: str, where: str) -> None:
    start, arrow, rest = line.partition("-->")
    end = rest.strip().split(" ")[0] if rest.strip() else ""
    begin, finish = _time(start, pattern), _time(end, pattern)
    if not arrow or begin is None or finish is None:
        raise InputError(f"{name}: {where}: the timing {line.strip()!r} is not "
                         f"{example}; fix that cue")
    if finish < begin:
        raise InputError(f"{name}: {where}: the cue ends ({end}) before it starts "
                         f"({start.strip()}); fix that cue")


def read_srt(data: bytes, name: str, encoding: str | None = None) -> SubtitleDocument:
    """Parse a SubRip file; :class:`InputError` naming the first cue that is not a cue."""
    lines, newline = _split_lines(data, name, encoding)
    cues: list[Cue] = []
    for number, (line, chunk) in enumerate(_chunks(lines), 1):
        where = f"cue {number} (line {line})"
        if not chunk[0].strip().isdigit():
            raise InputError(f"{name}: {where}: {chunk[0].strip()[:40]!r} is not a cue number; "
                             "a SubRip cue starts with its number, then its timing")
        if len(chunk) < 2:
            raise InputError(f"{name}: {where}: has no timing line; fix that cue")
        _timing(chunk[1], _SRT_TIME, "HH:MM:SS,mmm --> HH:MM:SS,mmm", name, where)
        cues.append(Cue(chunk[:2], chunk[2:], number))
    if not cues:
        raise InputError(f"{name}: has no subtitle cues; give a SubRip (.srt) file")
    document = SubtitleDocument("srt", cues, list(cues), newline)
    document.collect()
    return document


def read_vtt(data: bytes, name: str, encoding: str | None = None) -> SubtitleDocument:
    """Parse a WebVTT file; :class:`InputError` naming the first cue that is not a cue."""
    lines, newline = _split_lines(data, name, encoding)
    chunks = _chunks(lines)
    if not chunks or not (chunks[0][1][0] == "WEBVTT" or chunks[0][1][0].startswith(("WEBVTT ",
                                                                                     "WEBVTT\t"))):
        raise InputError(f"{name}: does not start with WEBVTT; give a WebVTT (.vtt) file")
    items: list[list[str] | Cue] = [chunks[0][1]]
    cues: list[Cue] = []
    for line, chunk in chunks[1:]:
        if chunk[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in chunk[0]:
            items.append(chunk)
            continue
        number = len(cues) + 1
        where = f"cue {number} (line {line})"
        timing = 0 if "-->" in chunk[0] else 1
        if timing >= len(chunk) or "-->" not in chunk[timing]:
            raise InputError(f"{name}: {where}: has no timing line (start --> end); fix that cue")
        _timing(chunk[timing], _VTT_TIME, "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm", name, where)
        cue = Cue(chunk[:timing + 1], chunk[timing + 1:], number)
        cues.append(cue)
        items.append(cue)
    document = SubtitleDocument("vtt", cues, items, newline)
    document.collect()
    return document

