"""Documents in, documents out, on the tiny random model: whatever it writes, every element,
link, run and cue comes back exactly once, the output parses, and what has no Arabic is left as
it was. (Where the random model puts a bold word is noise; tests/test_documents_placement.py
checks the placement itself on alignments built by hand.)"""
import hashlib
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

import tarjama
from document_support import translate_and_reopen
from tarjama.cli import app
from tarjama.documents import Document
from tarjama.documents.subtitles import MAX_LINE

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر عاجل من جدة</title>
<meta name="description" content="وصف الخبر"><style>p { color: red; }</style></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/en">English</a></nav>
<p>قال <b>وزير <i>البيئة</i></b> إن <a href="https://x.example/a?b=1">المحطة الجديدة</a> ستعمل
قريبا<img src="p.png" alt="صورة المحطة">. وأضاف أن <span class="n">التكلفة</span> بلغت <code>2.5</code> مليار.</p>
<p>An English paragraph with <b>bold</b> &amp; a <a href="/x">link</a>.</p>
<pre>نص لا يترجم</pre><script>var s = "نص";</script><!-- تعليق لا يترجم -->
<textarea placeholder="اكتب هنا">نص</textarea>
</body></html>
"""

MARKDOWN = """# عنوان **الخبر** الرئيسي

