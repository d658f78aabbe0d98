"""A glossary: Arabic terms and the English each must be rendered as, guaranteed in the output.

A glossary file has one term per line: the Arabic term, its English rendering and, optionally,
notes; tab-separated (``.tsv``, or any file whose first line has a tab) or comma-separated with
CSV quoting (``.csv``; or semicolons, where only they cut the first line into a term and its
rendering). It is read as any text input is (UTF-8, UTF-16/32 with a byte order mark,
Windows-1256). A first line whose term has no Arabic letter is a header. Lines starting with
``#`` and blank lines are skipped.

A term matches a model input after tarjama's normalisation, with spelling variants folded
(:func:`~tarjama.terms.arabic.fold_word`) and with any clitics attached to its first word
(:func:`~tarjama.terms.arabic.clitic_readings`), the longest term first. How the rendering is
guaranteed is described in ``docs/glossary.md``: the rendering goes into the model input in place
of the term (the model copies Latin names); where the output lacks it, it replaces the English
words aligned to it (:mod:`tarjama.terms.aligned`), and a sentence that cannot be aligned is
translated again with the rendering cut out and put back in place, as URLs are.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tarjama.errors import Advice, InputError
from tarjama.script import ARABIC_LETTERS
from tarjama.terms.arabic import ARTICLE, WORD, clitic_readings, folded_words
from tarjama.textio import decode

_ARABIC = re.compile(f"[{ARABIC_LETTERS}]")
_FORMAT = "each line is: Arabic term, English rendering, optional notes (tab- or comma-separated)"
_CSV_DELIMITERS = (",", ";")
# Clitics written onto a Latin word keep a tatweel, as news writes them (لـ Reuters); و and ف
# alone are written with a space.
_JOINED = ("ب", "ل", "ك")


@dataclass(frozen=True)
class Term:
    """One glossary entry: ``arabic`` as written in the file, ``english`` its rendering."""

    arabic: str
    english: str
    notes: str = ""
    line: int = 0

    @property
    def words(self) -> tuple[str, ...]:
        """The term's words, folded."""
        return tuple(word for word, _, _ in folded_words(self.arabic))


@dataclass(frozen=True)
class TermMatch:
    """A term found in a model input: its span there, the clitics attached, and the entry."""

    start: int
    end: int
    clitic: str
    term: Term


@dataclass(frozen=True)
class TermUse:
    """How a glossary term was applied in one sentence: the text matched (in the normalised model
    input), the entry's Arabic and English, and ``method``: ``inline`` (the model copied the
    rendering), ``aligned`` (it did not; the rendering replaced the English words aligned to it),
    ``verbatim`` (the sentence could not be aligned; it was translated again with the rendering
    cut out and put back) or ``missing`` (the output lacks it: flagged, never silent)."""

    matched: str
    term: str
    english: str
    method: str

    def to_record(self) -> dict[str, str]:
        """The JSON form of this use."""
        return {"matched": self.matched, "term": self.term, "english": self.english,
                "method": self.method}


INLINE = "inline"
ALIGNED = "aligned"
VERBATIM = "verbatim"
MISSING = "missing"
#: The flag of a sentence with a glossary term its English lacks.
TERM_MISSING = "term_missing"


@dataclass(frozen=True)
class Protected:
    """A model input with each matched term replaced by its rendering; ``spans`` locate the
    renderings in ``text``."""

    text: str
    matches: tuple[TermMatch, ...]
    spans: tuple[tuple[int, int], ...]


