"""Putting a block's inline marks back on its translation, word by word, from a word alignment.

Each sentence is translated whole, markup and all, and a :class:`WordAlignment` links its English
words to its Arabic words (from the model's cross-attention, each English token's row read at
the step that takes it as decoder input, Shift-Att: see :mod:`tarjama.documents.alignment`). A
mark then covers the English words aligned to the Arabic words it covered:

* a target word belongs to a mark when its strongest source word is inside the mark, and so does
  the strongest target word of each source word inside it (both directions, so that a mark over
  one word always gets at least one word back); the mark spans the one stretch that holds most
  of those words for fewest others (:func:`densest`), so it never comes back in pieces and a
  stray link does not stretch it over its neighbours' words;
* a mark over whole sentences covers their whole translations; a mark that starts or ends inside
  a sentence and runs on into the next covers the rest of the first translation or the start of
  the last one;
* punctuation the source had outside a mark stays outside it: a mark that ends (or starts)
  inside a word, before its last (after its first) letter or digit, with only punctuation beyond it
  (``<b>كلمة</b>.``, ``"<a>رابط</a>"``), does not take the English word's punctuation either;
* a mark without text (an image, a line break) goes before the English word aligned to the Arabic
  word that followed it, unless it is glued to the end of a word (no whitespace between them: a
  footnote's reference, ``كلمة[^1].``): then it follows the English word(s) aligned to that word,
  and at the end of a sentence (after that sentence's last word) it stays at the end of that
  sentence's English. When only punctuation followed it in the source word, it goes before the
  English word's punctuation (``word[^1].``), else after the word;
* an element without text never ends up inside a sibling's text: it is moved to that sibling's
  end when it came after it in the source, else to its start;
* the nesting of the source is kept: a mark is cut back to its parent's words, and a mark that
  overlaps a sibling placed before it keeps its longest stretch of free words (or the nearest free
  word, or none: then it stays as an empty element), so no element is ever dropped or doubled; a
  mark leaves a free word for each later sibling that has words, so that while the parent has
  enough words none of them comes back empty;
* in a block of parts (subtitle cues) the parts stay in order and cover the whole translation: the
  cut points are chosen by dynamic programming to keep as much alignment weight as possible inside
  each part, every part getting at least one word while there are enough words.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from tarjama.documents.blocks import NO_PARENT, Block, Mark

Span = tuple[int, int]


@dataclass(frozen=True)
class WordAlignment:
    """``weights[t][s]``: how strongly target word ``t`` is linked to source word ``s``."""

    weights: tuple[tuple[float, ...], ...]
    sources: int

    @classmethod
    def monotone(cls, targets: int, sources: int) -> WordAlignment:
        """Words linked by their relative position: the fallback without attention (and the
        alignment of a text with itself)."""
        rows = []
        for t in range(targets):
            linked = min(sources - 1, t * sources // targets) if sources else 0
            rows.append(tuple(1.0 if s == linked else 0.0 for s in range(sources)))
        return cls(tuple(rows), sources)

    def source_of(self, target: int) -> int:
        """The source word ``target`` is most strongly linked to."""
        row = self.weights[target]
        return max(range(self.sources), key=row.__getitem__)

    def target_of(self, source: int) -> int:
        """The target word most strongly linked to ``source``."""
        return max(range(len(self.weights)), key=lambda t: self.weights[t][source])


@dataclass(frozen=True)
class TranslatedSpan:
    """A sentence of a block (``text[start:end]``) and its translation, with the alignment of
    their words (``None``: align by position)."""

    start: int
    end: int
    translation: str
    alignment: WordAlignment | None = None


def words(text: str, offset: int = 0) -> list[Span]:
    """Character spans of the whitespace-separated words of ``text``."""
    spans: list[Span] = []
    start = None
    for i, char in enumerate(text):
        if char.isspace():
            if start is not None:
                spans.append((offset + start, offset + i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((offset + start, offset + len(text)))
    return spans


@dataclass
class _Sentence:
    source_words: range
    target_words: range
    alignment: WordAlignment


def place(block: Block, sentences: Sequence[TranslatedSpan]) -> Block:
    """The translated block: the sentences' translations joined by spaces (the block's leading and
    trailing whitespace kept) and every mark of ``block`` placed on it."""
    text = block.text
    lead = len(text) - len(text.lstrip())
    trail = text[len(text.rstrip()):] if text.strip() else ""
    pieces: list[str] = []
    source_spans: list[Span] = []
    target_spans: list[Span] = []
    layout: list[_Sentence] = []
    cursor = lead
    for sentence in sentences:
        src = words(text[sentence.start:sentence.end], sentence.start)
        tgt = words(sentence.translation, cursor)
        alignment = sentence.alignment
        if alignment is None or len(alignment.weights) != len(tgt) or alignment.sources != len(src):
            alignment = WordAlignment.monotone(len(tgt), len(src))
        layout.append(_Sentence(range(len(source_spans), len(source_spans) + len(src)),
                                range(len(target_spans), len(target_spans) + len(tgt)), alignment))
        source_spans.extend(src)
        target_spans.extend(tgt)
        pieces.append(sentence.translation)
        cursor += len(sentence.translation) + 1
    body = " ".join(pieces)
    out_text = text[:lead] + body + trail
    placer = _Placer(block, source_spans, target_spans, layout, out_text, lead + len(body))
    return Block(out_text, placer.marks(), block.parts)


class _Placer:
    def __init__(self, block: Block, source: list[Span], target: list[Span],
                 layout: list[_Sentence], out_text: str, body_end: int):
        self.block, self.source, self.target, self.layout = block, source, target, layout
        self.out_text = out_text
        self.body_end = body_end
        self.body_start = target[0][0] if target else body_end

    # -- word ranges --------------------------------------------------------------------------
    def covered(self, mark: Mark) -> list[int]:
        if mark.start == mark.end:  # an element without text, even inside a word, covers none
            return []
        return [i for i, (start, end) in enumerate(self.source) if start < mark.end and mark.start < end]

    def projected(self, covered: list[int]) -> Span | None:
        """Inclusive target word range for the source words ``covered`` (in order, contiguous)."""
        inside = set(covered)
        lo: int | None = None
        hi: int | None = None
        for sentence in self.layout:
            mine = [s for s in sentence.source_words if s in inside]
            if not mine or not sentence.target_words:
                continue
            first, base = sentence.target_words[0], sentence.source_words[0]
            last = sentence.target_words[-1]
            if len(mine) == len(sentence.source_words):
                start, end = first, last
            else:
                linked = {first + t for t in range(len(sentence.target_words))
                          if base + sentence.alignment.source_of(t) in inside}
                linked.update(first + sentence.alignment.target_of(s - base) for s in mine)
                start, end = densest(linked, first, last)
                if covered[0] < base:  # the mark began in an earlier sentence
                    start = first
                if covered[-1] > sentence.source_words[-1]:  # and runs on into a later one
                    end = last
            lo = start if lo is None else min(lo, start)
            hi = end if hi is None else max(hi, end)
        return None if lo is None or hi is None else (lo, hi)

    def point(self, mark: Mark) -> int:
        """Word boundary (before target word k; len(target) for the end) for a mark without
        words: before the translation of the source word that followed it."""
        following = next((i for i, (start, _) in enumerate(self.source) if start >= mark.start), None)
        if following is None:
            return len(self.target)
        for sentence in self.layout:
            if following in sentence.source_words:
                if not sentence.target_words:
                    return sentence.target_words.start
                local = following - sentence.source_words[0]
                if local == 0:
                    return sentence.target_words[0]
                targets = [t for t in range(len(sentence.target_words))
                           if sentence.alignment.source_of(t) >= local]
                return sentence.target_words[0] + (min(targets) if targets
                                                   else len(sentence.target_words))
        return len(self.target)

    def glued_to(self, mark: Mark) -> int | None:
        """The source word a mark without text is glued to the end of (no whitespace between
        them: it stands after the word's first character and at most at its end), or ``None``."""
        if mark.start != mark.end:
            return None
        return next((i for i, (start, end) in enumerate(self.source) if start < mark.start <= end),
                    None)

    def after_word(self, mark: Mark, word: int) -> int:
        """The character position of a mark without text glued to the end of source ``word``:
        after the English word(s) aligned to it, or at the end of its sentence's English when no
        word with a letter or digit follows it in the sentence; before that English word's final
        punctuation when the source had only punctuation after the mark."""
        sentence = next(s for s in self.layout if word in s.source_words)
        if not sentence.target_words:
            return self._boundary_chars(sentence.target_words.start, None)
        text = self.block.text
        later = [s for s in sentence.source_words
                 if s > word and _has_alnum(text[self.source[s][0]:self.source[s][1]])]
        if later:
            count, local = len(sentence.target_words), word - sentence.source_words[0]
            linked = {t for t in range(count) if sentence.alignment.source_of(t) == local}
            linked.add(sentence.alignment.target_of(local))
            anchor = sentence.target_words[0] + densest(linked, 0, count - 1)[1]
        else:
            anchor = sentence.target_words[-1]
        start, end = self.target[anchor]
        if _only_punctuation(text[mark.start:self.source[word][1]]):
            return end - _trailing_punctuation(self.out_text[start:end])
        return end

    def outside_punctuation(self, mark: Mark, span: Span, placed: Span) -> Span:
        """``span`` (the characters of target words ``placed``) without the English punctuation
        at its ends where the source had the punctuation of the mark's first or last word outside
        the mark."""
        covered = self.covered(mark)
        start, end = span
        text = self.block.text
        first_start = self.source[covered[0]][0]
        if first_start < mark.start and _only_punctuation(text[first_start:mark.start]):
            word_start, word_end = self.target[placed[0]]
            start += _leading_punctuation(self.out_text[word_start:word_end])
        last_end = self.source[covered[-1]][1]
        if mark.end < last_end and _only_punctuation(text[mark.end:last_end]):
            word_start, word_end = self.target[placed[1]]
            end -= _trailing_punctuation(self.out_text[word_start:word_end])
        return (start, end) if start < end else span

    # -- nesting ------------------------------------------------------------------------------
    def marks(self) -> tuple[Mark, ...]:
        block = self.block
        count = len(self.target)
        ranges: list[Span | None] = []  # inclusive word ranges; None for an element without words
        chars: list[Span] = []  # the placed marks' characters
        taken: dict[int, list[Span]] = {}
        parts = self._parts() if block.parts else {}
        waiting = self._text_siblings_after(parts)
        for index, mark in enumerate(block.marks):
            if mark.parent == NO_PARENT:
                parent: Span | None = (0, count - 1) if count else None
                parent_chars = (self.body_start, self.body_end)
            else:
                parent, parent_chars = ranges[mark.parent], chars[mark.parent]
                if parent is None:  # inside an element without words: at the same place
                    ranges.append(None)
                    chars.append((parent_chars[0], parent_chars[0]))
                    continue
            siblings = taken.setdefault(mark.parent, [])
            if index in parts:
                wanted, boundary = parts[index]
                placed = wanted
            else:
                covered = self.covered(mark)
                wanted = self.projected(covered) if covered else None
                boundary = wanted[0] if wanted else self.point(mark)
                placed = (_free_stretch(wanted, parent, siblings)
                          if wanted is not None and parent is not None else None)
                if placed is not None and parent is not None:
                    placed = _leaving_room(placed, parent, siblings, waiting[index])
            ranges.append(placed)
            if placed is not None:
                siblings.append(placed)
                span = (self.target[placed[0]][0], self.target[placed[1]][1])
                if index not in parts:
                    span = self.outside_punctuation(mark, span, placed)
                chars.append(_within(span, parent_chars))
                continue
            glued = self.glued_to(mark) if count else None
            if glued is not None:
                at = self.after_word(mark, glued)
            else:
                at = self._boundary_chars(_free_point(boundary, parent, siblings), parent)
            at = _within((at, at), parent_chars)[0]
            chars.append((at, at))
        self._out_of_siblings(ranges, chars)
        return tuple(Mark(start, end, mark.key, mark.parent)
                     for (start, end), mark in zip(chars, block.marks, strict=True))

    def _out_of_siblings(self, ranges: list[Span | None], chars: list[Span]) -> None:
        """Move every element placed without words out of a sibling's text it fell inside: to
        the sibling's end when it came after the sibling in the source, else to its start (its
        own children without words go with it)."""
        marks = self.block.marks
        with_words: dict[int, list[int]] = {}  # parent -> its children with words, by place
        for index, mark in enumerate(marks):
            if ranges[index] is not None:
                with_words.setdefault(mark.parent, []).append(index)
        for kids in with_words.values():
            kids.sort(key=lambda i: chars[i])
        starts = {parent: [chars[i][0] for i in kids] for parent, kids in with_words.items()}
        for index, mark in enumerate(marks):
            if ranges[index] is not None:
                continue
            at = chars[index][0]
            if mark.parent != NO_PARENT and ranges[mark.parent] is None:
                at = chars[mark.parent][0]
            elif mark.parent in with_words:
                # Siblings with words do not overlap: only the last one starting before ``at``
                # can hold it.
                before = bisect_left(starts[mark.parent], at) - 1
                if before >= 0:
                    other = with_words[mark.parent][before]
                    start, end = chars[other]
                    if start < at < end:
                        at = end if marks[other].end <= mark.start else start
            chars[index] = (at, at)

    def _text_siblings_after(self, parts: dict[int, tuple[Span | None, int]]) -> list[int]:
        """For each mark, how many of its later siblings cover words of the source (and so must
        get words of the translation)."""
        marks = self.block.marks
        after = [0] * len(marks)
        seen: dict[int, int] = {}
        for index in range(len(marks) - 1, -1, -1):
            parent = marks[index].parent
            after[index] = seen.get(parent, 0)
            if index not in parts and self.covered(marks[index]):
                seen[parent] = after[index] + 1
        return after

    def _boundary_chars(self, boundary: int, parent: Span | None) -> int:
        """The character position of a word boundary; the end of the parent's last word when the
        boundary is the parent's end (not the start of the next word, outside the parent)."""
        if parent is not None and boundary > parent[1]:
            return self.target[parent[1]][1]
        if boundary < len(self.target):
            return self.target[boundary][0]
        return self.body_end

    def _parts(self) -> dict[int, tuple[Span | None, int]]:
        """Cut the target words into the block's top-level parts, in order (see module doc)."""
        tops = [i for i, mark in enumerate(self.block.marks) if mark.parent == NO_PARENT]
        part_of_source: dict[int, int] = {}
        for k, index in enumerate(tops):
            for s in self.covered(self.block.marks[index]):
                part_of_source[s] = k
        gain = []  # gain[t][k]: alignment weight of target word t inside part k
        for sentence in self.layout:
            for t in range(len(sentence.target_words)):
                row = [0.0] * len(tops)
                for local, weight in enumerate(sentence.alignment.weights[t]):
                    part = part_of_source.get(sentence.source_words[0] + local)
                    if part is not None:
                        row[part] += weight
                gain.append(row)
        cuts = spread(gain, len(tops))
        return {index: ((cuts[k], cuts[k + 1] - 1) if cuts[k + 1] > cuts[k] else None, cuts[k])
                for k, index in enumerate(tops)}


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _only_punctuation(text: str) -> bool:
    """Whether ``text`` is punctuation (or other signs) only: not empty, no letter or digit."""
    return bool(text) and not _has_alnum(text)


def _trailing_punctuation(word: str) -> int:
    """How many characters at the end of ``word`` are not letters or digits (0 for a word
    without any letter or digit: it is not cut)."""
    if not _has_alnum(word):
        return 0
    return next(i for i, c in enumerate(reversed(word)) if c.isalnum())


def _leading_punctuation(word: str) -> int:
    """How many characters at the start of ``word`` are not letters or digits (0 for a word
    without any letter or digit)."""
    if not _has_alnum(word):
        return 0
    return next(i for i, c in enumerate(word) if c.isalnum())


def _within(span: Span, outer: Span) -> Span:
    """``span`` cut back to ``outer``."""
    start = min(max(span[0], outer[0]), outer[1])
    return start, min(max(span[1], start), outer[1])


# A word inside a mark's stretch that is not aligned into it costs half what an aligned one
# gains: a one-word gap between aligned words is bridged, a lone outlier far away is not.
UNLINKED_COST = 0.5


def densest(linked: set[int], first: int, last: int) -> Span:
    """The stretch of words ``first..last`` that holds the most of the ``linked`` words for the
    fewest others (the longest of equals): where a mark's words are, without the stray links of a
    weak alignment pulling it over the whole sentence and its neighbours' words."""
    best, best_span = float("-inf"), (min(linked), max(linked))
    run, run_start = 0.0, first
    for w in range(first, last + 1):
        if run < 0:
            run, run_start = 0.0, w
        run += 1.0 if w in linked else -UNLINKED_COST
        if w in linked and (run > best or (run == best and w - run_start > best_span[1] - best_span[0])):
            best, best_span = run, (run_start, w)
    lo = min(w for w in linked if w >= best_span[0])
    return lo, best_span[1]


def _free_point(boundary: int, parent: Span | None, siblings: list[Span]) -> int:
    """``boundary`` moved inside ``parent`` and out of any sibling's words; a point at a sibling's
    first word goes after its words too, since every sibling placed before came first in the
    source."""
    if parent is not None:
        boundary = max(parent[0], min(boundary, parent[1] + 1))
    for lo, hi in siblings:
        if lo <= boundary <= hi:
            boundary = hi + 1
    return boundary


def _leaving_room(placed: Span, parent: Span, siblings: list[Span], waiting: int) -> Span:
    """``placed`` cut short, from its end, to leave a free word of ``parent`` for each of the
    ``waiting`` siblings with words still to place (when the parent has that many): a weak
    alignment may give one mark every word, and its neighbours would come back empty."""
    free = sum(1 for w in range(parent[0], parent[1] + 1)
               if not any(a <= w <= b for a, b in siblings))
    room = max(1, free - waiting)
    return placed if placed[1] - placed[0] + 1 <= room else (placed[0], placed[0] + room - 1)


def _free_stretch(wanted: Span, parent: Span, siblings: list[Span]) -> Span | None:
    """The longest stretch of ``wanted`` inside ``parent`` that no sibling holds; else the free
    word of ``parent`` nearest to it; else ``None``."""
    lo, hi = max(wanted[0], parent[0]), min(wanted[1], parent[1])
    free = [w for w in range(parent[0], parent[1] + 1)
            if not any(a <= w <= b for a, b in siblings)]
    if not free:
        return None
    best: Span | None = None
    run_start: int | None = None
    for w in range(lo, hi + 2):
        if w <= hi and w in free:
            run_start = w if run_start is None else run_start
        elif run_start is not None:
            if best is None or w - 1 - run_start > best[1] - best[0]:
                best = (run_start, w - 1)
            run_start = None
    if best is not None:
        return best
    centre = (wanted[0] + wanted[1]) / 2
    nearest = min(free, key=lambda w: (abs(w - centre), w))
    return (nearest, nearest)


# A part left without words loses more than any alignment weight can make up for.
EMPTY_PART_COST = 1_000.0


def spread(gain: list[list[float]], parts: int) -> list[int]:
    """Cut points ``0 = c0 <= c1 <= ... <= c_parts = len(gain)`` that maximise the weight each
    target word carries into its part (``gain[t][k]``), every part non-empty when there are enough
    words. Dynamic programming over (part, cut), O(parts x words^2)."""
    n = len(gain)
    if parts == 0:
        return [0]
    prefix = [[0.0] * (n + 1) for _ in range(parts)]
    for k in range(parts):
        for t in range(n):
            prefix[k][t + 1] = prefix[k][t] + gain[t][k]
    minus_inf = float("-inf")
    best = [[minus_inf] * (n + 1) for _ in range(parts + 1)]
    back = [[0] * (n + 1) for _ in range(parts + 1)]
    best[0][0] = 0.0
    for k in range(1, parts + 1):
        for end in range(n + 1):
            for start in range(end + 1):
                if best[k - 1][start] == minus_inf:
                    continue
                value = best[k - 1][start] + prefix[k - 1][end] - prefix[k - 1][start]
                if end == start:
                    value -= EMPTY_PART_COST
                if value > best[k][end]:
                    best[k][end], back[k][end] = value, start
    cuts = [n]
    for k in range(parts, 0, -1):
        cuts.append(back[k][cuts[-1]])
    return cuts[::-1]
