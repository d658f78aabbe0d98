"""What real documents hold beyond plain paragraphs, on the tiny random model: Word tracked
changes, content controls, fields, text boxes and footnotes; Markdown reference links, images and
autolinks; a web page in Windows-1256; a Latin link text inside an Arabic sentence. Each is read
back with the outside parser (python-docx and lxml, markdown-it-py, lxml.html)."""
import io
import re
import zipfile

import lxml.etree
import lxml.html
import pytest
from markdown_it import MarkdownIt

from document_support import translate_and_reopen, word_package, word_part, xml_parts
from tarjama.documents.blocks import check_marks

ARABIC = re.compile("[\u0600-\u06ff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
TEXT_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "word/footnotes.xml")


# -- Word ---------------------------------------------------------------------------------------

BODY = """
<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:t xml:space="preserve">قال الوزير </w:t></w:r>
<w:ins w:id="101" w:author="محرر" w:date="2024-01-01T00:00:00Z"><w:r><w:t xml:space="preserve">الجديد </w:t></w:r></w:ins>
<w:del w:id="102" w:author="محرر" w:date="2024-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">القديم </w:delText></w:r></w:del>
<w:r><w:t>إن المحطة ستعمل قريبا.</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">كتب التقرير </w:t></w:r>
<w:sdt><w:sdtPr><w:alias w:val="الكاتب"/><w:tag w:val="author"/><w:id w:val="201"/></w:sdtPr>
<w:sdtContent><w:r><w:t>محمد علي</w:t></w:r></w:sdtContent></w:sdt>
<w:r><w:t xml:space="preserve"> من جدة.</w:t></w:r></w:p>
<w:sdt><w:sdtPr><w:id w:val="202"/></w:sdtPr><w:sdtContent>
<w:p><w:r><w:t>فقرة داخل عنصر تحكم في المحتوى.</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:r><w:t xml:space="preserve">زوروا </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://x.example/وزارة" \\o "موقع الوزارة" </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>موقع الوزارة</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> كل يوم.</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">انظر </w:t></w:r>
<w:fldSimple w:instr=" REF مرجع_الجدول \\h "><w:r><w:t>الجدول الأول</w:t></w:r></w:fldSimple>
<w:r><w:t xml:space="preserve"> للتفاصيل</w:t></w:r>
<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>
<w:r><w:t>.</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">وفي الإطار </w:t></w:r><w:r><w:pict>
<v:shape id="tb1" style="width:200pt;height:50pt" type="#_x0000_t202"><v:textbox><w:txbxContent>
<w:p><w:r><w:t>نص داخل مربع النص.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>
<w:r><w:t>ما يلي من أخبار.</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">ومربع حديث </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">
<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="1828800" cy="457200"/>
<wp:docPr id="10" name="Text Box 10" descr="مربع نص عن المحطة"/>
<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>
<w:p><w:r><w:t>نص في مربع حديث.</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>
</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict>
<v:shape id="tb2" style="width:144pt;height:36pt" type="#_x0000_t202"><v:textbox><w:txbxContent>
<w:p><w:r><w:t>نص في مربع حديث.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t xml:space="preserve"> في الصفحة.</w:t></w:r></w:p>
"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> المصدر وزارة البيئة.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
FOOTNOTES_PART = word_part("footnotes", FOOTNOTES)


def word_document(tmp_path) -> bytes:
    """A Word file made by python-docx (header, footer, table), with XML written as Word writes
    it for what python-docx cannot make: tracked changes, content controls, fields, text boxes
    (VML, and DrawingML with its VML fallback) and a footnote."""
    import docx

    document = docx.Document()
    document.add_paragraph("مقدمة التقرير")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "الطاقة المتجددة"
    table.cell(0, 1).text = "600"
    section = document.sections[0]
    section.header.paragraphs[0].text = "أخبار البيئة"
    section.footer.paragraphs[0].text = "صفحة الأخبار"
    path = tmp_path / "made.docx"
    document.save(path)
    return word_package(path, BODY, (FOOTNOTES_PART,))


def _texts(root, tag: str) -> list[str]:
    return [node.text or "" for node in root.iter(W + tag)]


def _field_characters(root) -> list[list[str]]:
    return [[c.get(W + "fldCharType") for c in p.iter(W + "fldChar")] for p in root.iter(W + "p")]


def test_word_translates_insertions_controls_fields_text_boxes_and_notes(document_translator, tmp_path):
    data = word_document(tmp_path)
    source, result, again = translate_and_reopen(document_translator, data, "docx")
    before, after = xml_parts(data), xml_parts(result.data)  # every part is well-formed XML
    assert sorted(before) == sorted(after)
    import docx

    docx.Document(io.BytesIO(result.data))  # python-docx opens it
    assert again.counts() == source.counts()
    counts = source.counts()
    assert (counts["insertions"], counts["deletions"], counts["controls"], counts["textboxes"]) \
        == (1, 1, 2, 3)
    assert counts["images"] == 1  # the DrawingML text box
    assert counts["fields"] == 2
    for name in TEXT_PARTS:
        translated_text = "".join(_texts(after[name], "t"))
        assert not ARABIC.search(translated_text), (name, translated_text)
    # What the source had in every text part is now in English (the random model's English).
    assert all(_texts(before[name], "t") for name in TEXT_PARTS)
    body = after["word/document.xml"]
    # Deleted text stays deleted, in Arabic; field codes are never translated; fields stay whole.
    assert _texts(body, "delText") == ["القديم "]
    assert body.find(f".//{W}del//{W}delText") is not None
    assert _texts(body, "instrText") == _texts(before["word/document.xml"], "instrText")
    assert [f.get(W + "instr") for f in body.iter(W + "fldSimple")] == [" REF مرجع_الجدول \\h "]
    assert _field_characters(body) == _field_characters(before["word/document.xml"])
    sdt = body.find(f".//{W}p/{W}sdt")
    assert sdt.find(f"{W}sdtPr/{W}alias").get(W + "val") == "الكاتب"
    assert sdt.find(f"{W}sdtContent") is not None
    assert body.find(f".//{W}footnoteReference").get(W + "id") == "1"
    alt = [e.get("descr") for e in body.iter("{*}docPr")]
    assert len(alt) == 1 and alt[0] and not ARABIC.search(alt[0])  # a drawing's alt text
    assert [p.get(W + "val") for p in body.iter(W + "bidi")] == ["0"]
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(result.data)) as new:
        assert old.read("word/styles.xml") == new.read("word/styles.xml")


def test_word_field_result_and_insertion_keep_their_place_around_the_english(document_translator, tmp_path):
    data = word_document(tmp_path)
    source, result, _ = translate_and_reopen(document_translator, data, "docx")
    body = xml_parts(result.data)["word/document.xml"]
    field_paragraph = next(p for p in body.iter(W + "p") if p.find(f".//{W}instrText") is not None)
    # begin, code, separate, result runs, end: the order Word needs, the result in English.
    pieces = []
    for run in field_paragraph.iter(W + "r"):
        for piece in run:
            if piece.tag == W + "fldChar":
                pieces.append(piece.get(W + "fldCharType"))
            elif piece.tag == W + "instrText":
                pieces.append("code")
    assert pieces == ["begin", "code", "separate", "end"]
    insertion_paragraph = next(p for p in body.iter(W + "p") if p.find(W + "ins") is not None)
    assert insertion_paragraph.find(f"{W}ins").get(W + "author") == "محرر"


# -- Markdown -----------------------------------------------------------------------------------

MARKDOWN = """---
title: خبر عاجل
tags: [بيئة]
---

