"""Names rendered one way throughout a document."""
from __future__ import annotations

import pytest

from tarjama.terms.arabic import fold_word
from tarjama.terms.names import arabic_skeleton, consistent_names, english_skeleton, same_name


@pytest.mark.parametrize("arabic, english, same", [
    ("الكاظمي", "Kadhimi", True), ("الكاظمي", "Kazemi", True), ("الكاظمي", "al-Kadhimi", True),
    ("مارتيلي", "Martelly", True), ("نيراجونجو", "Nyiragongo", True),
    ("القذافي", "Gaddafi", True), ("القذافي", "Qadhafi", True), ("خامنئي", "Khamenei", True),
    ("الكاظمي", "Kuwait", False), ("محمد", "Ahmed", False), ("بغداد", "Baghdad", True),
    ("الحكومة", "Government", False),
])
def test_skeletons(arabic, english, same):
    assert same_name(arabic_skeleton(fold_word(arabic)), english_skeleton(english)) is same


def test_two_renderings_become_one_with_each_change_recorded():
    sources = ["قال رئيس الوزراء مصطفى الكاظمي إن الحكومة ستواصل عملها.",
               "وأضاف الكاظمي أن الانتخابات ستجرى في موعدها.",
               "ورحب الكاظمي بالقرار."]
    translations = ["Prime Minister Mustafa Kadhimi said the government would continue.",
                    "Kazemi added that the elections would be held on time.",
                    "Kadhimi welcomed the decision."]
    result = consistent_names(sources, translations)
    assert [t for t, _ in result] == [translations[0],
                                      "Kadhimi added that the elections would be held on time.",
                                      translations[2]]
    assert [c.to_record() for c in result[1][1]] == [
        {"arabic": "الكاظمي", "from": "Kazemi", "to": "Kadhimi"}]
    # The glossary's rendering wins over the most frequent one.
    preferred = consistent_names(sources, translations, {fold_word("كاظمي"): "Kazimi"})
    assert all("Kazimi" in t for t, _ in preferred)


def test_one_rendering_is_left_alone():
    assert consistent_names(["زار الكاظمي بغداد.", "عاد الكاظمي."],
                            ["Kadhimi visited Baghdad.", "Kadhimi returned."]) == \
        [("Kadhimi visited Baghdad.", ()), ("Kadhimi returned.", ())]


def test_real_opus_mt_output(shared_data):
    """FLORES-200 devtest, the Haiti article, as the published OPUS-MT model translated it:
    Martelly in one sentence, Martelli in another."""
    arabic = (shared_data / "flores200" / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    english = (shared_data / "opusmt-ara-eng-flores200-output" / "flores200-devtest.ara-eng.output"
               ).read_text(encoding="utf-8").splitlines()
    urls = [line.split("\t")[0] for line in (shared_data / "flores200" / "metadata_devtest.tsv")
            .read_text(encoding="utf-8").splitlines()[1:]]
    lines = [k for k, url in enumerate(urls) if "Haiti" in url]
    before = [english[k] for k in lines]
    after = [t for t, _ in consistent_names([arabic[k] for k in lines], before)]
    assert any("Martelli" in t for t in before) and any("Martelly" in t for t in before)
    assert not any("Martelli" in t for t in after)
