"""A web page's text that people see besides paragraphs, and links that share one sentence, on the
tiny random model, read back with lxml.html: buttons, a list's options, what ``<noscript>``
shows, a button's ``<input value>`` and a drawing's text come out in English; what is not shown
(a template, a script's data) stays as it was; every link with words keeps words."""
import re

import lxml.html
import pytest

from tarjama.documents import Document

ARABIC = re.compile("[\u0600-\u06ff]")
PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>قمة بغداد</title>
<script type="application/ld+json">{"headline": "قمة بغداد تنطلق اليوم"}</script></head>
<body>
<nav><a href="/">الرئيسية</a> | <a href="/world">العالم</a> | <a href="/sport">الرياضة</a></nav>
<p>قال <a href="/a">رئيس الوزراء</a> إن <a href="/b">القمة</a> ستبحث <a href="/c">الأمن</a> غدا.</p>
<form><button type="submit">شارك الخبر</button>
<select name="s"><option value="1">الخيار الأول</option><option value="2">الخيار الثاني</option></select>
<input type="submit" value="ابحث الآن"><input type="text" value="نص كتبه القارئ">
<input type="submit" name="go" value="اذهب"></form>
<p>اضغط <button type="button">هنا</button> لمتابعة قراءة الخبر كاملا.</p>
<div style="direction: rtl; text-align: right">نص في صندوق.</div>
<noscript><p>يرجى تفعيل جافا سكريبت لمشاهدة الفيديو.</p></noscript>
<template><p>قالب لا يظهر</p></template>
<svg><text x="0" y="10">نص في الرسم</text></svg>
</body></html>
"""


@pytest.fixture(scope="module")
def pages(document_translator):
    source = Document.from_bytes(PAGE.encode("utf-8"), "html", "page.html")
    out = source.translate(document_translator).data
    return lxml.html.fromstring(PAGE.encode("utf-8")), lxml.html.fromstring(out)


@pytest.mark.parametrize("path", ["//button", "//option", "//noscript//p", "//title",
                                  "//svg/text"])
def test_visible_text_is_translated(pages, path):
    before, after = pages
    assert [ARABIC.search(e.text_content()) is not None for e in before.xpath(path)] == \
        [True] * len(before.xpath(path))
    translated = after.xpath(path)
    assert len(translated) == len(before.xpath(path))
    assert all(e.text_content().strip() and not ARABIC.search(e.text_content())
               for e in translated)


def test_a_button_s_value_is_translated_and_what_a_form_sends_is_not(pages):
    _, after = pages
    submit, typed, named = after.xpath("//input")
    assert submit.get("value").strip() and not ARABIC.search(submit.get("value"))
    # What a reader typed, and a named button's value, go to the page's server as they are.
    assert (typed.get("value"), named.get("value")) == ("نص كتبه القارئ", "اذهب")
    assert [o.get("value") for o in after.xpath("//option")] == ["1", "2"]


@pytest.mark.parametrize("path", ["//template", "//script"])
def test_what_is_not_shown_as_text_stays(pages, path):
    before, after = pages
    assert [lxml.html.tostring(e) for e in after.xpath(path)] == \
        [lxml.html.tostring(e) for e in before.xpath(path)]


@pytest.mark.parametrize("path", ["//nav/a", "//p/a"])
def test_links_sharing_a_sentence_each_keep_words(pages, path):
    before, after = pages
    links = after.xpath(path)
    # English may put them in another order; none is lost or doubled.
    assert sorted(a.get("href") for a in links) == sorted(a.get("href") for a in before.xpath(path))
    # Each link gets a word while the sentence's English has enough (a random model's may not).
    words = len(links[0].getparent().text_content().split())
    assert sum(1 for a in links if a.text_content().strip()) >= min(len(links), words), \
        lxml.html.tostring(links[0].getparent(), encoding="unicode")


def test_an_inline_style_s_direction_turns_left_to_right(pages):
    before, after = pages
    [box] = after.xpath("//div[contains(@style, 'text-align')]")
    assert box.get("style") == "direction: ltr; text-align: right"
    assert after.get("dir") == "ltr" and after.get("lang") == "en"


def test_a_button_inside_a_sentence_is_part_of_it(document_translator):
    page = "<p>اضغط <button>هنا</button> لمتابعة قراءة الخبر كاملا.</p>".encode()
    document = Document.from_bytes(page, "html", "button.html")
    [block] = document.parsed.blocks
    assert block.text == "اضغط هنا لمتابعة قراءة الخبر كاملا." and len(block.marks) == 1
    [button] = lxml.html.fromstring(document.translate(document_translator).data).xpath("//button")
    assert not ARABIC.search(lxml.html.tostring(button, encoding="unicode"))
