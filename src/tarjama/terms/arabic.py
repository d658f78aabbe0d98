"""How Arabic words are compared: folded spelling variants, and the clitics attached to a word.

News spells one word several ways (أحمد / احمد, مصطفى / مصطفي, الجزيرة / الجزيره, with or without
harakat and tatweel), and writes the conjunctions و and ف, the prepositions ب, ل and ك onto the word
that follows; ل before the article ال drops its alef (ل + الكاظمي → للكاظمي). Matching folds the
spellings and tries each way a clitic may be attached.
"""
from __future__ import annotations

import re

from tarjama.script import ARABIC_LETTERS, DIACRITICS, TATWEEL

#: Spelling variants folded to one letter: hamzated alefs and alef wasla to bare alef, alef maqsura
#: to yeh, teh marbuta to heh.
_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_DROPPED = re.compile(f"[{DIACRITICS}{TATWEEL}]")
# Harakat, hamza marks and tatweel belong to the word they are written on.
WORD = re.compile(f"[{ARABIC_LETTERS}][{ARABIC_LETTERS}{DIACRITICS}\u0653-\u0655{TATWEEL}]*|[^\\W_]+")
#: Clitics written onto a word, outermost first: a conjunction, then a preposition.
CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
ARTICLE = "ال"


def fold_word(word: str) -> str:
    """``word`` as matching sees it: no harakat or tatweel, one form of alef, yeh and teh marbuta."""
    return _DROPPED.sub("", word).translate(_FOLDS)


def folded_words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text``, folded, each with its span in ``text``."""
    return [(fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(text)]


def clitic_readings(word: str) -> list[tuple[str, str]]:
    """Every way to read a folded ``word`` as clitics + stem, the bare word first.

    ``للكاظمي`` reads as ``("", "للكاظمي")``, ``("ل", "لكاظمي")`` and ``("ل", "الكاظمي")``: the
    alef that ل drops from the article is put back.
    """
    readings = []
    for conjunction in CONJUNCTIONS:
        if not word.startswith(conjunction):
            continue
        for preposition in PREPOSITIONS:
            clitic = conjunction + preposition
            if not word.startswith(clitic) or len(word) - len(clitic) < 2:
                continue
            readings.append((clitic, word[len(clitic):]))
            if preposition == "ل" and word.startswith(clitic + "ل"):
                readings.append((clitic, "ا" + word[len(clitic):]))
    return readings
