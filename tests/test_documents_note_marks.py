"""A note's reference glued to the end of a sentence's last word (``سيكتمل[^1].``) stays at the
end of that sentence's English, before its full stop, in every format; it never moves to the start
of the next sentence's English. On the tiny random model: the test reads the English of each
sentence from the result and finds the reference between the two."""
import io

import lxml.html

from document_support import SUPERSCRIPT, blank_word_package, translate_and_reopen

FIRST = "قال الوزير إن المشروع سيكتمل"
SECOND = "وأضاف أن العمل مستمر في المدن"
CLOSING = ".!?\"'”»)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _at_first_sentence_end(before: str, after: str, sentences) -> None:
    """``before`` and ``after`` (a block's English either side of the reference) cut the first
    of ``sentences``' English at its end, before its closing punctuation."""
    first, second = (s.translation for s in sentences[:2])
    assert before + after == first + " " + second, (before, after)
    assert first.startswith(before) and before.rstrip(CLOSING) == first.rstrip(CLOSING), \
        (before, first)


def test_html_note_reference_and_image_stay_at_their_sentence_s_end(document_translator):
    page = (f'<p>{FIRST}<sup><a href="#fn1">1</a></sup>. {SECOND}<img src="m.png" alt="">.</p>'
            '<ol><li id="fn1">بيان الوزارة.</li></ol>')
    source, result, again = translate_and_reopen(document_translator, page.encode(), "html")
    assert again.counts() == source.counts()
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    sup, image = paragraph.find("sup"), paragraph.find("img")
    # The number is kept as written, not given to the model.
    assert lxml.html.tostring(sup, with_tail=False) == b'<sup><a href="#fn1">1</a></sup>'
    _at_first_sentence_end(paragraph.text, sup.tail + (image.tail or ""), result.sentences)
    second = result.sentences[1].translation
    assert (image.tail or "") == second[len(second.rstrip(CLOSING)):], (image.tail, second)


def test_markdown_footnote_reference_stays_at_its_sentence_s_end(document_translator):
    text = f"{FIRST}[^1]. {SECOND}.\n\n[^1]: بيان الوزارة.\n"
    _, result, _ = translate_and_reopen(document_translator, text.encode(), "md")
    line = result.data.decode().split("\n")[0].replace("\\", "")
    before, _, after = line.partition("[^1]")
    _at_first_sentence_end(before, after, result.sentences)


def _either_side(paragraph, is_reference) -> tuple[str, str]:
    runs = list(paragraph.iter(f"{W}r"))
    at = next(i for i, run in enumerate(runs) if is_reference(run))
    before, after = (["".join(t.text or "" for run in part for t in run.iter(f"{W}t"))
                      for part in (runs[:at], runs[at + 1:])])
    return before, after


def test_word_footnote_reference_and_typed_note_number_stay_at_the_sentence_end(
        document_translator, tmp_path):
    import docx

    body = (f'<w:p><w:r><w:t>{FIRST}</w:t></w:r><w:r>{SUPERSCRIPT}<w:footnoteReference w:id="1"/>'
            f'</w:r><w:r><w:t xml:space="preserve">. {SECOND}.</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>{FIRST}</w:t></w:r><w:r>{SUPERSCRIPT}<w:t>2</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve">. {SECOND}.</w:t></w:r></w:p>')
    data = blank_word_package(tmp_path, body)
    source, result, again = translate_and_reopen(document_translator, data, "docx")
    assert again.counts() == source.counts()
    paragraphs = [p._p for p in docx.Document(io.BytesIO(result.data)).paragraphs]
    reference, typed = paragraphs[-2:]
    before, after = _either_side(reference, lambda r: r.find(f"{W}footnoteReference") is not None)
    _at_first_sentence_end(before, after, result.sentences[:2])
    before, after = _either_side(typed, lambda r: r.find(f"{W}rPr/{W}vertAlign") is not None)
    _at_first_sentence_end(before, after, result.sentences[2:])
    number = [r for r in typed.iter(f"{W}r") if r.find(f"{W}rPr/{W}vertAlign") is not None]
    assert [r.find(f"{W}t").text for r in number] == ["2"]  # kept as typed, not translated


