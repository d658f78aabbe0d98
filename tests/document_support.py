"""What the document tests share: a document translated and read back, a Word package with the
parts python-docx cannot make, and a package's XML parts."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import lxml.etree

from tarjama.documents import Document
from tarjama.documents.blocks import check_marks


def translate_and_reopen(translator, data: bytes, format: str):
    """The document read (its blocks' marks checked), translated, and the translation read back."""
    source = Document.from_bytes(data, format, f"doc.{format}")
    for block in source.parsed.blocks:
        check_marks(block)
    result = source.translate(translator)
    return source, result, result.reopen()


@dataclass(frozen=True)
class Part:
    """A part added to a Word package: its name, content type, relationship type and XML."""

    name: str
    content_type: str
    relationship: str
    xml: str


def word_part(kind: str, xml: str) -> Part:
    """A part of the kind Word names ``word/KIND.xml`` (``comments``, ``footnotes``), with its
    content type and relationship."""
    return Part(f"word/{kind}.xml",
                f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml",
                f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}", xml)


#: The properties of a run written as a superscript (a typed note number, a note reference).
SUPERSCRIPT = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'


def blank_word_package(folder, body: str) -> bytes:
    """A new python-docx document (saved in ``folder``) with ``body``'s XML as its content."""
    import docx

    docx.Document().save(folder / "made.docx")
    return word_package(folder / "made.docx", body)


def word_package(docx_path, body: str, parts: tuple[Part, ...] = (),
                 namespaces: dict[str, str] | None = None) -> bytes:
    """The .docx at ``docx_path`` (made by python-docx) with ``body``'s XML put before the
    section properties, ``parts`` added with their content types and relationships, and the
    document element declaring ``namespaces`` (prefix: URI) it lacks."""
    out = io.BytesIO()
    with zipfile.ZipFile(docx_path) as made, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for entry in made.infolist():
            data = made.read(entry.filename)
            if entry.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", body.replace("\n", "").encode() + b"<w:sectPr", 1)
                for prefix, uri in (namespaces or {}).items():
                    if f"xmlns:{prefix}=".encode() not in data:
                        data = data.replace(b"<w:document ",
                                            f'<w:document xmlns:{prefix}="{uri}" '.encode(), 1)
            elif entry.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", "".join(
                    f'<Override PartName="/{p.name}" ContentType="{p.content_type}"/>'
                    for p in parts).encode() + b"</Types>")
            elif entry.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", "".join(
                    f'<Relationship Id="rId{90 + k}" Type="{p.relationship}" '
                    f'Target="{p.name.removeprefix("word/")}"/>'
                    for k, p in enumerate(parts)).encode() + b"</Relationships>")
            package.writestr(entry, data)
        for part in parts:
            package.writestr(part.name, part.xml)
    return out.getvalue()


def xml_parts(data: bytes) -> dict[str, lxml.etree._Element]:
    """Every XML part (and relationships part) of a package, parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: lxml.etree.fromstring(package.read(name)) for name in package.namelist()
                if name.endswith((".xml", ".rels"))}
