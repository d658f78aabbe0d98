"""Dual month names: ``في يونيو حزيران``, ``أبريل/نيسان``, ``كانون الثاني / يناير``.

Arabic news often gives the Gregorian month twice: by its name from Latin (يونيو, as Egypt and the
Gulf say it) and by its Syriac name (حزيران, as the Levant and Iraq say it). A translation model
renders the pair as "June June" or drops one; so before translation the pair becomes the one name
from Latin, which every model reads as the English month. Only pairs that name the same month are
resolved; a lone name is left to the model, and the Hijri months (محرم ... ذو الحجة) are another
calendar: never touched, even beside a Gregorian month (``رمضان/مارس`` names two months).

The rules are data: :data:`MONTHS` lists each month's spellings, and ``tests/terms/test_months.py``
holds the golden table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tarjama.script import ARABIC_LETTERS


@dataclass(frozen=True)
class Month:
    """One Gregorian month: its English name, the spelling it is resolved to, and the spellings of
    its two names (alef, yeh and teh-marbuta variants included; Maghrebi forms with the Latin ones)."""

    english: str
    resolved: str
    latin_names: tuple[str, ...]
    syriac_names: tuple[str, ...]


MONTHS: tuple[Month, ...] = (
    Month("January", "يناير", ("يناير", "جانفي"), ("كانون الثاني", "كانون ثاني")),
    Month("February", "فبراير", ("فبراير", "فيفري", "فبرار"), ("شباط",)),
    Month("March", "مارس", ("مارس",), ("آذار", "اذار", "أذار")),
    Month("April", "أبريل", ("أبريل", "ابريل", "إبريل", "أفريل", "افريل"), ("نيسان",)),
    Month("May", "مايو", ("مايو", "ماي"), ("أيار", "ايار", "آيار")),
    Month("June", "يونيو", ("يونيو", "يونية", "يونيه", "جوان"), ("حزيران",)),
    Month("July", "يوليو", ("يوليو", "يولية", "يوليه", "جويلية", "يوليوز"), ("تموز",)),
    Month("August", "أغسطس", ("أغسطس", "اغسطس", "أوت", "اوت", "غشت"), ("آب", "اب")),
    Month("September", "سبتمبر", ("سبتمبر", "شتنبر"), ("أيلول", "ايلول")),
    Month("October", "أكتوبر", ("أكتوبر", "اكتوبر"), ("تشرين الأول", "تشرين الاول", "تشرين أول")),
    Month("November", "نوفمبر", ("نوفمبر", "نونبر"), ("تشرين الثاني", "تشرين ثاني")),
    Month("December", "ديسمبر", ("ديسمبر", "دجنبر"), ("كانون الأول", "كانون الاول", "كانون أول")),
)



def _between(n: int) -> str:
    """What may stand between the two names: space, a slash or dash, or the second in brackets
    (then the closing bracket goes too)."""
    return rf"\s*(?:[/\\|\-–—]\s*|(?P<open{n}>\(\s*)|\s)"


# و and ف may be attached to the first name, as to any word (ويونيو حزيران).
_CLITIC = "[وف]?"
_NOT_LETTER_BEFORE = f"(?<![{ARABIC_LETTERS}])"
_NOT_LETTER_AFTER = f"(?![{ARABIC_LETTERS}])"


def _names(names: set[str]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


def _spelling_to_month() -> dict[tuple[str, str], Month]:
    pairs = {}
    for month in MONTHS:
        for first in month.latin_names:
            for second in month.syriac_names:
                pairs[(first, second)] = pairs[(second, first)] = month
    return pairs


_PAIRS = _spelling_to_month()
_ANY_LATIN = _names({n for m in MONTHS for n in m.latin_names})
_ANY_SYRIAC = _names({n for m in MONTHS for n in m.syriac_names})
_DUAL = re.compile(
    f"{_NOT_LETTER_BEFORE}(?P<clitic>{_CLITIC})"
    f"(?:(?P<a1>{_ANY_LATIN}){_between(1)}(?P<b1>{_ANY_SYRIAC})(?(open1)\\s*\\))"
    f"|(?P<b2>{_ANY_SYRIAC}){_between(2)}(?P<a2>{_ANY_LATIN})(?(open2)\\s*\\))){_NOT_LETTER_AFTER}")


@dataclass(frozen=True)
class MonthResolution:
    """A dual month name found in a model input: the text replaced and the month it names."""

    text: str
    month: str


def resolve_months(text: str) -> tuple[str, tuple[MonthResolution, ...]]:
    """``text`` with every dual month name as one name, and what was resolved."""
    found: list[MonthResolution] = []

    def one(match: re.Match[str]) -> str:
        first = match.group("a1") or match.group("b2")
        second = match.group("b1") or match.group("a2")
        month = _PAIRS.get((" ".join(first.split()), " ".join(second.split())))
        if month is None:  # two different months: not ours to decide
            return match.group()
        found.append(MonthResolution(match.group(), month.english))
        return match.group("clitic") + month.resolved

    return _DUAL.sub(one, text), tuple(found)
