"""What the translation model sees: the same words without tatweel, invisible marks and markup."""
import pytest

from tarjama.language import NOT_ARABIC, check_language, is_arabic, needs_translation
from tarjama.normalize import arabic_digits_to_western, normalize_for_model


# Expected values follow the Unicode Character Database (the <isolated>/<final> decompositions of
# the presentation forms), not this module's output.
@pytest.mark.parametrize("text,expected", [
    ("كـــتاب", "كتاب"),
    ("\ufefb \ufedf\ufe8e", "لا لا"),                     # LAM-ALEF ligature; LAM initial + ALEF final
    ("\ufdf2", "الله"),                                   # ALLAH ligature
    ("مرحبا\u200b بكم\u200c\u200d", "مرحبا بكم"),          # ZWSP, ZWNJ, ZWJ
    ("\u200fقال\u200e \u202bنعم\u202c \u2067لا\u2069\u061c", "قال نعم لا"),  # RLM LRM RLE PDF RLI PDI ALM
    ("\ufeffبداية", "بداية"),
    ("عام\u00a0٢٠٢٠\u202fم", "عام 2020 م"),
    ("٣٫٥٪ من ١٬٠٠٠", "3.5% من 1,000"),
    ("۱۲۳", "123"),                                       # Extended Arabic-Indic (Persian) digits
    ("<p>خبر&nbsp;عاجل</p><br/>", "خبر عاجل"),
    ("&quot;نص&quot; &#1604;&#x627;", "\"نص\" لا"),
    ("ا\u0653", "آ"),                                     # decomposed madda composes (NFC)
    ("مَرْحَبًا", "مَرْحَبًا"),                                # diacritics kept by default
])
def test_normalize_for_model(text, expected):
    assert normalize_for_model(text) == expected


def test_diacritics_removed_on_request():
    assert normalize_for_model("مَرْحَبًا بِكُمْ، هٰذا", strip_diacritics=True) == "مرحبا بكم، هذا"
    # Hamza and madda are parts of letters, not vowel marks.
    assert normalize_for_model("أإآؤئ", strip_diacritics=True) == "أإآؤئ"


@pytest.mark.parametrize("text", [
    "Jean-Claude Van Damme, iPhone 15 Pro Max",
    "https://example.com/a?x=1&copy=2&lang=ar#top",
    "AT&T; a < b > c; x&y; ﬁle café Ω",
    "name@example.org, 50% off, C++ & C#",
])
def test_latin_spans_are_left_alone(text):
    assert normalize_for_model(text) == text


def test_markup_can_be_kept():
    assert normalize_for_model("<b>نص</b> &amp;", markup=False) == "<b>نص</b> &amp;"


def test_nested_escapes_reach_a_fixed_point():
    text = "&amp;lt;p&amp;gt;خبر"
    assert normalize_for_model(text) == "خبر"
    assert normalize_for_model(normalize_for_model(text)) == "خبر"


def test_digits_to_western_is_one_to_one():
    assert arabic_digits_to_western("في ٢٠٢٠ و۲۰۲۱") == "في 2020 و2021"
    assert arabic_digits_to_western("2020 abc") == "2020 abc"


@pytest.mark.parametrize("text,translate", [
    ("قال الرئيس إن الاجتماع كان ناجحا.", True),
    ("أعلنت شركة Apple Inc. عن iPhone 15 Pro Max الجديد.", True),
    ("The president said the meeting went well.", False),
    ("The word حبيبي is hard to translate well.", False),
    ("٢٠٢٠.", False),
    ("—", False),
    ("ـــــ", False),
    ("", False),
    # Persian and Urdu are Arabic script, not Arabic: passed through, not sent to the model.
    ("وزیر خارجه ایران گفت که مذاکرات هفته آینده ادامه خواهد یافت.", False),
    ("این یک جمله فارسی است.", False),
    ("وزیر اعظم نے کہا کہ حکومت نئے منصوبے پر کام کر رہی ہے۔", False),
    ("پاکستان کے شہر لاہور میں بارش ہوئی۔", False),
    # Arabic news writes foreign names with پ، چ، گ now and then: still Arabic.
    ("أعلنت شركة گوگل عن شراكة جديدة مع شركة پيبسي في دبي يوم الثلاثاء.", True),
    ("قال الرئيس إن چين ستزور القاهرة الشهر المقبل.", True),
])
def test_needs_translation(text, translate):
    assert needs_translation(text) is translate


def test_language_check_counts_letters():
    check = check_language("abc دول")
    assert (check.letters, check.arabic_letters) == (6, 3)
    assert check.arabic_share == 0.5 and is_arabic("abc دول")
    assert NOT_ARABIC == "not_arabic"
