"""What a document format reads a file into: blocks of text, each with the markup to put back.

A :class:`Block` is one paragraph for the segmenter (an HTML ``<p>``, a Word paragraph, a group of
subtitle cues, a Markdown heading). Its inline markup (bold, a link, a Word run's formatting, a
subtitle cue) is a list of :class:`Mark` spans over the text; the format keeps what each mark
stands for under its ``key`` and never shows it to the translation core.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tarjama.segment.rules import CLOSERS, TERMINALS

NO_PARENT = -1


@dataclass(frozen=True)
class Mark:
    """Inline markup over ``text[start:end]`` of a block; ``start == end`` for an element without
    text of its own (an image, a line break, a comment kept as it is). ``key`` is the format's
    name for the element; ``parent`` is the index of the enclosing mark in the block's marks, or
    :data:`NO_PARENT`. Marks are listed parents first (document order)."""

    start: int
    end: int
    key: int
    parent: int = NO_PARENT


@dataclass(frozen=True)
class Block:
    """One paragraph of text and its inline marks.

    With ``parts`` the top-level marks cut the text into consecutive parts that must stay in order
    and all be kept (the cues of a subtitle track): a sentence that runs over several parts is
    translated once and its translation spread back over the same parts.
    """

    text: str
    marks: tuple[Mark, ...] = ()
    parts: bool = False


@dataclass(frozen=True)
class Open:
    """The start of a mark's element in :func:`events`."""

    key: int


@dataclass(frozen=True)
class Close:
    """The end of a mark's element in :func:`events`."""

    key: int


def events(block: Block) -> Iterator[str | Open | Close]:
    """The block as text pieces and the opening and closing of its marks, properly nested.

    Children of a mark come in the order of their position (an element without text before one
    with text at the same place). Runs without recursion, so markup nested deeply is fine.
    """
    children: dict[int, list[int]] = {NO_PARENT: []}
    for index, mark in enumerate(block.marks):
        children.setdefault(index, [])
        children.setdefault(mark.parent, []).append(index)
    for kids in children.values():
        kids.sort(key=lambda i: (block.marks[i].start, block.marks[i].end, i))
    position = 0
    stack: list[tuple[int, Iterator[int]]] = [(NO_PARENT, iter(children[NO_PARENT]))]
    while stack:
        node, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            end = len(block.text) if node == NO_PARENT else block.marks[node].end
            if end > position:
                yield block.text[position:end]
                position = end
            if node != NO_PARENT:
                yield Close(block.marks[node].key)
            continue
        mark = block.marks[child]
        if mark.start > position:
            yield block.text[position:mark.start]
            position = mark.start
        yield Open(mark.key)
        stack.append((child, iter(children[child])))


def sentence_ended(pieces: Sequence[str]) -> bool:
    """Whether the text read so far (``pieces``, joined) ends with a sentence's final punctuation
    (``.``, ``؟``...), maybe followed by closing quotes or brackets. An element without words
    glued between it and the next word (``سيكتمل.<img>وأضاف``) is then read with a space after
    it, so that the segmenter sees two sentences."""
    end = "".join(pieces[-8:]).rstrip(CLOSERS)
    return bool(end) and end[-1] in TERMINALS


def check_marks(block: Block) -> None:
    """Raise ``ValueError`` unless every mark lies inside its parent, siblings do not overlap and
    parents come first: what :func:`events` needs. Formats and the placement are tested with it."""
    for index, mark in enumerate(block.marks):
        if not 0 <= mark.start <= mark.end <= len(block.text):
            raise ValueError(f"mark {index} {mark} is outside the text")
        if mark.parent != NO_PARENT:
            if not 0 <= mark.parent < index:
                raise ValueError(f"mark {index} comes before its parent {mark.parent}")
            parent = block.marks[mark.parent]
            if not parent.start <= mark.start <= mark.end <= parent.end:
                raise ValueError(f"mark {index} {mark} is not inside its parent {parent}")
    siblings: dict[int, list[Mark]] = {}
    for mark in block.marks:
        siblings.setdefault(mark.parent, []).append(mark)
    for group in siblings.values():
        ordered = sorted(group, key=lambda m: (m.start, m.end))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"marks {before} and {after} overlap")