class Glossary:
    """Terms and their renderings, indexed for matching; ``digest`` identifies the content."""

    def __init__(self, terms: Iterable[Term], name: str = "glossary"):
        self.terms = tuple(terms)
        self.name = name
        self._by_first: dict[str, list[tuple[tuple[str, ...], Term]]] = {}
        for term in self.terms:
            words = term.words
            self._by_first.setdefault(words[0], []).append((words, term))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: (-len(c[0]), -sum(map(len, c[0]))))
        content = "\n".join(f"{t.arabic}\t{t.english}" for t in sorted(
            self.terms, key=lambda t: (t.arabic, t.english)))
        self.digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.terms)

    def single_words(self) -> dict[str, str]:
        """The one-word terms, folded and without the article, with their renderings: the
        renderings :mod:`tarjama.terms.names` prefers for those names."""
        return {words[0][2:] if words[0].startswith(ARTICLE) else words[0]: term.english
                for term in self.terms if len(words := term.words) == 1}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glossary) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Glossary:
        """Read a glossary file; an :class:`~tarjama.errors.InputError` names the file and line
        of any problem."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"glossary {path}: no such file",
                             Advice("glossary", "give an existing file with {}", metavar="FILE")) from None
        except IsADirectoryError:
            raise InputError(f"glossary {path}: is a folder, not a file") from None
        except OSError as err:
            raise InputError(f"glossary {path}: cannot be read ({err.strerror})") from None
        try:
            # Read as any text input is: spreadsheets save UTF-16 ("Unicode text") or Windows-1256.
            text = decode(data, f"glossary {path}").text
        except InputError as err:
            if err.advice is None:  # the problem says what to do already
                raise
            raise InputError(f"{err.problem}; save the file as UTF-8") from None
        return cls(parse_glossary(text, str(path), path.suffix.lower() == ".csv"), path.name)

    def find(self, text: str) -> tuple[TermMatch, ...]:
        """Every term in ``text``, left to right; at each word the longest term that matches."""
        words = folded_words(text)
        found: list[TermMatch] = []
        i = 0
        while i < len(words):
            best: tuple[int, int, str, Term] | None = None  # (words, chars, clitic, term)
            for clitic, stem in clitic_readings(words[i][0]):
                for term_words, term in self._by_first.get(stem, ()):
                    size = len(term_words)
                    if best is not None and (size, sum(map(len, term_words))) <= best[:2]:
                        continue
                    if _follows(text, words, i, term_words):
                        best = (size, sum(map(len, term_words)), clitic, term)
            if best is None:
                i += 1
                continue
            size, _, clitic, term = best
            found.append(TermMatch(words[i][1], words[i + size - 1][2], clitic, term))
            i += size
        return tuple(found)

    def protect(self, text: str) -> Protected:
        """``text`` with each term replaced by its English rendering, clitics kept in Arabic."""
        matches = self.find(text)
        out, spans, position = [], [], 0
        for match in matches:
            out.append(text[position:match.start])
            if match.clitic:
                # The preposition stays attached; a conjunction alone is its own word.
                joined = match.clitic[-1] in _JOINED
                out.append(match.clitic + ("ـ " if joined else " "))
            start = sum(map(len, out))
            out.append(match.term.english)
            spans.append((start, start + len(match.term.english)))
            position = match.end
        out.append(text[position:])
        return Protected("".join(out), matches, tuple(spans))


def lacking(protected: Protected, output: str) -> frozenset[int]:
    """The matches of ``protected`` (by index) whose rendering ``output`` holds fewer times than
    the input did (case aside, so a rendering may start the sentence with a capital): every match
    of such a rendering."""
    folded = " ".join(output.split()).casefold()
    keys = [" ".join(match.term.english.split()).casefold() for match in protected.matches]
    needed = Counter(keys)
    return frozenset(k for k, key in enumerate(keys) if folded.count(key) < needed[key])


def has_rendering(output: str, protected: Protected) -> bool:
    """Whether ``output`` holds every rendering as often as ``protected`` put it in."""
    return not lacking(protected, output)


def uses(protected: Protected, source: str, output: str,
         methods: Sequence[str]) -> tuple[TermUse, ...]:
    """The record of each match of ``protected`` (whose model input was ``source``) in
    ``output``: its method in ``methods``, or ``missing`` where the output lacks the rendering."""
    folded = output.casefold()
    return tuple(TermUse(source[m.start:m.end], m.term.arabic, m.term.english,
                         method if m.term.english.casefold() in folded else MISSING)
                 for m, method in zip(protected.matches, methods, strict=True))


def _follows(text: str, words: list[tuple[str, int, int]], i: int,
             term_words: tuple[str, ...]) -> bool:
    """Whether the words after word ``i`` are the rest of ``term_words``, separated by spaces only."""
    if i + len(term_words) > len(words):
        return False
    for k in range(1, len(term_words)):
        word, start, _ = words[i + k]
        if word != term_words[k] or text[words[i + k - 1][2]:start].strip():
            return False
    return True


def _csv_delimiter(line: str) -> str:
    """The delimiter that cuts a glossary's first line into 2 or 3 cells, the first of them a term
    (or a header's name): a comma, or the semicolon that spreadsheets in many locales write (a
    comma when neither or both do)."""
    def fits(delimiter: str) -> bool:
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        first = cells[0].strip() if cells else ""
        return len(cells) in (2, 3) and (not _ARABIC.search(first) or all(
            WORD.fullmatch(word) for word in first.split()))

    return ";" if not fits(",") and fits(";") else ","


def parse_glossary(text: str, name: str, comma: bool = False) -> list[Term]:
    """The terms of a glossary file's ``text``; ``name`` is how errors name the file."""
    lines = text.splitlines()
    head = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    tabbed = not comma and ("\t" in head or not any(mark in head for mark in _CSV_DELIMITERS))
    delimiter = _csv_delimiter(head)
    terms: list[Term] = []
    first_line: dict[str, Term] = {}
    seen_a_line = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in (line.split("\t") if tabbed
                                     else next(csv.reader(io.StringIO(line), delimiter=delimiter)))]
        where = f"glossary {name} line {number}"
        first, seen_a_line = not seen_a_line, True
        if first and not _ARABIC.search(cells[0]):
            continue  # a header
        if len(cells) < 2 or not cells[1]:
            raise InputError(f"{where}: no English rendering; {_FORMAT}")
        if len(cells) > 3:
            raise InputError(f"{where}: {len(cells)} columns; {_FORMAT}")
        arabic, english = cells[0], " ".join(cells[1].split())
        if not _ARABIC.search(arabic):
            raise InputError(f"{where}: the term {arabic!r} has no Arabic letter; {_FORMAT}")
        if not WORD.fullmatch("".join(arabic.split())) and not all(
                WORD.fullmatch(w) for w in arabic.split()):
            raise InputError(f"{where}: the term {arabic!r} is not words separated by spaces "
                             "(no punctuation inside a term)")
        term = Term(arabic, english, cells[2] if len(cells) > 2 else "", number)
        key = " ".join(term.words)
        if key in first_line:
            other = first_line[key]
            if other.english != english:
                raise InputError(f"{where}: {arabic!r} is also on line {other.line} as "
                                 f"{other.english!r}, here as {english!r}; keep one rendering")
            continue
        first_line[key] = term
        terms.append(term)
    if not terms:
        raise InputError(f"glossary {name}: no terms; {_FORMAT}")
    return terms

