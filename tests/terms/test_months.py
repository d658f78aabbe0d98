"""Golden table: dual month names resolved to one month; single names and Hijri months untouched."""
from __future__ import annotations

import pytest

from tarjama.terms.months import MONTHS, resolve_months

GOLDEN = [
    # (model input, what the model sees, English month(s) recorded)
    ("أعلنت الحكومة في يونيو حزيران الماضي", "أعلنت الحكومة في يونيو الماضي", ["June"]),
    ("في أبريل/نيسان 2020", "في أبريل 2020", ["April"]),
    ("في كانون الثاني / يناير المقبل", "في يناير المقبل", ["January"]),
    ("ويونيو (حزيران) شهر حار", "ويونيو شهر حار", ["June"]),
    ("حزيران (يونيو) وتموز/يوليو", "يونيو ويوليو", ["June", "July"]),
    ("في 15 آب/أغسطس", "في 15 أغسطس", ["August"]),
    ("تشرين الأول أكتوبر وتشرين الثاني-نوفمبر", "أكتوبر ونوفمبر", ["October", "November"]),
    ("في شباط فبراير", "في فبراير", ["February"]),
    ("في آذار - مارس", "في مارس", ["March"]),
    ("فأيار مايو", "فمايو", ["May"]),
    ("في أيلول سبتمبر", "في سبتمبر", ["September"]),
    ("كانون الأول ديسمبر", "ديسمبر", ["December"]),
    ("في جوان حزيران", "في يونيو", ["June"]),  # Maghrebi name beside the Syriac one
    # Left alone: one name, two different months, Hijri months, a name inside a longer word.
    ("في يونيو الماضي", "في يونيو الماضي", []),
    ("في حزيران الماضي", "في حزيران الماضي", []),
    ("بين يونيو تموز", "بين يونيو تموز", []),
    ("في رمضان/مارس", "في رمضان/مارس", []),
    ("في شهر ذي الحجة", "في شهر ذي الحجة", []),
    ("في ربيع الأول نيسان", "في ربيع الأول نيسان", []),
    ("أبريل نيسانية", "أبريل نيسانية", []),
    ("مارس آذاري", "مارس آذاري", []),
]


@pytest.mark.parametrize("text, resolved, months", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden(text, resolved, months):
    output, found = resolve_months(text)
    assert output == resolved
    assert [f.month for f in found] == months


@pytest.mark.parametrize("month", MONTHS, ids=[m.english for m in MONTHS])
def test_every_pair_of_every_month_resolves(month):
    for latin in month.latin_names:
        for syriac in month.syriac_names:
            for text in (f"في {latin} {syriac} الماضي", f"في {syriac}/{latin} الماضي"):
                assert resolve_months(text)[0] == f"في {month.resolved} الماضي", text
