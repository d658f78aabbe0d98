"""A cheap faithfulness check: numbers and names in a summary that the article never mentions.

Abstractive summarizers invent figures and people. A number or a capitalised name in the summary
that appears nowhere in the article is flagged; it may still be right (a paraphrase, a spelled-out
number), so flags are for a human to look at, not errors.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tarjama.script import WESTERN_DIGITS
from tarjama.segment import split_paragraphs

NUMBER = "number"
NAME = "name"

_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.,])\d+(?:\.\d+)?(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    """Something in the summary that the article does not support: a ``number`` or a ``name``."""

    kind: str
    text: str

    def to_record(self) -> dict[str, str]:
        """The JSON form: ``{"kind": ..., "text": ...}``."""
        return {"kind": self.kind, "text": self.text}


def normalize_number(number: str) -> str:
    """One spelling per value: ``1,000`` -> ``1000``, ``2.50`` -> ``2.5``, ``٤٢`` -> ``42``."""
    number = number.translate(WESTERN_DIGITS).replace(",", "")
    whole, _, fraction = number.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def numbers(text: str) -> list[str]:
    """The numbers written in ``text`` with digits (Arabic-Indic digits too), as written."""
    return _NUMBER.findall(text.translate(WESTERN_DIGITS))


def names(text: str) -> list[str]:
    """Capitalised words of ``text`` that do not start a sentence, possessive ``'s`` removed."""
    found = []
    for paragraph in split_paragraphs(text):
        for sentence in paragraph.sentences:
            for word in _WORD.findall(sentence.text)[1:]:
                if word[0].isupper() and len(word) > 1:
                    found.append(_POSSESSIVE.sub("", word))
    return found


def unsupported(summary: str, article: str, *, check_names: bool = True) -> tuple[Flag, ...]:
    """Numbers (compared by value) and names (compared ignoring case) of ``summary`` absent from
    ``article``, each once, in order.

    Pass ``check_names=False`` when the article is in another script than the summary (Arabic):
    names cannot be compared across scripts, numbers can.
    """
    article_numbers = {normalize_number(n) for n in numbers(article)}
    flags = [Flag(NUMBER, n) for n in numbers(summary)
             if normalize_number(n) not in article_numbers]
    if check_names:
        article_words = {_POSSESSIVE.sub("", w).lower() for w in _WORD.findall(article)}
        flags += [Flag(NAME, n) for n in names(summary) if n.lower() not in article_words]
    return tuple(dict.fromkeys(flags))


def describe(flags: Iterable[Flag]) -> str:
    """One line for the user: ``2 statements not found in the article: "42", "Obama"``."""
    flags = list(flags)
    noun = "statement" if len(flags) == 1 else "statements"
    quoted = ", ".join(f'"{flag.text}"' for flag in flags)
    return f"{len(flags)} {noun} not found in the article: {quoted}"
