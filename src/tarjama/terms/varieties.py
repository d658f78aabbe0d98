"""Arabic that is not Modern Standard Arabic: Arabizi, and sentences heavy with dialect.

The translation models read MSA. A user should know why a sentence came out badly:

- ``arabizi``: Arabic in Latin letters, digits standing for letters that Latin lacks (3 for ع,
  7 for ح, 2 for ء, 5 for خ, 9 for ق or ص), as in "ana msh 3aref". It has no Arabic letters, so it
  is passed through untranslated like English, and flagged so that nobody takes it for English.
- ``dialect``: an Arabic sentence with several words that MSA does not use (Egyptian مش، ده،
  عايز; Levantine هيك، شو، بدي; Gulf وايد، شلون; Iraqi شكو، ماكو; Maghrebi بزاف، ديال).

Both are word lists and a digit-in-word pattern, kept as data below; their accuracy on a small
labelled list is measured by ``benchmarks/varieties_accuracy.py`` (table in docs/varieties.md).
"""
from __future__ import annotations

import re

from tarjama.terms.arabic import clitic_readings, fold_word, folded_words

ARABIZI = "arabizi"
DIALECT = "dialect"

#: Arabizi words that are neither English nor common in other languages written in Latin letters
#: (so no "fi", "el", "ana", "bas": English and Spanish texts have them).
ARABIZI_WORDS = frozenset([
    "enta", "enti", "inta", "inti", "howa", "heya", "hiya", "e7na", "ehna", "i7na", "ana2",
    "msh", "mesh", "mish", "mush", "mashi", "mafi", "mafeesh", "wallah", "wallahi", "walla",
    "yalla", "yallah", "habibi", "habibti", "7abibi", "7abibti", "shukran", "inshallah",
    "insha2allah", "ya3ni", "yaani", "ya3ny", "kteer", "ktir", "kter", "ketir", "leh", "lesh",
    "laish", "leish", "ezay", "ezzay", "izzay", "keda", "kda", "kaman", "shu", "shou", "sho",
    "eish", "wayn", "fein", "feen", "fen", "hala2", "halla2", "delwa2ti", "dilwa2ti", "dlw2ty",
    "ahlan", "marhaba", "tayeb", "tayyeb", "3ashan", "3lshan", "3shan", "3ala", "3la", "ma3",
    "ma3a", "bta3", "beta3", "btaa3", "7elw", "helw", "ba2a", "3arif", "3aref", "ma3rafsh",
    "mabaref", "ba7ebak", "bahebak", "ba7bek", "2alb", "2albi", "3ayez", "3ayza", "3awez",
    "3ayz", "3amel", "3amla", "3amlin", "mabsoot", "mabsout", "ma3lesh", "ma3lish", "mashallah",
    "alhamdulillah", "7aga", "haga", "7ad", "7ada", "bokra", "bukra", "embare7", "mbare7",
    "ezayak", "ezayek", "izayak", "kifak", "kifik", "keefak", "shlonak", "shlon", "wayed",
    "zain", "zein", "5alas", "khalas", "5ales", "akeed", "2ahwa", "ahwa", "na3am", "la2",
    "yaba", "yama", "3omri", "3omry", "wala",
    # A digit at a word's end is not read as a letter (mp3, g7), so these are listed.
    "ra7", "ro7", "rou7", "sa7", "mni7", "mnee7", "ta3", "2ollak", "a2ollak", "ba2ollak",
])
#: A digit that stands for a letter: between letters or before one (3arab, ma3a, 2alb), never a
#: number with a unit or a model name (4x4, mp3, covid19, g7, 5g: a digit then one letter ends no
#: Arabizi word here).
_DIGIT_LETTER = re.compile(r"^(?:[a-z]*[235789][a-z]{2,}|[a-z]+[235789][a-z]+)$")
_LATIN_WORD = re.compile(r"[A-Za-z0-9']+")
#: An Arabizi sentence: this many digit-letter words, or this many of the words above ...
ARABIZI_MIN_DIGIT_WORDS = 2
ARABIZI_MIN_WORDS = 2
#: ... or one of each.

#: Words of the spoken dialects that MSA does not use, folded (see tarjama.terms.arabic.fold_word).
#: Words that are also MSA (يعني, عم "uncle", راح "went", زي "attire", ماشي "walking") or common
#: in names (زين, شي as in Xi Jinping, دا as in da Silva) are left out; بس is kept (MSA writes لكن
#: or فقط).
DIALECT_WORDS = frozenset(fold_word(w) for w in [
    "مش", "مو", "ده", "دي", "كده", "كدا", "ازاي", "إزاي", "ليه", "عايز", "عايزه", "عاوز",
    "عاوزه", "عايزين", "بتاع", "بتاعت", "بتوع", "دلوقتي", "اوي", "أوي", "خالص", "لسه", "برضه",
    "برضو", "امبارح", "إمبارح", "فين", "ايه", "إيه", "علشان", "عشان", "اهو", "أهو", "احنا",
    "إحنا", "انتو", "إنتو", "هيك", "شو", "هلق", "هلأ", "بدي", "بدك", "بده", "بدها", "بدنا",
    "منيح", "كتير", "هون", "هونيك", "لسا", "حدا", "هاد", "هادا", "هادي", "هيدا", "هيدي", "هاي",
    "هاديك", "مافي", "ليش", "وين", "كيفك", "شلون", "وايد", "الحين", "شنو", "شكو", "ماكو", "اكو",
    "أكو", "هواية", "شكد", "لعد", "چا", "ياخي", "اشلون", "بزاف", "ديال", "دابا", "واش", "كيفاش",
    "علاش", "فاش", "برشا", "توا", "باهي", "ياسر", "مزيان", "بصح", "كاين", "كاينة", "اللي",
    "ايش", "إيش", "بس", "يلا", "خلاص",
    # Gulf "want" (MSA يريد); not ابي or نبي, which MSA reads "my father" and "prophet".
    "تبي", "تبين", "تبون", "يبي", "يبون", "تبغى", "تبغين", "ابغى", "يبغى", "نبغى", "وش", "شفيك",
])
#: A sentence is dialect when it has this many dialect words, or when they are this share of its
#: words (a short quote: "مش عارف").
DIALECT_MIN_WORDS = 2
DIALECT_MIN_SHARE = 0.25


def is_arabizi(text: str) -> bool:
    """Whether ``text`` (with no Arabic letters to speak of) is Arabic written in Latin letters."""
    words = [w.lower().strip("'") for w in _LATIN_WORD.findall(text)]
    digit_words = sum(1 for w in words if _DIGIT_LETTER.match(w))
    known = sum(1 for w in words if w in ARABIZI_WORDS)
    return (digit_words >= ARABIZI_MIN_DIGIT_WORDS or known >= ARABIZI_MIN_WORDS
            or (digit_words >= 1 and known >= 1))


def dialect_words(text: str) -> list[str]:
    """The words of ``text`` that belong to a spoken dialect, clitics aside (ومش, فبدي)."""
    found = []
    for word, start, end in folded_words(text):
        if any(stem in DIALECT_WORDS for _, stem in clitic_readings(word)):
            found.append(text[start:end])
    return found


def is_dialect(text: str) -> bool:
    """Whether ``text`` is heavy with dialect words."""
    words = len(folded_words(text))
    found = len(dialect_words(text))
    return found >= DIALECT_MIN_WORDS or (words > 0 and found / words >= DIALECT_MIN_SHARE)
