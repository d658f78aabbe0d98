"""Text people read that sits outside a format's paragraphs: an inline SVG drawing's text, title
and description; a Markdown link reference definition's title; and what WebVTT says about a
cue's language. Each is translated (or, a WebVTT voice's name, deliberately kept) on the tiny
random model, and read back with the outside parser. And words an HTML line break parts, which the
model must read as two; and two sentences an image or a note's number glued between them parts
(HTML, Markdown, Word), which the segmenter must read as two."""
import io
import re

import lxml.html
from markdown_it import MarkdownIt

from document_support import SUPERSCRIPT, blank_word_package, translate_and_reopen

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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _one_after_another(result) -> list[str]:
    """The sentences' English as the page should hold it between the marks parting them: the
    first alone, each next after a space."""
    return [s.translation if n == 0 else " " + s.translation for n, s in enumerate(result.sentences)]


FIRST = "قال الوزير إن المشروع سيكتمل"
SECOND = "وأضاف أن العمل مستمر في المدن"


def test_html_image_glued_between_two_sentences_parts_them(document_translator):
    page = (f'<p>{FIRST}.<img src="m.png" alt="">{SECOND}؟<img src="n.png">{FIRST}!»<img src="o.png">'
            f'{SECOND}.</p>')
    source, result, again = translate_and_reopen(document_translator, page.encode(), "html")
    assert [s.source for s in result.sentences] == [FIRST + ".", SECOND + "؟", FIRST + "!»",
                                                    SECOND + "."]
    assert again.counts() == source.counts()
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    images = paragraph.findall("img")
    assert [image.get("src") for image in images] == ["m.png", "n.png", "o.png"]
    # Each image stays glued to the end of the sentence before it, as in the page.
    assert [paragraph.text] + [image.tail for image in images] == _one_after_another(result)


def test_html_note_number_glued_between_two_sentences_stays_with_the_first(document_translator):
    page = f'<p>{FIRST}.<sup><a href="#fn1">1</a></sup>{SECOND}.</p><ol><li id="fn1">بيان.</li></ol>'
    _, result, _ = translate_and_reopen(document_translator, page.encode(), "html")
    assert [s.source for s in result.sentences][:2] == [FIRST + ".", SECOND + "."]
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    first, second = (s.translation for s in result.sentences[:2])
    assert [paragraph.text, paragraph.find("sup").tail] == [first, " " + second]


def test_html_image_glued_inside_a_sentence_is_left_as_it_was(document_translator):
    page = f'<p>{FIRST}<img src="m.png">{SECOND}.</p>'
    source, result, _ = translate_and_reopen(document_translator, page.encode(), "html")
    assert [s.source for s in result.sentences] == [FIRST + SECOND + "."]


def test_markdown_image_or_note_glued_between_two_sentences_parts_them(document_translator):
    text = (f"{FIRST}.![](m.png){SECOND}؟<img src=\"n.png\">{FIRST}.<sup>١</sup>{SECOND}.[^1][^2]"
            f"{FIRST}.\n\n[^1]: بيان.\n[^2]: بيان.\n")
    _, result, _ = translate_and_reopen(document_translator, text.encode(), "md")
    assert [s.source for s in result.sentences] == [FIRST + ".", SECOND + "؟", FIRST + ".",
                                                    SECOND + ".", FIRST + ".", "بيان.", "بيان."]
    line = result.data.decode().split("\n")[0]
    kept = ["![](m.png)", '<img src="n.png">', "<sup>1</sup>", "[^1][^2]"]
    assert re.split("|".join(map(re.escape, kept)), line.replace("\\", "")) == \
        _one_after_another(result)[:5], line


def test_word_picture_or_note_glued_between_two_sentences_parts_them(document_translator, tmp_path):
    import docx

    picture = ('<w:drawing><wp:inline><wp:extent cx="9144" cy="9144"/><wp:docPr id="7" name="m"/>'
               '</wp:inline></w:drawing>')
    body = (f'<w:p><w:r><w:t>{FIRST}.</w:t></w:r><w:r>{picture}</w:r><w:r><w:t>{SECOND}؟</w:t></w:r>'
            f'<w:r>{SUPERSCRIPT}<w:footnoteReference w:id="1"/></w:r><w:r><w:t>{FIRST}.</w:t></w:r>'
            f'<w:r>{SUPERSCRIPT}<w:t>٢</w:t></w:r><w:r><w:t>{SECOND}.</w:t></w:r></w:p>')
    data = blank_word_package(tmp_path, body)
    source, result, again = translate_and_reopen(document_translator, data, "docx")
    assert [s.source for s in result.sentences] == [FIRST + ".", SECOND + "؟", FIRST + ".",
                                                    SECOND + "."]
    assert again.counts() == source.counts()
    paragraph = docx.Document(io.BytesIO(result.data)).paragraphs[-1]._p
    pieces, kept = [""], []
    for run in paragraph.iter(f"{W}r"):
        whole = run.find(f"{W}drawing") is not None or run.find(f"{W}rPr/{W}vertAlign") is not None
        if whole:
            kept.append(run)
            pieces.append("")
        else:
            pieces[-1] += "".join(t.text or "" for t in run.iter(f"{W}t"))
    assert len(kept) == 3 and kept[-1].find(f"{W}t").text == "2"
    assert pieces == _one_after_another(result)
