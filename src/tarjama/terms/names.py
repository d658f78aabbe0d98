"""One rendering of each name throughout a document.

Each sentence is translated alone, so a name said in several sentences may come out spelt several
ways (Kadhimi / Kazemi). A name is recognised without a dictionary: an Arabic word and a
capitalised English word of the same sentence's translation whose consonants agree, letter class
by letter class (ظ may be z or dh, ق may be q, k or g; vowels, و, ي, ع and hamza are not
compared; the article ال against al- or el- is dropped). When one Arabic word has two or more such
renderings in a document, every one becomes the glossary's rendering of the word if it has one,
else the most frequent (the first on a tie), and each sentence records what changed.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tarjama.terms.arabic import ARTICLE, clitic_readings, folded_words

# Consonant classes. Each Arabic letter may stand for several (ذ is d, z or th in names).
_ARABIC_CLASSES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "ب": "B", "ت": "T", "ث": "ST", "ج": "G", "ح": "H", "خ": "KH", "د": "D", "ذ": "SDT", "ر": "R",
    "ز": "S", "س": "S", "ش": "C", "ص": "S", "ض": "DS", "ط": "T", "ظ": "SD", "غ": "G", "ف": "F",
    "ق": "KG", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "چ": "C", "گ": "G",
    "ڤ": "F",
}.items()}
_ENGLISH_DIGRAPHS = {"sh": "C", "ch": "C", "kh": "K", "gh": "G", "th": "T", "dh": "D", "ph": "F",
                     "ck": "K", "ts": "S"}
_ENGLISH_LETTERS = {"b": "B", "p": "B", "t": "T", "g": "G", "j": "G", "h": "H", "d": "D",
                    "r": "R", "s": "S", "z": "S", "f": "F", "v": "F", "q": "K", "k": "K", "c": "K",
                    "l": "L", "m": "M", "n": "N", "x": "K"}
# A consonant in the same class as one of two (dh is D, matching ذ, ض and ظ; th is T, matching ث).
_ENGLISH_NAME = re.compile(r"\b(?:[Aa]l-|[Ee]l-|[Aa][dnrst]-)?[A-Z][a-z]+(?:-[A-Z][a-z]+)*\b")
_ENGLISH_ARTICLE = re.compile(r"^(?:[Aa]l|[Ee]l|[Aa][dnrst])-")
#: Names shorter than this many consonants (عمر against "Amr", "Omar" and "Umar") match too much.
MIN_CONSONANTS = 3


def arabic_skeleton(word: str) -> tuple[frozenset[str], ...]:
    """The consonant classes of a folded Arabic word, its article dropped, a final ه (teh
    marbuta) too."""
    if word.startswith(ARTICLE) and len(word) > 3:
        word = word[2:]
    if word.endswith("ه"):
        word = word[:-1]
    skeleton: list[frozenset[str]] = []
    for letter in word:
        classes = _ARABIC_CLASSES.get(letter)
        if classes and not (skeleton and skeleton[-1] == classes):  # a doubled letter (shadda)
            skeleton.append(classes)
    return tuple(skeleton)


def english_skeleton(name: str) -> tuple[str, ...]:
    """The consonant classes of an English rendering of a name, its article dropped."""
    word = _ENGLISH_ARTICLE.sub("", name).lower().replace("-", "")
    skeleton: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _ENGLISH_DIGRAPHS:
            cls, i = _ENGLISH_DIGRAPHS[pair], i + 2
        else:
            cls, i = _ENGLISH_LETTERS.get(word[i], ""), i + 1
        if cls and not (skeleton and skeleton[-1] == cls):  # Hassan, Mohammed
            skeleton.append(cls)
    return tuple(skeleton)


def same_name(arabic: tuple[frozenset[str], ...], english: tuple[str, ...]) -> bool:
    """Whether an Arabic and an English skeleton can be the same name."""
    return (len(arabic) == len(english) >= MIN_CONSONANTS
            and all(e in a or (e == "H" and "K" in a) for a, e in zip(arabic, english, strict=True)))


@dataclass(frozen=True)
class NameChange:
    """A name made consistent in one sentence: the Arabic word, the rendering the model wrote,
    the one the document uses."""

    arabic: str
    before: str
    after: str

    def to_record(self) -> dict[str, str]:
        """The JSON form of this change."""
        return {"arabic": self.arabic, "from": self.before, "to": self.after}


def _names_in(source: str, translation: str) -> dict[str, tuple[str, str]]:
    """Arabic words of ``source`` (by stem) with the English name of ``translation`` they match:
    stem → (Arabic as written, English)."""
    candidates = [(m.group(), english_skeleton(m.group()))
                  for m in _ENGLISH_NAME.finditer(translation)]
    found: dict[str, tuple[str, str]] = {}
    for word, start, end in folded_words(source):
        for _, stem in clitic_readings(word):
            skeleton = arabic_skeleton(stem)
            key = stem[2:] if stem.startswith(ARTICLE) else stem
            match = next((name for name, english in candidates if same_name(skeleton, english)),
                         None)
            if match is not None and key not in found:
                found[key] = (source[start:end], match)
                break
    return found


def consistent_names(sources: Sequence[str], translations: Sequence[str],
                     preferred: dict[str, str] | None = None,
                     fixed: Sequence[Sequence[str]] | None = None
                     ) -> list[tuple[str, tuple[NameChange, ...]]]:
    """The translations of one document's sentences with each name rendered one way, and the
    changes made in each; ``preferred`` maps a folded Arabic word (article dropped) to the
    rendering to use (a glossary's); ``fixed`` lists, per sentence, renderings never to touch
    (the glossary's renderings applied there)."""
    per_sentence = [_names_in(s, t) for s, t in zip(sources, translations, strict=True)]
    renderings: dict[str, Counter[str]] = {}
    first: dict[str, list[str]] = {}
    for names in per_sentence:
        for key, (_, english) in names.items():
            renderings.setdefault(key, Counter())[english] += 1
            first.setdefault(key, []).append(english)
    chosen = {}
    for key, counts in renderings.items():
        if len(counts) < 2:
            continue
        best = max(counts.values())
        chosen[key] = (preferred or {}).get(key) or next(
            name for name in first[key] if counts[name] == best)
    results = []
    for k, (translation, names) in enumerate(zip(translations, per_sentence, strict=True)):
        changes = []
        kept = fixed[k] if fixed else ()
        for key, (arabic, english) in names.items():
            target = chosen.get(key)
            if target and target != english and not any(english in rendering for rendering in kept):
                translation = re.sub(rf"\b{re.escape(english)}\b", target, translation)
                changes.append(NameChange(arabic, english, target))
        results.append((translation, tuple(changes)))
    return results
