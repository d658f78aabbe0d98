"""Checks that a translation did not go wrong in one of the ways neural MT typically does.

Each check is a pure function of the source sentence and its translation and answers with a flag
name or nothing. The thresholds are set so that published OPUS-MT output and human references on
FLORES-200, TICO-19 and NTREX-128 are (almost) never flagged, while a loop, an untranslated name or
a dropped figure is.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from tarjama.script import ARABIC_LETTERS, WESTERN_DIGITS

REPETITION = "repetition"
ARABIC_IN_OUTPUT = "arabic_in_output"
LENGTH_RATIO = "length_ratio"
MISSING_NUMBER = "missing_number"
FLAGS = (REPETITION, ARABIC_IN_OUTPUT, LENGTH_RATIO, MISSING_NUMBER)

#: English characters per Arabic character; on the reference sets 99.9 % of sentence pairs lie in
#: 0.43-2.2, so only a translation cut short or run on falls outside.
MIN_LENGTH_RATIO = 0.35
MAX_LENGTH_RATIO = 2.5
#: Below this many source characters ("نعم." -> "Yes, indeed.") the ratio says nothing.
MIN_RATIO_SOURCE_CHARS = 20
#: A phrase of up to MAX_LOOP_WORDS words said this many times in a row is a decoding loop
#: ("the minister said that the minister said that the minister said that").
LOOP_REPEATS = 3
MAX_LOOP_WORDS = 8
#: One word repeated this many times in a row ("very very very very").
WORD_REPEATS = 4
#: One to three characters repeated this many times inside a word ("DDDDDDDD", "ututututut").
CHAR_REPEATS = 6
#: In the source a looser test: an Arabic word stretched for emphasis ("لااااا") excuses a loop.
SOURCE_CHAR_REPEATS = 4

_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,:،]\d+)*")
_SMALL_NUMBERS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
]
_ORDINALS = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
]
_ROMAN = [
    "-", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
    "xv", "xvi", "xvii", "xviii", "xix", "xx",
]


def repetition(source: str, translation: str) -> str | None:
    """A phrase or word said again and again, or characters looping inside a word.

    A source that repeats itself ("لا، لا، لا", "لااااا") may be translated with repeats.
    """
    if (_loops(translation, CHAR_REPEATS, WORD_REPEATS, LOOP_REPEATS)
            and not _loops(source, SOURCE_CHAR_REPEATS, LOOP_REPEATS, LOOP_REPEATS)):
        return REPETITION
    return None


def arabic_in_output(source: str, translation: str) -> str | None:
    """Arabic letters left in the English: an untranslated word or name."""
    return ARABIC_IN_OUTPUT if _ARABIC_LETTER.search(translation) else None


def length_ratio(source: str, translation: str) -> str | None:
    """A translation much shorter (cut off) or much longer (run on) than its source."""
    source_chars = len(source.strip())
    if source_chars < MIN_RATIO_SOURCE_CHARS:
        return None
    ratio = len(translation.strip()) / source_chars
    return LENGTH_RATIO if not MIN_LENGTH_RATIO <= ratio <= MAX_LENGTH_RATIO else None


def missing_number(source: str, translation: str) -> str | None:
    """A number of the source that the translation does not give, in digits or in words.

    ``٢٠٢٠`` and ``2020`` are the same number, ``1,500`` and ``1500`` too, and ``5 آلاف``
    ("5 thousand") may come out as ``5,000``; numbers up to twenty may be written as words
    ("two", "second") or Roman numerals ("type II").
    """
    found = _numbers(translation)
    words = {w.lower() for w in _WORD.findall(translation)}
    for number in _numbers(source):
        if number in found or _scaled(number) & found:
            continue
        if int(number) <= len(_SMALL_NUMBERS) - 1 and words & {
                _SMALL_NUMBERS[int(number)], _ORDINALS[int(number)], _ROMAN[int(number)]}:
            continue
        return MISSING_NUMBER
    return None


CHECKS: tuple[Callable[[str, str], str | None], ...] = (
    repetition, arabic_in_output, length_ratio, missing_number)


def check(source: str, translation: str) -> tuple[str, ...]:
    """The flags of every check that ``translation`` of ``source`` fails, in the order of FLAGS."""
    return tuple(flag for guard in CHECKS if (flag := guard(source, translation)))


def _loops(text: str, char_repeats: int, word_repeats: int, phrase_repeats: int) -> bool:
    if re.search(rf"([^\W\d_]{{1,3}}?)\1{{{char_repeats - 1},}}", text):
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    for size in range(1, MAX_LOOP_WORDS + 1):
        needed = word_repeats if size == 1 else phrase_repeats
        for start in range(len(words) - size * needed + 1):
            phrase = words[start:start + size]
            if all(words[start + k * size:start + (k + 1) * size] == phrase for k in range(1, needed)):
                return True
    return False


def _numbers(text: str) -> set[str]:
    """The numbers of ``text`` as digit strings: separators and leading zeros dropped.

    Comparing digits alone makes ``١٢:٠٠``, ``12:00``, ``12.00`` and ``1200`` one number, and
    ``1,500`` and ``1500`` too; that ``3.5`` and ``35`` also match costs little.
    """
    return {re.sub(r"\D", "", match.group()).lstrip("0") or "0"
            for match in _NUMBER.finditer(text.translate(WESTERN_DIGITS))}


def _scaled(number: str) -> set[str]:
    # "5 آلاف" is 5,000, "الساعة 4" is 04:00.
    return {number + zeros for zeros in ("00", "000", "000000", "000000000")} if number != "0" else set()
