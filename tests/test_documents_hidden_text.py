"""Text people read that sits outside a format's paragraphs: an inline SVG drawing's text, title
and description; a Markdown link reference definition's title; and what WebVTT says about a
cue's language. Each is translated (or, a WebVTT voice's name, deliberately kept) on the tiny
random model, and read back with the outside parser. And words an HTML line break parts, which the
model must read as two."""
import re

import lxml.html
from markdown_it import MarkdownIt

from document_support import translate_and_reopen

ARABIC = re.compile("[\u0600-\u06ff]")

SVG_PAGE = ('<p>قال الوزير إن الخطة جاهزة.</p><svg viewBox="0 0 100 40" role="img">'
            '<title>عدد السكان</title><desc>رسم بياني للسكان في المدن</desc>'
            '<text x="1" y="10">المدن الكبرى <tspan x="1" dy="12">في عام واحد</tspan> فقط</text>'
            '<text x="1" y="30">2024</text><rect width="5" height="5"/></svg>'
            '<pre><svg><text>نص لا يترجم</text></svg></pre>')


def test_svg_text_title_and_description_are_translated_in_place(document_translator):
    source, result, again = translate_and_reopen(document_translator, SVG_PAGE.encode(), "html")
    assert again.counts() == source.counts()
    tree = lxml.html.document_fromstring(result.data.decode("utf-8"))
    drawing, kept = tree.findall(".//svg")
    texts = [drawing.find("title").text, drawing.find("desc").text, drawing.find("text").text,
             drawing.find(".//tspan").text, drawing.find(".//tspan").tail]
    assert all(t and t.strip() and not ARABIC.search(t) for t in texts), texts
    assert drawing.findall("text")[1].text == "2024"  # no Arabic: as it was
    assert drawing.find(".//tspan").get("dy") == "12" and drawing.find("rect") is not None
    assert kept.find("text").text == "نص لا يترجم"  # inside <pre>: left alone


MARKDOWN = """قال [الوزير][id] إن [المشروع][p] سيكتمل و[الموقع][q] يعمل.

[id]: https://x.example "عنوان الوزير"
[p]: <https://p.example/a"b>
  'عنوان "المشروع" الكامل'
[q]: https://q.example (English title)
"""


def _definitions(text: str) -> dict[str, dict[str, str]]:
    env: dict = {}
    MarkdownIt("commonmark").parse(text, env)
    return env["references"]


def test_markdown_definition_titles_are_translated_and_still_parse(document_translator):
    _, result, _ = translate_and_reopen(document_translator, MARKDOWN.encode(), "md")
    out = result.data.decode()
    before, after = _definitions(MARKDOWN), _definitions(out)
    assert sorted(after) == sorted(before) == ["ID", "P", "Q"]
    for label in before:
        assert after[label]["href"] == before[label]["href"]
    for label in ("ID", "P"):
        assert after[label]["title"].strip() and not ARABIC.search(after[label]["title"])
    assert after["Q"]["title"] == "English title"
    assert out.splitlines()[-1] == MARKDOWN.splitlines()[-1]


def test_webvtt_voice_name_is_kept_and_lang_becomes_english(document_translator):
    vtt = ("WEBVTT\n\nSTYLE\n::cue(v[voice=\"محمد\"]) { color: yellow }\n\n"
           "00:01.000 --> 00:03.000\n<v محمد>قال إن <lang ar>الخطة</lang> جاهزة.\n\n"
           "00:03.000 --> 00:05.000\n<v.loud سارة>وأضافت أن العمل <lang ar-EG>بدأ</lang>.</v>\n")
    source, result, again = translate_and_reopen(document_translator, vtt.encode(), "vtt")
    out = result.data.decode()
    assert again.counts() == source.counts()
    assert out.count("<v محمد>") == 1 and out.count("<v.loud سارة>") == 1
    assert "::cue(v[voice=\"محمد\"])" in out
    assert "<lang ar" not in out and out.count("<lang en>") == 2
    cue_text = "".join(line for line in out.split("\n") if line.startswith("<v"))
    assert not ARABIC.search(re.sub(r"<[^>]*>", "", cue_text))


def test_html_line_break_between_words_parts_them_for_the_model(document_translator):
    page = "<p>قال الوزير<br>إن العمل مستمر<br> في المدن</p>"
    source, result, again = translate_and_reopen(document_translator, page.encode(), "html")
    assert [s.source for s in result.sentences] == ["قال الوزير إن العمل مستمر في المدن"]
    assert again.counts() == source.counts()
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    assert len(paragraph.findall("br")) == 2 and paragraph.text_content() == \
        result.sentences[0].translation
