"""Write the sample article (article_ar.txt) as a web page, a Word file, subtitles and Markdown.

The files in this folder were made with ``python examples/make_documents.py``; each carries
inline markup inside sentences (bold, italic, links, coloured runs, subtitle tags), which is what
``tarjama translate`` must put back on the English words. Needs python-docx.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINK = "https://example.org/water"


def paragraphs() -> tuple[str, list[str]]:
    lines = (HERE / "article_ar.txt").read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1:]


def marked_words(paragraph: str, number: int) -> list[tuple[str, str | None]]:
    """The paragraph's words, each with the markup it gets (None, "b", "i" or "a"): a few words
    inside the first sentence of every paragraph, so tags always sit inside a sentence."""
    words = paragraph.split(" ")
    kinds: list[str | None] = [None] * len(words)
    kind = ("b", "a", "i", "b", "a")[number % 5]
    for index in (2, 3):
        if index < len(words) - 1:
            kinds[index] = kind
    if len(words) > 8:
        kinds[6] = "i" if kind != "i" else "b"
    return list(zip(words, kinds, strict=True))


def write_html(title: str, body: list[str], folder: Path = HERE) -> None:
    tags = {"b": ("<b>", "</b>"), "i": ("<i>", "</i>"), "a": (f'<a href="{LINK}">', "</a>")}
    parts = []
    for number, paragraph in enumerate(body):
        out, open_kind = [], None
        for word, kind in marked_words(paragraph, number):
            if kind != open_kind and open_kind:
                out[-1] += tags[open_kind][1]
            piece = html.escape(word, quote=False)
            if kind and kind != open_kind:
                piece = tags[kind][0] + piece
            out.append(piece)
            open_kind = kind
        if open_kind:
            out[-1] += tags[open_kind][1]
        parts.append(f"<p>{' '.join(out)}</p>")
    page = (f'<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")
    (folder / "article_ar.html").write_text(page, encoding="utf-8")


def write_markdown(title: str, body: list[str], folder: Path = HERE) -> None:
    delimiters = {"b": ("**", "**"), "i": ("*", "*"), "a": ("[", f"]({LINK})")}
    parts = [f"# {title}"]
    for number, paragraph in enumerate(body):
        out, open_kind = [], None
        for word, kind in marked_words(paragraph, number):
            if kind != open_kind and open_kind:
                out[-1] += delimiters[open_kind][1]
            piece = word
            if kind and kind != open_kind:
                piece = delimiters[kind][0] + piece
            out.append(piece)
            open_kind = kind
        if open_kind:
            out[-1] += delimiters[open_kind][1]
        parts.append(" ".join(out))
    (folder / "article_ar.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def cues(body: list[str], words_per_cue: int = 7) -> list[str]:
    """Cue texts: each paragraph in pieces of a few words, so sentences run over several cues;
    every third cue has its second word in italics."""
    texts = []
    for paragraph in body:
        words = paragraph.split(" ")
        for start in range(0, len(words), words_per_cue):
            piece = words[start:start + words_per_cue]
            if len(texts) % 3 == 0 and len(piece) > 2:
                piece[1] = f"<i>{piece[1]}</i>"
            texts.append(" ".join(piece))
    return texts


def timing(number: int, separator: str) -> str:
    def stamp(millis: int) -> str:
        seconds, millis = divmod(millis, 1000)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours:02}:{minutes:02}:{seconds:02}{separator}{millis:03}"
    return f"{stamp(number * 3000)} --> {stamp(number * 3000 + 2800)}"


def write_subtitles(body: list[str], folder: Path = HERE) -> None:
    texts = cues(body)
    srt = "".join(f"{n}\r\n{timing(n - 1, ',')}\r\n{text}\r\n\r\n" for n, text in enumerate(texts, 1))
    (folder / "article_ar.srt").write_bytes(srt.encode("utf-8"))
    vtt = "WEBVTT\n\n" + "".join(f"{timing(n, '.')}\n{text}\n\n" for n, text in enumerate(texts))
    (folder / "article_ar.vtt").write_text(vtt, encoding="utf-8")


def write_docx(title: str, body: list[str], folder: Path = HERE, extras: bool = True) -> None:
    """The article as a Word file; with ``extras`` also a table, a header and a footer (text that
    the other formats do not have)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    document = docx.Document()
    fixed = datetime(2026, 1, 1, tzinfo=timezone.utc)  # the same file on every run
    document.core_properties.created = document.core_properties.modified = fixed
    heading = document.add_heading(title, level=1)
    for number, paragraph in enumerate(body):
        target = document.add_paragraph()
        target.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        target.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
        words = marked_words(paragraph, number)
        # One run per stretch of one formatting, as Word writes them.
        stretches: list[tuple[str | None, str]] = []
        for index, (word, kind) in enumerate(words):
            text = word + (" " if index < len(words) - 1 else "")
            if stretches and stretches[-1][0] == kind:
                stretches[-1] = (kind, stretches[-1][1] + text)
            else:
                stretches.append((kind, text))
        for kind, text in stretches:
            if kind == "a":
                _hyperlink(target, text, LINK, qn, OxmlElement, document)
                continue
            run = target.add_run(text)
            run.font.rtl = True
            run.bold = kind == "b"
            run.italic = kind == "i"
            if kind == "i":
                run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    if extras:
        table = document.add_table(rows=2, cols=2)
        for row, (label, value) in enumerate((("الطاقة الإنتاجية", "600 ألف متر مكعب يوميا"),
                                               ("التكلفة", "2.5 مليار دولار"))):
            table.cell(row, 0).text = label
            table.cell(row, 1).text = value
        section = document.sections[0]
        section.header.paragraphs[0].text = "أخبار البيئة"
        section.footer.paragraphs[0].text = "جميع الحقوق محفوظة"
    heading.paragraph_format.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
    document.save(folder / "article_ar.docx")


def _hyperlink(paragraph, text, url, qn, OxmlElement, document):
    relation = document.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/"
                                       "2006/relationships/hyperlink", is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    properties.append(style)
    properties.append(OxmlElement("w:rtl"))
    run.append(properties)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def write_all(title: str, body: list[str], folder: Path = HERE, extras: bool = True) -> None:
    """Every format of the article into ``folder`` (``extras``: see :func:`write_docx`)."""
    write_html(title, body, folder)
    write_markdown(title, body, folder)
    write_subtitles(body, folder)
    write_docx(title, body, folder, extras)


if __name__ == "__main__":
    write_all(*paragraphs())
