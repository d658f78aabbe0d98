"""URLs and e-mail addresses inside Arabic sentences reach the English exactly as written."""
import pytest

from tarjama.translation import Translator
from tarjama.translation.verbatim import Segment, join_segments, split_verbatim


@pytest.mark.parametrize("sentence,expected", [
    ("لا روابط هنا.", [("لا روابط هنا.", False, False)]),
    ("زوروا https://example.org/a?b=1 للمزيد.",
     [("زوروا", False, False), ("https://example.org/a?b=1", True, True), ("للمزيد.", False, True)]),
    ("راسلونا على info@news.example.com.",
     [("راسلونا على", False, False), ("info@news.example.com", True, True), (".", True, False)]),
    ("الموقع (www.example.org) مغلق.",
     [("الموقع (", False, False), ("www.example.org", True, False), (") مغلق.", False, False)]),
    ("«https://x.org»", [("«", True, False), ("https://x.org", True, False), ("»", True, False)]),
], ids=["none", "url-mid-sentence", "email-before-period", "url-in-brackets", "url-in-quotes"])
def test_split_verbatim(sentence, expected):
    assert [(s.text, s.verbatim, s.spaced) for s in split_verbatim(sentence)] == expected


def test_join_keeps_the_original_spacing():
    segments = split_verbatim("راجع (www.example.org) الآن")
    assert join_segments(segments, ["see (", "www.example.org", ") now"]) == "see (www.example.org) now"
    assert segments[1] == Segment("www.example.org", True, False)


def test_urls_and_addresses_survive_translation(tiny_models):
    translator = Translator(str(tiny_models.marian), num_beams=1)
    sentence = ("وقالت الوزارة في بيان نشرته على https://moh.example.gov/ar/news?id=٢٠ "
                "إن الاستفسارات ترسل إلى press@moh.example.gov.")
    [output] = translator.translate_sentences([sentence])
    assert "https://moh.example.gov/ar/news?id=20" in output
    assert "press@moh.example.gov." in output
