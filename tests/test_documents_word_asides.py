"""What a Word file holds beside its paragraphs, on the tiny random model: reviewers' comments
(``word/comments.xml``), a VML shape's alt text and a table of contents (a complex field over
several paragraphs, whose result Word writes from the headings: left as it is, marked dirty),
and tabs and line breaks between words. Each file is
made by python-docx, with the XML Word writes for what python-docx cannot make, and read back
with lxml and python-docx."""
import io
import re

import lxml.etree
import pytest

from document_support import translate_and_reopen, word_package, word_part, xml_parts

ARABIC = re.compile("[\u0600-\u06ff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
VML = "{urn:schemas-microsoft-com:vml}"

BODY = """
<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r>
<w:hyperlink w:anchor="_Toc1" w:history="1"><w:r><w:t>افتتاح المحطة الجديدة</w:t></w:r>
<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>
<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>
<w:hyperlink w:anchor="_Toc2" w:history="1"><w:r><w:t>تكلفة المشروع</w:t></w:r>
<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc2 \\h </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>
<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:bookmarkStart w:id="1" w:name="_Toc1"/><w:r><w:t>افتتاح المحطة الجديدة</w:t></w:r>
<w:bookmarkEnd w:id="1"/></w:p>
<w:p><w:commentRangeStart w:id="5"/><w:r><w:t xml:space="preserve">قال الوزير إن المحطة ستعمل قريبا.</w:t></w:r>
<w:commentRangeEnd w:id="5"/><w:r><w:commentReference w:id="5"/></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">وفي الصورة </w:t></w:r><w:r><w:pict>
<v:shape id="pic1" alt="صورة المحطة على الساحل" style="width:100pt;height:50pt" type="#_x0000_t75">
<v:imagedata o:title=""/></v:shape></w:pict></w:r><w:r><w:t>مبنى المحطة.</w:t></w:r></w:p>
<w:p><w:r><w:t>المدير:</w:t><w:tab/><w:t>سامي الحربي</w:t><w:br/><w:t>الهاتف</w:t></w:r>
<w:r><w:br/></w:r></w:p>
"""

COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W_NS}">
<w:comment w:id="5" w:author="المحرر" w:date="2024-01-01T00:00:00Z" w:initials="م">
<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:annotationRef/></w:r><w:r><w:rPr><w:rtl/></w:rPr>
<w:t xml:space="preserve">تحقق من موعد التشغيل مع الوزارة.</w:t></w:r></w:p></w:comment>
</w:comments>"""


COMMENTS_PART = word_part("comments", COMMENTS)


def word_document(tmp_path) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("مقدمة التقرير")
    path = tmp_path / "made.docx"
    document.save(path)
    return word_package(path, BODY, (COMMENTS_PART,),
                        {"v": "urn:schemas-microsoft-com:vml",
                         "o": "urn:schemas-microsoft-com:office:office"})


@pytest.fixture(scope="module")
def translated(document_translator, tmp_path_factory):
    data = word_document(tmp_path_factory.mktemp("asides"))
    source, result, _ = translate_and_reopen(document_translator, data, "docx")
    return data, source, result


def test_comments_are_translated_and_stay_comments(translated):
    data, source, result = translated
    before, after = xml_parts(data)["word/comments.xml"], xml_parts(result.data)["word/comments.xml"]
    [comment] = after.iter(W + "comment")
    assert comment.get(W + "author") == "المحرر"  # who wrote it is a name, not text
    assert comment.get(W + "id") == "5"
    text = "".join(node.text or "" for node in comment.iter(W + "t"))
    assert text.strip() and not ARABIC.search(text)
    assert comment.find(f".//{W}annotationRef") is not None
    assert [p.get(W + "val") for p in after.iter(W + "bidi")] == ["0"]
    assert before.find(f".//{W}comment") is not None
    body = xml_parts(result.data)["word/document.xml"]
    assert [e.get(W + "id") for e in body.iter(W + "commentRangeStart", W + "commentRangeEnd",
                                                 W + "commentReference")] == ["5", "5", "5"]
    assert source.counts()["comments"] == result.reopen().counts()["comments"] == 1
    import docx

    docx.Document(io.BytesIO(result.data))  # python-docx opens it


def test_comments_are_not_the_text_a_summary_reads(translated):
    _, source, _ = translated
    assert "الوزير" in source.text
    assert "تحقق من موعد التشغيل" not in source.text


def test_vml_shape_alt_text_is_translated(translated):
    data, _, result = translated
    [before] = xml_parts(data)["word/document.xml"].iter(VML + "shape")
    [after] = xml_parts(result.data)["word/document.xml"].iter(VML + "shape")
    assert ARABIC.search(before.get("alt"))
    assert after.get("alt").strip() and not ARABIC.search(after.get("alt"))
    assert after.get("style") == before.get("style")


def test_table_of_contents_is_left_for_word_to_write_again_from_the_english_headings(translated):
    data, _, result = translated
    before, after = xml_parts(data)["word/document.xml"], xml_parts(result.data)["word/document.xml"]

    def toc_paragraphs(root):
        paragraphs = list(root.iter(W + "p"))
        return paragraphs[1:4]  # after the python-docx paragraph: two entries and the end

    # The field is marked dirty, so Word writes it again from the headings, now English...
    begins = [c for c in after.iter(W + "fldChar") if c.get(W + "fldCharType") == "begin"]
    assert [c.get(W + "dirty") for c in begins] == ["true", None, None]
    del begins[0].attrib[W + "dirty"]
    # ...and its result (entries, tabs, page-number fields) stays exactly as Word wrote it.
    for old, new in zip(toc_paragraphs(before), toc_paragraphs(after), strict=True):
        assert lxml.etree.tostring(new) == lxml.etree.tostring(old)
    heading = next(p for p in after.iter(W + "p") if p.find(W + "bookmarkStart") is not None)
    assert heading.find(W + "bookmarkStart").get(W + "name") == "_Toc1"
    assert not ARABIC.search("".join(t.text or "" for t in heading.iter(W + "t")))



def test_tabs_and_breaks_keep_the_words_apart_and_stay_in_place(translated):
    _, source, result = translated
    # Read as a space (none after the last break), so the model never sees "المدير:سامي".
    assert "المدير: سامي الحربي الهاتف" in [block.text for block in source.parsed.blocks]
    after = xml_parts(result.data)["word/document.xml"]
    paragraph = list(after.iter(W + "p"))[-1]
    pieces = [node.tag.split("}")[1] for run in paragraph.iter(W + "r") for node in run
              if node.tag in (W + "t", W + "tab", W + "br")]
    assert pieces.count("tab") == 1 and pieces.count("br") == 2
    assert pieces[-1] == "br"  # the break that ended the paragraph still ends it
    text = "".join(node.text or "" for node in paragraph.iter(W + "t"))
    assert text.strip() and not ARABIC.search(text)