# عنوان [الخبر][ref] **المهم**

قال [الوزير] إن [المحطة الجديدة][] ستعمل و[التقرير الكامل][Full Report] هنا، و[رابط](<https://x.example/a b> "عنوان") و<https://auto.example/x?y=1> و![صورة المحطة][img] و`code` اليوم.
سطر ثان من الفقرة.

<div class="box">
نص HTML لا يترجم
</div>

| عمود | English |
|---|---|
| خلية [مرجع][ref] | cell |

```python
print("كود لا يترجم")
```

[ref]: https://ref.example/r "عنوان المرجع"
[الوزير]: https://minister.example
[المحطة الجديدة]: https://station.example
[full report]: https://report.example/full
[img]: https://img.example/i.png
"""


def _links(text: str) -> list[str]:
    """The link targets a CommonMark parser finds, in order (definitions resolved)."""
    tokens = MarkdownIt("commonmark").enable(["table"]).parse(text)
    return [child.attrGet("href") for token in tokens for child in token.children or []
            if child.type == "link_open"]


def _blocks(text: str) -> list[str]:
    return [t.type for t in MarkdownIt("commonmark").enable(["table"]).parse(text)]


def test_markdown_reference_links_stay_references_and_non_prose_stays(document_translator):
    source, result, again = translate_and_reopen(document_translator, MARKDOWN.encode(), "md")
    out = result.data.decode()
    assert again.counts() == source.counts()
    assert sorted(_links(out)) == sorted(_links(MARKDOWN)) == sorted([
        "https://ref.example/r", "https://minister.example", "https://station.example",
        "https://report.example/full", "https://x.example/a%20b", "https://auto.example/x?y=1",
        "https://ref.example/r"])
    assert _blocks(out) == _blocks(MARKDOWN)
    # Reference links are written as references to the same labels, never as inline links.
    for kept in ("][ref]", "][الوزير]", "][المحطة الجديدة]", "][Full Report]",
                 '](<https://x.example/a b> "عنوان")', "<https://auto.example/x?y=1>",
                 "][img]", "`code`"):
        assert kept in out, kept
    alts = [child.content for token in MarkdownIt("commonmark").parse(out)
            for child in token.children or [] if child.type == "image"]
    assert len(alts) == 1 and alts[0] and not ARABIC.search(alts[0])  # the alt text translated
    # Front matter, the HTML block, the code block and every definition (but a title): byte for
    # byte.
    lines = MARKDOWN.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("[ref]: "):  # all but its title, which is translated
            title = line.index('"')
            [written] = [o for o in out.splitlines() if o.startswith("[ref]: ")]
            assert written[:title + 1] == line[:title + 1] and written.endswith('"')
            assert not ARABIC.search(written)
        elif number < 4 or line.startswith(("[", "<", "```", "print", "نص HTML", "|---")):
            assert line in out.splitlines(), line
    assert "https://ref.example/r" not in out.split("[ref]:")[0]


# -- HTML ---------------------------------------------------------------------------------------

LEGACY_PAGES = {
    "meta charset": '<!DOCTYPE html><html><head><meta charset="windows-1256"><title>خبر</title>',
    "http-equiv": ('<html><head><meta http-equiv="Content-Type" '
                   'content="text/html; charset=windows-1256"><title>خبر</title>'),
    "undeclared": "<html><head><title>خبر</title>",
}


@pytest.mark.parametrize("kind", sorted(LEGACY_PAGES))
def test_html_in_windows_1256_is_written_as_utf8_that_says_so(document_translator, kind):
    page = (LEGACY_PAGES[kind] + "</head><body><p>قال الرئيس إن الحكومة ستعمل على خطة جديدة "
            "للمياه والطاقة في المدن الكبرى.</p><p>Hello and café</p>"
            "<pre>نص لا يترجم</pre></body></html>").encode("cp1256")
    source, result, _ = translate_and_reopen(document_translator, page, "html")
    result.data.decode("utf-8")  # strictly UTF-8
    # A parser that, like a browser, reads the encoding the page declares gets the text right.
    tree = lxml.html.document_fromstring(result.data)
    declared = [m for m in tree.iter("meta") if m.get("charset") or m.get("http-equiv")]
    assert [m.get("charset") for m in declared] == ["utf-8"]
    assert tree.find(".//pre").text == "نص لا يترجم"
    assert [p.text for p in tree.iter("p")][1] == "Hello and café"
    assert result.data.lower().startswith(b"<!doctype") == LEGACY_PAGES[kind].startswith("<!DOCTYPE")


# -- Latin text inside an Arabic sentence ------------------------------------------------------

LATIN_PAGE = ('<p>قال مدير <a href="https://bbc.example/news">BBC News</a> إن شركة '
              '<b>Google</b> ستفتح مكتبا جديدا في الرياض.</p>')


def test_latin_link_text_comes_out_as_written_once(document_translator):
    source, result, again = translate_and_reopen(document_translator, LATIN_PAGE.encode(), "html")
    assert again.counts() == source.counts()  # UTF-8 and undeclared: nothing added
    tree = lxml.html.document_fromstring(result.data)
    paragraph = tree.find(".//p")
    assert paragraph.find("a").text_content() == "BBC News"
    assert paragraph.find("a").get("href") == "https://bbc.example/news"
    assert paragraph.find("b").text_content() == "Google"
    assert paragraph.text_content().count("BBC News") == 1
    assert paragraph.text_content().count("Google") == 1
    assert result.sentences[0].translation == paragraph.text_content()


def test_latin_link_text_in_markdown_and_word(document_translator, tmp_path):
    md = "قال مدير [BBC News](https://bbc.example) إن العمل سيستمر اليوم.\n"
    _, result, _ = translate_and_reopen(document_translator, md.encode(), "md")
    assert "[BBC News](https://bbc.example)" in result.data.decode()
    assert result.data.decode().count("BBC News") == 1

    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("قال مدير ")
    paragraph.add_run("BBC News").bold = True
    paragraph.add_run(" إن العمل سيستمر اليوم.")
    path = tmp_path / "latin.docx"
    document.save(path)
    _, result, again = translate_and_reopen(document_translator, path.read_bytes(), "docx")
    bold = [run.text for p in docx.Document(io.BytesIO(result.data)).paragraphs
            for run in p.runs if run.bold]
    assert bold == ["BBC News"]
    assert again.text.count("BBC News") == 1


# -- keeping Latin text, on translations written by hand --------------------------------------

@pytest.mark.parametrize(("english", "expected"), [
    ("The head of BBC News said work would go on.", "The head of BBC News said work would go on."),
    ("The head of BBC Newz said work would go on.", "The head of BBC News said work would go on."),
    ("BBC News, the head of BBC News said", ", the head of BBC News said"),
    ("The head said work would go on.", None),
])
def test_latin_mark_is_pinned_to_its_text(english, expected):
    from tarjama.documents.blocks import Block, Mark
    from tarjama.documents.literal import keep_latin
    from tarjama.documents.placement import TranslatedSpan, place

    text = "قال مدير BBC News إن العمل سيستمر."
    at = text.index("BBC")
    block = Block(text, (Mark(at, at + 8, 0), Mark(at, at + 3, 1, 0)))
    span = keep_latin(block, TranslatedSpan(0, len(text), english))
    placed = place(block, [span])
    check_marks(placed)
    assert [placed.text[m.start:m.end] for m in placed.marks] == ["BBC News", "BBC"]
    assert placed.text.count("BBC News") == 1
    if expected is not None:
        assert placed.text == expected
