"""Facts about the Arabic script, written once: letter classes, digits, invisible characters.

Every module that asks "is this an Arabic letter?", "which digit is this?" or "does this character
show?" reads the answer here, so the segmenter, the language check, the normaliser, the guard and
the summary checks cannot disagree.
"""
from __future__ import annotations

#: The Arabic-script Unicode blocks: Arabic, Arabic Supplement, Arabic Extended-A.
ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
#: Arabic Presentation Forms-A (U+FB50–FDFF) and -B (U+FE70–FEFC): letters as PDF copies carry them.
PRESENTATION_FORMS = "\ufb50-\ufdff\ufe70-\ufefc"
TATWEEL = "\u0640"
#: Letters of the Arabic script, for a regex character class: the letter ranges of the blocks and
#: their presentation forms. Tatweel stretches a word but is no letter, so a line of it is no text.
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
    + PRESENTATION_FORMS)
#: Letters of Persian and Urdu that Arabic does not use (پ چ ژ گ ک ی ے ٹ ڈ ڑ ں ھ ہ ۀ ۓ).
PERSIAN_URDU_LETTERS = ("\u067e\u0686\u0698\u06af\u06a9\u06cc\u06d2\u0679\u0688\u0691\u06ba\u06be"
                        "\u06c1\u06c0\u06d3")
#: Harakat (fathatan to sukun) and the superscript alef. Hamza and madda marks (U+0653–U+0655) are
#: not here: they are parts of letters, not vowel marks.
DIACRITICS = "\u064b-\u0652\u0670"
#: Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM/ZWNBSP, soft hyphen) and bidi controls
#: (LRM, RLM, ALM, LRE..RLO, LRI..PDI), for a regex character class. ZWNJ carries meaning in Persian
#: and Urdu spelling but not in Arabic, the only source language here.
#: Bidi controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI), for a regex character class: they order text
#: for display and mean nothing in English output.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
INVISIBLE = "\u200b-\u200d\u2060\ufeff\u00ad" + BIDI_CONTROLS

#: Arabic-Indic (٠..٩) and Extended Arabic-Indic (۰..۹, Persian and Urdu) digits, the Arabic
#: decimal and thousands separators and percent sign, as ASCII, for ``str.translate``: one
#: character for one character, so positions in a text do not move.
WESTERN_DIGITS = str.maketrans({
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
    "\u066b": ".",  # ٣٫٥ → 3.5
    "\u066c": ",",  # ١٬٠٠٠ → 1,000
    "\u066a": "%",
})
