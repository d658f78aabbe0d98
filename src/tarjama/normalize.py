"""Cleaning Arabic text before it reaches the translation model, and digits after.

Real news text carries characters that change nothing for a reader but confuse a model trained on
clean text: tatweel (``كـــتاب``), presentation forms from PDF copies (``ﻻ`` for ``لا``), zero-width
and bidi control characters, no-break spaces, HTML remnants (``&nbsp;``, ``<p>``) and, optionally,
diacritics. :func:`normalize_for_model` removes or maps them.

What is reversible: normalisation is applied only to the copy of a sentence that goes into the
model. The sentence tarjama reports (``source`` in JSONL) and everything ``tarjama segment``
prints are the original text, character for character. The only change that reaches the output is
:func:`arabic_digits_to_western` on the English, a one-to-one mapping of digits (``٢٠٢٠`` →
``2020``), which is what an English reader expects.
"""
from __future__ import annotations

import html
import re
import unicodedata

from tarjama.script import BIDI_CONTROLS, DIACRITICS, INVISIBLE, PRESENTATION_FORMS, TATWEEL, WESTERN_DIGITS

# No-break and other fixed-width spaces become a plain space.
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(f"[{INVISIBLE}{TATWEEL}]+")
_DIACRITICS = re.compile(f"[{DIACRITICS}]+")
# NFKC maps each presentation form to the standard letters. NFKC is not applied to the whole text:
# it would also rewrite Latin ligatures, full-width forms, superscripts and the like in names and URLs.
_PRESENTATION = re.compile(f"[{PRESENTATION_FORMS}]")
# HTML left over from scraping: entities need their ``;`` (``&copy`` in a URL stays as it is) and
# tags must look like tags (``a < b`` stays).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")

_BIDI = re.compile(f"[{BIDI_CONTROLS}]+")


def for_english(text: str) -> str:
    """Text as it goes into the English output: Arabic-Indic digits as ASCII
    (:func:`arabic_digits_to_western`) and no bidi controls, which only order right-to-left text
    for display (a sentence passed through untranslated may carry them)."""
    return _BIDI.sub("", arabic_digits_to_western(text))


def arabic_digits_to_western(text: str) -> str:
    """Arabic-Indic digits (and decimal, thousands and percent signs) as ASCII: ``٢٠٢٠`` → ``2020``.

    A one-to-one mapping of characters; applied to the English a model writes, and to its input.
    """
    return text.translate(WESTERN_DIGITS)


def _step(text: str, strip_diacritics: bool, markup: bool) -> str:
    if markup:
        text = _TAG.sub("", _ENTITY.sub(lambda m: html.unescape(m.group()), text))
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    if strip_diacritics:
        text = _DIACRITICS.sub("", text)
    return unicodedata.normalize("NFC", arabic_digits_to_western(text))


def normalize_for_model(text: str, strip_diacritics: bool = False, *, markup: bool = True) -> str:
    """The text a translation model should see: same words, none of the noise.

    Maps presentation forms to standard letters, removes tatweel, zero-width and bidi control
    characters, turns no-break spaces into spaces and Arabic-Indic digits into ASCII digits, and
    composes letters (NFC). With ``markup`` (the default) HTML entities are decoded and tags
    removed; with ``strip_diacritics`` the harakat go too. Latin text is left as it is, apart from
    markup.

    Idempotent: ``normalize_for_model(normalize_for_model(t)) == normalize_for_model(t)``. One pass
    can create new work (``&amp;lt;p&amp;gt;`` decodes to a tag, removing a ZWJ can let two
    characters compose), so the steps repeat until nothing changes.
    """
    while True:
        cleaned = _step(text, strip_diacritics, markup)
        if cleaned == text:
            return cleaned
        text = cleaned
