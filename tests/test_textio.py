"""Reading input in the encodings Arabic text really arrives in, and refusing what is not text."""
import codecs

import pytest

from tarjama.errors import InputError, OutputError
from tarjama.textio import (
    decode,
    dumps_jsonl,
    loads_jsonl,
    read_decoded,
    read_jsonl,
    read_lines,
    read_text,
    write_jsonl,
    write_text_atomic,
)

ARABIC = "قال الرئيس إن الاجتماع كان ناجحا في عام 2020.\nوأضاف: «سنعود».\n"
FRENCH = "Le café de la gare a fermé ; déjà vu, à bientôt.\n"


# Byte strings built by the codecs, each with the encoding a reader must recognise.
@pytest.mark.parametrize("data,text,encoding,detected", [
    (ARABIC.encode("utf-8"), ARABIC, "utf-8", False),
    (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), ARABIC, "utf-8-sig", False),
    (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), ARABIC, "utf-16", False),
    (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), ARABIC, "utf-16", False),
    (codecs.BOM_UTF32_LE + ARABIC.encode("utf-32-le"), ARABIC, "utf-32", False),
    (ARABIC.encode("utf-16-le"), ARABIC, "utf-16-le", True),
    (ARABIC.encode("utf-16-be"), ARABIC, "utf-16-be", True),
    (ARABIC.encode("cp1256"), ARABIC, "cp1256", True),
    (FRENCH.encode("cp1252"), FRENCH, "cp1252", True),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf16le-no-bom",
        "utf16be-no-bom", "windows-1256", "windows-1252"])
def test_decode_finds_the_encoding(data, text, encoding, detected):
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.detected) == (text, encoding, detected)


def test_encoding_option_overrides_detection():
    text = "قال الرئيس إن الاجتماع كان ناجحا."
    assert decode(text.encode("iso8859_6"), encoding="iso-8859-6").text == text
    assert decode(codecs.BOM_UTF8 + b"abc", encoding="utf-8").text == "abc"


@pytest.mark.parametrize("data,encoding,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "is a PNG image, not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", None, "is a PDF document, not text; extract its text first"),
    (b"PK\x03\x04\x14\x00\x06\x00", None, "save it as plain text first"),
    (b"\x00\x01\x02\x03\xfe\xfd\x00\x10", None, "binary data"),
    (bytes(range(1, 9)) * 20 + b"some text", None, "binary data (control characters)"),
    (ARABIC.encode("cp1256"), "utf-8", "f.txt: not valid utf-8 (byte 0: 0xde); check encoding=NAME"),
    (b"abc", "klingon", "unknown encoding 'klingon'"),
], ids=["png", "pdf", "docx", "nul-bytes", "control-characters", "wrong-encoding-option",
        "unknown-encoding"])
def test_decode_refuses_what_is_not_text(data, encoding, message):
    with pytest.raises(InputError) as info:
        decode(data, "f.txt", encoding)
    assert message in str(info.value)


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (codecs.BOM_UTF8, "is empty"),
    (b" \n\t\r\n", "has only whitespace"),
    (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "has only whitespace"),
])
def test_empty_input_is_an_error(tmp_path, content, message):
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_text(path)
    assert read_text(path, allow_empty=True).strip() == ""


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file; check the path"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder, expected a text file"):
        read_text(tmp_path)


def test_read_decoded_and_read_lines_take_the_encoding(tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    assert read_decoded(path).encoding == "cp1256"
    assert read_lines(path, "cp1256") == ARABIC.rstrip("\n").split("\n")


def test_write_text_atomic_reports_unwritable_paths(tmp_path):
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        write_text_atomic(tmp_path, "x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write here"):
        write_text_atomic(tmp_path / "file" / "out.txt", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_jsonl_keeps_line_separators_inside_records(tmp_path):
    records = [{"source": "سطر\u2028آخر\u0085\r\nثالث", "flags": []}, {"n": 1.5, "ok": None}]
    write_jsonl(tmp_path / "r.jsonl", records)
    assert (tmp_path / "r.jsonl").read_bytes().count(b"\n") == 2
    assert read_jsonl(tmp_path / "r.jsonl") == records


def test_jsonl_refuses_lone_surrogates_and_reports_bad_lines(tmp_path):
    with pytest.raises(InputError, match=r"record 2: has a lone surrogate U\+D800"):
        dumps_jsonl([{"a": "ok"}, {"a": "\ud800"}])
    with pytest.raises(InputError, match="in.jsonl:2: not valid JSON"):
        loads_jsonl('{"a": 1}\n{"a": \n', "in.jsonl")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert read_jsonl(tmp_path / "empty.jsonl") == []


ARTICLE = "قال الوزير إن المحطة ستفتتح العام المقبل.\nوأضاف أن التكلفة بلغت 2.5 مليار دولار."


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_fault_utf8_cut_inside_a_character_is_named(tmp_path, cut):
    data = (ARTICLE + " 😀").encode("utf-8")  # ends in a 4-byte character: cut 1-3 bytes of it
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-cut])
    with pytest.raises(InputError, match=r"is UTF-8 but ends in the middle of a character.*cut off"):
        read_text(path)


def test_fault_arabic_utf8_cut_inside_a_letter_is_named(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(ARTICLE.encode("utf-8").rstrip(b".")[:-1])  # half of the last letter, "ر"
    with pytest.raises(InputError, match="ends in the middle of a character"):
        read_text(path)


def test_fault_windows_1256_is_still_detected_not_called_cut(tmp_path):
    path = tmp_path / "cp1256.txt"
    path.write_bytes(ARTICLE.encode("cp1256"))
    assert read_text(path) == ARTICLE


def test_fault_symlink_loop_and_dangling_link_are_named(tmp_path):
    loop_a, loop_b = tmp_path / "a.txt", tmp_path / "b.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    with pytest.raises(InputError, match="loop of symbolic links"):
        read_text(loop_a)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match=r"symbolic link to .*gone\.txt, which does not exist"):
        read_text(dangling)
    with pytest.raises(InputError, match="no such file; check the path"):
        read_text(tmp_path / "missing" / "x.txt")
