"""How much of a text is Arabic: decides whether a text needs translating."""
from __future__ import annotations

import re

_ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
ARABIC_MAJORITY = 0.5


def arabic_share(text: str) -> float:
    """Share of the letters of ``text`` that are Arabic letters (0.0 when it has no letters)."""
    letters = len(_ANY_LETTER.findall(text))
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def is_arabic(text: str) -> bool:
    """Whether most letters of ``text`` are Arabic."""
    return arabic_share(text) >= ARABIC_MAJORITY