def test_markdown_note_number_in_inline_html_is_kept_whole(document_translator):
    text = f"{FIRST}<sup>1</sup>. {SECOND}.\n"
    _, result, _ = translate_and_reopen(document_translator, text.encode(), "md")
    assert [s.source for s in result.sentences] == [FIRST + ".", SECOND + "."]
    line = result.data.decode().split("\n")[0].replace("\\", "")
    before, _, after = line.partition("<sup>1</sup>")
    _at_first_sentence_end(before, after, result.sentences)


def test_markdown_footnote_definitions_on_consecutive_lines_stay_apart(document_translator):
    text = f"{FIRST}[^a][^b].\n\n[^a]: بيان الوزارة.\n[^b]: وكالة الأنباء\n    في الرياض.\n"
    _, result, _ = translate_and_reopen(document_translator, text.encode(), "md")
    lines = result.data.decode().split("\n")
    assert lines[2].startswith("[^a]: ") and "[^b]" not in lines[2]
    assert lines[3].startswith("[^b]: ") and lines[3].count("[^b]") == 1
    assert [s.source for s in result.sentences][1:] == ["بيان الوزارة.", "وكالة الأنباء في الرياض."]


def test_html_note_number_after_a_space_is_kept_whole(document_translator):
    page = "<p>نص الخبر كما ورد <span class=\"ref\"><sup>٣</sup></span></p>"
    _, result, _ = translate_and_reopen(document_translator, page.encode(), "html")
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    assert paragraph.find(".//sup").text == "3"  # only its digits, as the English writes them
    assert [s.source for s in result.sentences] == ["نص الخبر كما ورد"]


# Note numbers in Arabic-Indic and Persian digits come out in the digits the English is written
# in (as every number the model writes does); brackets and markup stay as written.
def test_html_note_numbers_come_out_in_western_digits(document_translator):
    page = (f'<p>{FIRST}<sup>٣</sup>. {SECOND}<sup><a href="#fn1">[١٢]</a></sup>. '
            f'{FIRST}<a href="#fn2">[۴]</a>.</p><ol><li id="fn1">بيان.</li><li id="fn2">بيان.</li></ol>')
    source, result, again = translate_and_reopen(document_translator, page.encode(), "html")
    assert again.counts() == source.counts()
    paragraph = lxml.html.document_fromstring(result.data.decode("utf-8")).find(".//p")
    notes = [lxml.html.tostring(e, with_tail=False) for e in paragraph if e.tag in ("sup", "a")]
    assert notes == [b"<sup>3</sup>", b'<sup><a href="#fn1">[12]</a></sup>', b'<a href="#fn2">[4]</a>']


def test_word_typed_note_number_comes_out_in_western_digits(document_translator, tmp_path):
    import docx

    body = (f'<w:p><w:r><w:t>{FIRST}</w:t></w:r><w:r>{SUPERSCRIPT}<w:t>[٣]</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve">. {SECOND}</w:t></w:r>'
            f'<w:r>{SUPERSCRIPT}<w:t xml:space="preserve"> ۱۴</w:t></w:r></w:p>')
    data = blank_word_package(tmp_path, body)
    _, result, _ = translate_and_reopen(document_translator, data, "docx")
    paragraph = docx.Document(io.BytesIO(result.data)).paragraphs[-1]._p
    numbers = [r.find(f"{W}t").text for r in paragraph.iter(f"{W}r")
               if r.find(f"{W}rPr/{W}vertAlign") is not None]
    assert numbers == ["[3]", " 14"]


def test_markdown_note_number_in_inline_html_comes_out_in_western_digits(document_translator):
    text = f"{FIRST}<sup>٣</sup>. {SECOND}<sup>[۱۲]</sup>.\n"
    _, result, _ = translate_and_reopen(document_translator, text.encode(), "md")
    line = result.data.decode().split("\n")[0]
    assert line.count("<sup>3</sup>") == 1 and line.count("<sup>[12]</sup>") == 1, line
    assert [s.source for s in result.sentences] == [FIRST + ".", SECOND + "."]