فقرة فيها *تأكيد* و[رابط](https://x.example/a "عنوان") و`code` هنا.
سطر ثان من الفقرة.

- عنصر أول
- عنصر [ثان][ref]

| عمود | English |
|---|---|
| خلية | cell |

```
كود لا يترجم
```

English *stays* exactly as it is.

[ref]: https://ref.example/r
"""


@pytest.mark.parametrize("suffix", ["html", "docx", "srt", "vtt", "md"])
def test_every_example_keeps_its_structure(document_translator, suffix):
    data = (EXAMPLES / f"article_ar.{suffix}").read_bytes()
    source, result, again = translate_and_reopen(document_translator, data, suffix)
    assert again.counts() == source.counts()
    assert len(result.sentences) >= 8  # the article's eight sentences (and its title)
    assert not re.search("[\u0600-\u06ff]", again.text), "Arabic left untranslated"


def test_html_keeps_every_element_link_and_untouched_text(document_translator):
    source, result, again = translate_and_reopen(document_translator, PAGE.encode(), "html")
    before, after = lxml.html.document_fromstring(PAGE.encode()), \
        lxml.html.document_fromstring(result.data)
    assert Counter(e.tag for e in before.iter() if isinstance(e.tag, str)) == \
        Counter(e.tag for e in after.iter() if isinstance(e.tag, str))
    assert sorted(a.get("href") for a in before.iter("a")) == sorted(a.get("href") for a in after.iter("a"))
    for tag in ("pre", "script", "style", "textarea", "code"):
        assert [_content(e) for e in before.iter(tag)] == [_content(e) for e in after.iter(tag)], tag
    assert [c.text for c in before.iter(lxml.html.etree.Comment)] == \
        [c.text for c in after.iter(lxml.html.etree.Comment)]
    english = [p for p in after.iter("p") if "English paragraph" in p.text_content()]
    assert lxml.html.tostring(english[0]) == lxml.html.tostring(
        [p for p in before.iter("p") if "English paragraph" in p.text_content()][0])
    assert after.get("lang") == "en" and after.get("dir") == "ltr"
    assert after.find(".//img").get("alt") != "صورة المحطة"
    assert after.find(".//textarea").get("placeholder") != "اكتب هنا"
    # The sentence with <b>, <i>, <a>, <img> and <span> inside it is translated as one sentence.
    assert sum(1 for s in result.sentences if "وزير" in s.source) == 1


def _content(element):
    """What an element holds (its attributes may be translated: a placeholder, a title)."""
    return element.text, [lxml.html.tostring(child) for child in element]


def test_html_in_its_declared_legacy_encoding(document_translator):
    page = ('<html><head><meta charset="windows-1256"></head><body><p>قال الرئيس</p>'
            "<p>Hello</p></body></html>").encode("cp1256")
    source, result, again = translate_and_reopen(document_translator, page, "html")
    assert source.text.splitlines()[0] == "قال الرئيس"
    assert b'charset="utf-8"' in result.data
    assert "Hello" in again.text


def test_html_without_declaration_read_as_utf8_or_windows_1256(document_translator):
    page = "<p>قال الرئيس إن الحكومة ستعمل على خطة جديدة للمياه</p>"
    for encoding in ("utf-8", "cp1256"):
        source = Document.from_bytes(page.encode(encoding), "html")
        assert source.text == "قال الرئيس إن الحكومة ستعمل على خطة جديدة للمياه"


def test_markdown_keeps_links_code_and_english_lines(document_translator):
    source, result, again = translate_and_reopen(document_translator, MARKDOWN.encode(), "md")
    out = result.data.decode()
    assert again.counts() == source.counts()
    for kept in ("`code`", "```\nكود لا يترجم\n```", "English *stays* exactly as it is.",
                 "](https://x.example/a \"عنوان\")", "][ref]", "|---|---|",
                 "[ref]: https://ref.example/r"):
        assert kept in out, kept
    assert out.startswith("# ")


def test_subtitles_keep_numbers_timings_and_untouched_cues(document_translator):
    srt = ("1\r\n00:00:01,000 --> 00:00:03,500\r\nقال <i>الرئيس</i> إن\r\n\r\n"
           "2\r\n00:00:03,600 --> 00:00:06,000\r\nالحكومة ستعمل بسرعة كبيرة جدا على مشروع المياه.\r\n\r\n"
           "3\r\n00:00:06,100 --> 00:00:07,000\r\n[Music] ♪\r\n\r\n"
           "4\r\n00:00:07,100 --> 00:00:09,000 X1:10 X2:20\r\n<font color=\"red\">مرحبا</font> بكم.\r\n")
    source, result, again = translate_and_reopen(document_translator, srt.encode("utf-8"), "srt")
    out = result.data.decode()
    assert "\r\n" in out and "\n" not in out.replace("\r\n", "")
    heads = [line for line in srt.split("\r\n") if "-->" in line or line.isdigit()]
    assert [line for line in out.split("\r\n") if "-->" in line or line.isdigit()] == heads
    assert "\r\n[Music] ♪\r\n" in out
    assert again.counts() == source.counts()
    for line in out.split("\r\n"):
        assert len(line) <= MAX_LINE or " " not in line.strip() or "<" in line


def test_subtitles_in_windows_1256(document_translator):
    srt = "1\r\n00:00:01,000 --> 00:00:03,500\r\nقال الرئيس.\r\n"
    source = Document.from_bytes(srt.encode("cp1256"), "srt")
    assert source.text == "قال الرئيس."


def test_webvtt_keeps_header_notes_and_settings(document_translator):
    vtt = ("WEBVTT - نشرة\n\nNOTE made for the tests\n\nintro\n00:01.000 --> 00:03.000 align:start\n"
           "<v المذيع>قال الرئيس</v> إن\n\n00:03.100 --> 00:05.000\nالعمل سيستمر.\n")
    source, result, again = translate_and_reopen(document_translator, vtt.encode(), "vtt")
    out = result.data.decode()
    for kept in ("WEBVTT - نشرة\n\nNOTE made for the tests\n\nintro\n00:01.000 --> 00:03.000 align:start\n",
                 "<v المذيع>", "</v>", "\n00:03.100 --> 00:05.000\n"):
        assert kept in out
    assert again.counts() == source.counts()


def _docx_with_everything(tmp_path: Path) -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("قال ")
    paragraph.add_run("وزير البيئة").bold = True
    paragraph.add_run(" إن المحطة ستعمل قريبا. وأضاف أن ")
    paragraph.add_run("التكلفة").italic = True
    paragraph.add_run(" بلغت 2.5 مليار.")
    paragraph.paragraph_format.element.get_or_add_pPr().append(docx.oxml.OxmlElement("w:bidi"))
    document.add_paragraph("An English paragraph stays.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "الطاقة"
    table.cell(0, 1).text = "600"
    document.sections[0].header.paragraphs[0].text = "أخبار البيئة"
    path = tmp_path / "w.docx"
    document.save(path)
    return path.read_bytes()


def test_docx_keeps_runs_formatting_tables_headers_and_package(document_translator, tmp_path):
    data = _docx_with_everything(tmp_path)
    source, result, again = translate_and_reopen(document_translator, data, "docx")
    assert again.counts()["paragraphs"] == source.counts()["paragraphs"]
    assert again.counts()["tables"] == source.counts()["tables"] == 1
    assert again.counts()["formats"] == source.counts()["formats"]
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(result.data)) as after:
        assert sorted(before.namelist()) == sorted(after.namelist())
        assert before.read("word/styles.xml") == after.read("word/styles.xml")
        body = after.read("word/document.xml").decode()
        header = after.read("word/header1.xml").decode() if "word/header1.xml" in after.namelist() \
            else ""
    assert "An English paragraph stays." in body
    assert '<w:bidi w:val="0"/>' in body and "<w:bidi/>" not in body
    assert "أخبار البيئة" not in header
    assert not re.search("[\u0600-\u06ff]", again.text)


def test_nested_inline_markup_hundreds_deep(document_translator):
    page = "<p>" + "<span>" * 200 + "قال الرئيس إن العمل سيستمر" + "</span>" * 200 + " اليوم.</p>"
    source, result, again = translate_and_reopen(document_translator, page.encode(), "html")
    assert again.counts()["inline"] == 200


def test_python_api_translates_a_file_to_a_file(tiny_models, tmp_path):
    target = tmp_path / "out.md"
    before = (EXAMPLES / "article_ar.md").read_bytes()
    done = tarjama.translate_file(EXAMPLES / "article_ar.md", target, str(tiny_models.marian))
    assert target.read_bytes() == done.data
    assert (EXAMPLES / "article_ar.md").read_bytes() == before
    assert done.translation.text and len(done.translation.sentences) == len(done.sentences)


# -- the command line -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tarjama-cache")


@pytest.fixture()
def cli(tiny_models, cache_dir, monkeypatch):
    monkeypatch.setenv("TARJAMA_CACHE", str(cache_dir))

    def invoke(*args: str, command: str = "translate"):
        model = ["--model", str(tiny_models.marian)]
        if command == "summarize":
            model += ["--summarizer", str(tiny_models.summarizer)]
        return CliRunner().invoke(app, [command, *args, *model])
    return invoke


def test_cli_translates_a_folder_of_mixed_documents(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for suffix in ("html", "docx", "srt", "vtt", "md", "txt"):
        (folder / f"article_ar.{suffix}").write_bytes((EXAMPLES / f"article_ar.{suffix}").read_bytes())
    result = cli(str(folder), "-o", str(tmp_path / "out"), "--beams", "1", "--guard", "off")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"article_ar.en.{s}" for s in ("docx", "html", "md", "srt", "txt", "vtt")]


def test_cli_writes_beside_the_input_and_reads_the_suffix_override(cli, tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes((EXAMPLES / "article_ar.html").read_bytes())
    result = cli(str(page), "--doc-format", "html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "page.en.txt").read_bytes().startswith(b"<!DOCTYPE html>")


def test_cli_article_only_and_summarize_read_the_article(cli, tmp_path):
    page = EXAMPLES / "news_page_ar.html"
    result = cli(str(page), "--article-only", "--format", "jsonl", "-o", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9  # the title and the article's eight sentences
    assert "الأكثر قراءة" not in "".join(lines) and "أبو خالد" not in "".join(lines)
    result = cli(str(page), "--lead-only", "--beams", "1", "--summary-beams", "1",
                 command="summarize")
    assert result.exit_code == 0, result.output
    assert "the article has 9 of the page's" in result.output


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return out.getvalue()


def _broken_xml_docx() -> bytes:
    """The example Word file with its main part cut in half (not well-formed XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(EXAMPLES / "article_ar.docx") as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for entry in source.infolist():
            data = source.read(entry.filename)
            package.writestr(entry, data[:len(data) // 2] if entry.filename == "word/document.xml"
                             else data)
    return out.getvalue()


BAD_DOCUMENTS = {
    "not-a-zip.docx": (b"plain words, not a package", "is not a Word .docx (not a ZIP package"),
    "encrypted.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
    "truncated.docx": (None, "damaged"),
    "spreadsheet.docx": (_zip({"xl/workbook.xml": b"<workbook/>"}), "without a Word document"),
    "bomb.docx": (_zip({"word/document.xml": b"<w/>", "word/media/x.bin": b"\0" * (4 << 20)}),
                  "decompression bomb"),
    "deep.html": (("<div>" * 30000 + "نص" + "</div>" * 30000).encode(), "nested deeper"),
    "timing.srt": ("1\n00:00:01,000 --> 00:00:02,000\nنص\n\n2\n00:00:03,000 -> 00:00:04\nنص\n".encode(),
                   "cue 2 (line 5): the timing"),
    "backwards.srt": ("1\n00:00:05,000 --> 00:00:02,000\nنص\n".encode(), "cue 1 (line 1): the cue ends"),
    "page-named.srt": (b"<html><body><p>x</p></body></html>", "is not a cue number"),
    "page-named.docx": (b"<html><body><p>x</p></body></html>", "it looks like text"),
    "zip-named.html": (_zip({"a.txt": b"x"}), "ZIP archive"),
    "no-header.vtt": ("00:01.000 --> 00:02.000\nنص\n".encode(), "does not start with WEBVTT"),
    "broken-xml.docx": (_broken_xml_docx(), "is a damaged Word document"),
    "unknown-charset.html": ('<meta charset="arabic-dos"><p>نص</p>'.encode(),
                             "declares its encoding as 'arabic-dos', which is no encoding"),
    "mislabelled.html": ('<meta charset="utf-8"><p>قال الرئيس إن العمل سيستمر</p>'.encode("cp1256"),
                         "declares its encoding as 'utf-8', but byte 25 (0xde) is not utf-8 "
                         "(they read as Windows-1256); fix the page's <meta charset>, or pass "
                         "--encoding NAME"),
    **{f"empty.{suffix}": (b"", "is empty; give a file with the text") for suffix in
       ("html", "docx", "srt", "vtt", "md")},
    "blank.html": (b" \r\n\t\n", "has only whitespace, no text"),
    "comment-only.html": (b"<!-- nothing but a comment -->", "cannot be read as HTML"),
    "bom-only.html": (b"\xef\xbb\xbf", "cannot be read as HTML"),
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_documents_one_line_nothing_written_input_unchanged(cli, tmp_path, name):
    data, expected = BAD_DOCUMENTS[name]
    if data is None:
        data = (EXAMPLES / "article_ar.docx").read_bytes()[:5000]
    source = tmp_path / name
    source.write_bytes(data)
    before = _digest(source)
    out = tmp_path / "out"
    result = cli(str(source), "-o", str(out / ("x" + source.suffix)))
    assert result.exit_code != 0
    message = result.output.strip()
    assert expected in message, message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert not out.exists() or not any(out.iterdir())
    assert _digest(source) == before


@pytest.mark.parametrize("name, data, expected", [
    ("header-only.vtt", b"WEBVTT\n\n", "has no text to summarize"),
    ("picture-only.html", b"<html><body><img src='a.jpg'></body></html>", "no article found"),
    ("empty.md", b"", "is empty"),
])
def test_summarize_a_document_without_text_is_one_line(cli, tmp_path, name, data, expected):
    source = tmp_path / name
    source.write_bytes(data)
    result = cli(str(source), command="summarize")
    assert result.exit_code == 2
    message = result.output.strip()
    assert expected in message and len(message.splitlines()) == 1, message
