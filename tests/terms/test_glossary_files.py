"""Glossary files as spreadsheets and editors save them: encodings, line ends, delimiters."""
from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from tarjama.errors import InputError
from tarjama.terms.glossary import Glossary

TERMS = [("مصطفى الكاظمي", "Mustafa al-Kadhimi"), ("داعش", "ISIS"),
         ("وزارة الخارجية", "the Foreign Ministry")]


def _table(delimiter: str, newline: str = "\n") -> str:
    return newline.join([f"arabic{delimiter}english",
                         *(f"{a}{delimiter}{e}" for a, e in TERMS)]) + newline


@pytest.mark.parametrize("name, data", [
    ("utf8-bom-crlf.tsv", codecs.BOM_UTF8 + _table("\t", "\r\n").encode("utf-8")),
    # Excel's "Unicode text": UTF-16 little-endian with a byte order mark, tab-separated.
    ("excel-unicode.txt", codecs.BOM_UTF16_LE + _table("\t", "\r\n").encode("utf-16-le")),
    ("utf16-be.tsv", codecs.BOM_UTF16_BE + _table("\t").encode("utf-16-be")),
    # Excel's CSV on an Arabic Windows: the Windows-1256 code page.
    ("windows-1256.csv", _table(",", "\r\n").encode("cp1256")),
    # A CSV from a locale whose spreadsheets separate cells with semicolons.
    ("semicolons.csv", _table(";").encode("utf-8")),
    ("semicolons.txt", _table(";").encode("utf-8")),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_glossary_saved_by_a_spreadsheet_or_an_editor_reads_the_same(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert [(t.arabic, t.english) for t in Glossary.read(path).terms] == TERMS


def test_semicolons_without_a_header_and_a_comma_in_a_rendering(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("الكاظمي;al-Kadhimi, Mustafa\nداعش;ISIS\n", encoding="utf-8")
    assert [(t.arabic, t.english) for t in Glossary.read(path).terms] == [
        ("الكاظمي", "al-Kadhimi, Mustafa"), ("داعش", "ISIS")]


def test_semicolons_keep_csv_quoting(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text('arabic;english;notes\nالبنتاغون;"the Pentagon; Arlington";HQ\n',
                    encoding="utf-8")
    [term] = Glossary.read(path).terms
    assert (term.english, term.notes) == ("the Pentagon; Arlington", "HQ")


def test_a_spreadsheet_file_itself_is_one_line_saying_what_to_do(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "terms.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as caught:
        Glossary.read(path)
    message = str(caught.value)
    assert message.startswith(f"glossary {path}: is a ZIP archive") and "\n" not in message
    assert "save it as plain text" in message


def test_bytes_in_no_known_encoding_name_the_file_and_ask_for_utf8(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(InputError) as caught:
        Glossary.read(path)
    message = str(caught.value)
    assert message.startswith(f"glossary {path}: ") and message.endswith("save the file as UTF-8")
