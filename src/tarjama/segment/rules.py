"""Sentence-boundary rules for Arabic news, kept as data apart from the engine (``engine.py``).

A *candidate* sentence end is a run of sentence-final punctuation (``. ! ? ؟ …`` and runs of them,
with the closing quotes and brackets that follow it) that is followed by whitespace or ends the
paragraph. Every candidate is a sentence end unless one of :data:`NON_BOUNDARY_RULES` matches it.

Dots that are not followed by whitespace are never candidates, which alone keeps decimals and
versions (``7.5``, ``802.11``; ``٣٫٥`` has no period at all), URLs, e-mail addresses and ``د.محمد``
whole. A rule looks at three things around a candidate:

- ``word``: the whitespace-delimited text right before the punctuation (``""`` when the punctuation
  follows a space, as in ``المتبقية .``), matched in full;
- ``punct``: the punctuation run itself, closers included, matched in full;
- ``before``: the text before that word, matched so that it ends right before the word (rarely
  needed: only where the previous word decides);
- ``after``: the text right after the run, matched from its start.

Every rule carries the reason it exists and a golden example with the sentences it must give; the
tests run them all (``tests/segment/test_rules.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

from tarjama import script

#: Characters that end a sentence: full stop, exclamation and question marks (Latin and Arabic),
#: the ellipsis character, the Urdu full stop, the double marks and their full-width forms.
TERMINALS = ".!?؟…۔‼⁇⁈⁉。！？"
#: Closing quotes and brackets that stay with the sentence they close (``”.`` keeps its period too).
CLOSERS = "\"'”’»›)]}"
#: Invisible direction and joiner marks, common in Arabic web text, stay with the punctuation.
INVISIBLE = script.INVISIBLE

_OPEN = "[\"“«(\\[‘'„]?"
_ARABIC = script.ARABIC_BLOCKS
_LETTER = "[^\\W\\d_]ـ?"  # one letter of any script; ``هـ`` is written with a tatweel
_ARABIC_LETTER = f"(?=[{_ARABIC}]){_LETTER}"
_LATIN_LETTER = f"(?![{_ARABIC}]){_LETTER}"  # Latin, or any other non-Arabic script
_ELLIPSIS = "(?:\\.{3,}|…)+"  # two dots are a doubled full stop, not an ellipsis

#: Latin titles and name suffixes (``Dr. Smith``, ``Smith Jr. said``) and abbreviations that are
#: always followed by more text (``No. 5``, ``vs.``): never a sentence end. Words that often end one
#: (``Inc.``, ``Ltd.``, ``etc.``) are deliberately left out.
LATIN_TITLES = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Sr", "Jr", "Gen", "Col", "Lt", "Maj", "Capt",
    "Sgt", "Adm", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Fr", "No", "Nos", "Vol", "Fig", "vs",
)

#: How Arabic news spells Latin initials inside foreign names (``جون إف. كينيدي``,
#: ``روي في. وايد``, ``جورج دبليو. بوش``): the names of the Latin letters, in common spellings.
TRANSLITERATED_INITIALS = (
    "إيه", "ايه", "أيه", "بي", "سي", "دي", "إي", "إف", "اف", "جي", "جيه", "إتش", "اتش", "إيتش",
    "آي", "كيه", "كاي", "إل", "إم", "إن", "أو", "كيو", "آر", "ار", "إس", "اس", "تي", "يو", "في",
    "فى", "دبليو", "إكس", "اكس", "واي", "زد",
)
_LETTER_NAME = f"(?:{'|'.join(sorted(TRANSLITERATED_INITIALS, key=len, reverse=True))})"


@dataclass(frozen=True)
class Rule:
    """A context in which a candidate sentence end is *not* a sentence end.

    ``word``, ``punct``, ``before`` and ``after`` are regular expressions (``None``: anything); the
    rule matches when all given parts match. ``before`` must match the text that ends right before
    ``word`` (whitespace included; ``^`` is the paragraph's start). ``first_word`` requires ``word``
    to be the first word of the sentence being built (the paragraph's start or right after the
    previous sentence end).
    ``example`` is a golden paragraph and ``expected`` the sentences it must be split into.
    """

    name: str
    why: str
    example: str
    expected: tuple[str, ...]
    word: str | None = None
    punct: str | None = None
    before: str | None = None
    after: str | None = None
    first_word: bool = False


NON_BOUNDARY_RULES: tuple[Rule, ...] = (
    Rule(
        name="chained_initials",
        why="Letters joined by periods are an abbreviation in any script (U.S., J.K., ق.م., أ.د.).",
        word=f"{_OPEN}(?:{_LETTER}\\.)+{_LETTER}",
        punct="\\.",
        example="بدأ البناء عام 300 ق.م. على يد الملك. وأكد مسؤولو U.S. ذلك.",
        expected=("بدأ البناء عام 300 ق.م. على يد الملك.", "وأكد مسؤولو U.S. ذلك."),
    ),
    Rule(
        name="arabic_initial",
        why="A lone Arabic letter before a period abbreviates a title or a word (د. for Dr., أ. for "
            "Prof., م. or هـ. after a year) or is a name's initial (ن. وين هالي).",
        word=f"{_OPEN}{_ARABIC_LETTER}",
        punct="\\.",
        example="قال د. أحمد إن الحالات تراجعت في عام 1441 هـ. بعد الحملة. ثم ارتفعت.",
        expected=("قال د. أحمد إن الحالات تراجعت في عام 1441 هـ. بعد الحملة.", "ثم ارتفعت."),
    ),
    Rule(
        name="latin_initial",
        why="A lone Latin letter after a Latin word, or opening the paragraph, is an initial "
            "(John F. Kennedy); after an Arabic word it is a letter named in the sentence "
            "(البروتين S.), which may end it.",
        word=f"{_OPEN}{_LATIN_LETTER}",
        punct="\\.",
        before=f"(?:^|(?<!\\S)[^\\s{_ARABIC}]+\\s+)",
        example="زار John F. Kennedy برلين. ويرتبط الفيروس بالبروتين S. ثم يدخل الخلية.",
        expected=("زار John F. Kennedy برلين.", "ويرتبط الفيروس بالبروتين S.", "ثم يدخل الخلية."),
    ),
    Rule(
        name="era_after_year",
        why="م or هـ written against a year (1441هـ.) abbreviates the calendar era.",
        word=f"{_OPEN}\\d{{1,4}}(?:م|هـ|ه)",
        punct="\\.",
        example="ولد في عام 1370هـ. في مكة ثم انتقل إلى القاهرة.",
        expected=("ولد في عام 1370هـ. في مكة ثم انتقل إلى القاهرة.",),
    ),
    Rule(
        name="latin_title",
        why="A Latin title before a name (Dr. Smith, Mr. Brown) is an abbreviation, not an end.",
        word=f"{_OPEN}(?:{'|'.join(LATIN_TITLES)})",
        punct="\\.",
        example="التقى Dr. Smith بالوزير. ثم غادر.",
        expected=("التقى Dr. Smith بالوزير.", "ثم غادر."),
    ),
    Rule(
        name="transliterated_initial",
        why="Arabic spells the Latin initials of foreign names as letter names (جون إف. كينيدي), "
            "followed by the rest of the name. After another bare letter name the letter ends a "
            "spelt-out acronym (سي إن إن., الإف بي آي.), which may end the sentence.",
        word=f"{_OPEN}{_LETTER_NAME}",
        punct="\\.",
        before=f"(?:^|(?<!\\S)(?!(?:ال|الـ)?{_LETTER_NAME}\\s)\\S+\\s+)",
        after="\\s+[^\\W\\d_]",
        example="اغتيل جون إف. كينيدي عام 1963. ونقلت الخبر شبكة سي إن إن. ثم تبعتها الصحف.",
        expected=("اغتيل جون إف. كينيدي عام 1963.", "ونقلت الخبر شبكة سي إن إن.",
                  "ثم تبعتها الصحف."),
    ),
    Rule(
        name="list_marker",
        why="A short number with a period that opens a sentence is a numbered-list marker.",
        word=f"{_OPEN}\\d{{1,2}}",
        punct="\\.",
        first_word=True,
        example="1. تجنب الأماكن المزدحمة. 2. اغسل يديك.",
        expected=("1. تجنب الأماكن المزدحمة.", "2. اغسل يديك."),
    ),
    Rule(
        name="ellipsis_inside",
        why="An ellipsis followed by more words marks a pause or an omission inside the sentence "
            "(وما زال العدّ مستمرًا... هو اليوم); only one that closes a quote or the paragraph ends it.",
        punct=_ELLIPSIS,
        after="\\s+\\S",
        example="إنهم صغار وفضوليون جدًا ... لا يهدفون إلى إيذائك. وقال آخر: \"انتظروا...\" ثم غادر.",
        expected=("إنهم صغار وفضوليون جدًا ... لا يهدفون إلى إيذائك.", "وقال آخر: \"انتظروا...\"",
                  "ثم غادر."),
    ),
    Rule(
        name="bracketed_mark",
        why="Punctuation alone in brackets, (؟), (!) or [...], is a comment or an omission mark.",
        word=".*[(\\[]",
        punct=f"(?:{_ELLIPSIS}|[!?؟])+[)\\]]",
        example="قال إن الأمر [...] انتهى. وأضاف أن العدد بلغ مليونًا (!) في يوم واحد.",
        expected=("قال إن الأمر [...] انتهى.", "وأضاف أن العدد بلغ مليونًا (!) في يوم واحد."),
    ),
    Rule(
        name="lowercase_continuation",
        why="A Latin lower-case word after the punctuation continues the sentence (e.g. Yahoo! news, "
            "an unlisted abbreviation such as approx. two).",
        after="\\s+[\"“«(\\[]?[a-z]",
        example="نقلت شبكة Yahoo! news الخبر. ثم تراجعت.",
        expected=("نقلت شبكة Yahoo! news الخبر.", "ثم تراجعت."),
    ),
    Rule(
        name="continuation_punctuation",
        why="A comma, semicolon or colon after the punctuation shows the sentence goes on.",
        after="\\s+[،,؛;:]",
        example="ذكر أنواعًا كثيرة من الفاكهة إلخ. ، ثم توقف.",
        expected=("ذكر أنواعًا كثيرة من الفاكهة إلخ. ، ثم توقف.",),
    ),
)
