"""``tarjama segment``: one sentence per line, an empty line after each paragraph."""
from __future__ import annotations

from tarjama.cli._common import EncodingOpt, InputArg, reports_errors, write_stdout
from tarjama.segment import split_paragraphs
from tarjama.textio import read_text


@reports_errors
def segment(source: InputArg = "-", encoding: EncodingOpt = None) -> None:
    """Split Arabic text into sentences: one per line, an empty line after each paragraph."""
    text = read_text(source, encoding)
    lines: list[str] = []
    for paragraph in split_paragraphs(text):
        lines.extend(sentence.text for sentence in paragraph.sentences)
        lines.append("")
    write_stdout("\n".join(lines) + ("\n" if lines else ""))
