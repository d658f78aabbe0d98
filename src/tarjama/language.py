"""How much of a text is Arabic: decides whether a text needs translating."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tarjama.script import ARABIC_LETTERS, PERSIAN_URDU_LETTERS, TATWEEL

_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_ANY_LETTER = re.compile(f"[^\\W\\d_{TATWEEL}]")
# Arabic news writes a foreign name with پ, چ or گ now and then, so one or two of them, or a small share, are
# still Arabic; Persian writes every yeh and kaf as ی and ک, so its share is far higher.
_PERSIAN_URDU_LETTER = re.compile(f"[{PERSIAN_URDU_LETTERS}]")
#: From this share of Persian/Urdu-only letters among the Arabic-script ones, a text is read as
#: Persian or Urdu, not Arabic. An Arabic sentence naming Google and Pepsi (گوگل، پيبسي) measures 6%;
#: the Persian and Urdu sentences of the tests measure 14-36%.
PERSIAN_URDU_SHARE = 0.08
PERSIAN_URDU_MIN_LETTERS = 2
ARABIC_MAJORITY = 0.5
#: Below this share of Arabic letters a sentence is not sent to the model. Low on purpose: Arabic
#: news names people, firms and products in Latin script (``أعلنت Apple عن iPhone 15 Pro``), and
#: Latin names are longer in letters than Arabic words, which omit short vowels.
MIN_ARABIC_SHARE = 0.2
#: The flag a sentence passed through unchanged, because it is not Arabic, carries.
NOT_ARABIC = "not_arabic"


@dataclass(frozen=True)
class LanguageCheck:
    """How many of a text's letters are Arabic, and what that means for translation."""

    letters: int
    arabic_letters: int

    @property
    def arabic_share(self) -> float:
        """Share of the letters that are Arabic (0.0 when there are no letters)."""
        return self.arabic_letters / self.letters if self.letters else 0.0

    @property
    def needs_translation(self) -> bool:
        """Whether the text has enough Arabic to be worth sending to an Arabic→English model.

        A text without letters (``2020.``, ``—``) does not: the model can only damage it.
        """
        return self.arabic_letters > 0 and self.arabic_share >= MIN_ARABIC_SHARE


def check_language(text: str) -> LanguageCheck:
    """Count the letters of ``text`` and its Arabic letters.

    Persian and Urdu are written in Arabic script but are other languages: their letters do not
    count as Arabic, so such a text is passed through, not sent to the Arabic model.
    """
    letters = len(_ANY_LETTER.findall(text))
    script_letters = len(_ARABIC_LETTER.findall(text))
    if _is_persian_or_urdu(text, script_letters):
        return LanguageCheck(letters, 0)
    return LanguageCheck(letters, script_letters)


def _is_persian_or_urdu(text: str, script_letters: int) -> bool:
    """Whether ``text``, with ``script_letters`` Arabic-script letters, is Persian or Urdu, judged
    by the letters Arabic lacks."""
    own = len(_PERSIAN_URDU_LETTER.findall(text))
    return own >= PERSIAN_URDU_MIN_LETTERS and own >= PERSIAN_URDU_SHARE * script_letters


def needs_translation(text: str) -> bool:
    """Whether ``text`` should go to the translation model; otherwise it is passed through as is."""
    return check_language(text).needs_translation


def arabic_share(text: str) -> float:
    """Share of the letters of ``text`` that are Arabic letters (0.0 when it has no letters)."""
    return check_language(text).arabic_share


def is_arabic(text: str) -> bool:
    """Whether most letters of ``text`` are Arabic."""
    return arabic_share(text) >= ARABIC_MAJORITY
