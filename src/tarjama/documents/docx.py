"""Word documents (``.docx``), opened and saved with python-docx, edited on their XML.

Body paragraphs, headings, tables (nested ones too), headers, footers, footnotes and endnotes are
blocks. In each paragraph (and each hyperlink) the formatting that covers most of its text is the
base; runs formatted otherwise (bold, italic, underline, colour...) and hyperlinks are marks put
back on the English words, so formatting follows the words it was on (see
:mod:`tarjama.documents.placement`). Whatever else a paragraph holds (tabs, line breaks, images,
fields, bookmarks, tracked changes, equations) is kept whole where it stood. A translated
paragraph's right-to-left settings (``w:bidi``, ``w:rtl``) are switched to left-to-right, as are
its tables' and sections'. Styles, images and every other part of the package are left untouched.

The package is checked before python-docx reads it: a file that is not a ZIP (an encrypted
document is an OLE file), a damaged ZIP, a ZIP without a Word document, or one whose entries
unpack past :data:`~tarjama.documents.limits.MAX_UNPACKED_BYTES` (a decompression bomb) is refused
with one line.
"""
from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tarjama.documents.blocks import NO_PARENT, Block, Close, Mark, Open, events
from tarjama.documents.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_CHECK_FROM_BYTES,
)
from tarjama.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_ENTRY = "word/document.xml"
#: The parts whose paragraphs are translated, by content type suffix.
TEXT_PARTS = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml")


def w(tag: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{W}}}{tag}"


@dataclass
class _Kind:
    """What a mark stands for: a hyperlink (its element, emptied), a formatting (its ``w:rPr``),
    or an element kept whole."""

    kind: str  # "link", "format" or "whole"
    element: Any
    base: Any = None  # a link's base formatting


@dataclass
class DocxDocument:
    """A Word document read into paragraphs."""

    package: Any
    blocks: list[Block] = field(default_factory=list)
    _paragraphs: list[tuple[Any, Any]] = field(default_factory=list)  # (w:p, base w:rPr)
    _kinds: list[_Kind] = field(default_factory=list)

    def collect(self) -> None:
        for part in _text_parts(self.package):
            for paragraph in part.element.iter(w("p")):
                block, base = self._block(paragraph)
                if block.text.strip():
                    self.blocks.append(block)
                    self._paragraphs.append((paragraph, base))

    def _block(self, paragraph: Any) -> tuple[Block, Any]:
        text: list[str] = []
        marks: list[Mark] = []
        length = 0
        base = _base_format(paragraph)

        def add_runs(container: Any, base_format: Any, parent: int) -> None:
            nonlocal length
            format_mark: int | None = None
            current_format: bytes | None = None
            for child in container:
                if child.tag == w("r"):
                    run_format = child.find(w("rPr"))
                    key = _format_key(run_format)
                    for piece in child:
                        if piece.tag == w("rPr"):
                            continue
                        if piece.tag == w("t"):
                            if key != _format_key(base_format):
                                if format_mark is None or key != current_format:
                                    format_mark = len(marks)
                                    current_format = key
                                    marks.append(Mark(length, length,
                                                      self._kind("format", run_format), parent))
                            else:
                                format_mark = None
                            value = piece.text or ""
                            text.append(value)
                            length += len(value)
                            if format_mark is not None:
                                mark = marks[format_mark]
                                marks[format_mark] = Mark(mark.start, length, mark.key, mark.parent)
                        else:
                            format_mark = None
                            whole = copy.deepcopy(child)
                            for other in list(whole):
                                if other.tag != w("rPr"):
                                    whole.remove(other)
                            whole.append(copy.deepcopy(piece))
                            marks.append(Mark(length, length, self._kind("whole", whole), parent))
                elif child.tag == w("hyperlink") and parent == NO_PARENT:
                    format_mark = None
                    index = len(marks)
                    shell = copy.deepcopy(child)
                    for other in list(shell):
                        shell.remove(other)
                    link_base = _base_format(child)
                    marks.append(Mark(length, length, self._kind("link", shell, link_base)))
                    add_runs(child, link_base, index)
                    mark = marks[index]
                    marks[index] = Mark(mark.start, length, mark.key, mark.parent)
                elif child.tag != w("pPr"):
                    format_mark = None
                    marks.append(Mark(length, length, self._kind("whole", copy.deepcopy(child)),
                                      parent))

        add_runs(paragraph, base, NO_PARENT)
        return Block("".join(text), tuple(marks)), base

    def _kind(self, kind: str, element: Any, base: Any = None) -> int:
        self._kinds.append(_Kind(kind, element, base))
        return len(self._kinds) - 1

    def write(self, translated: Sequence[Block | None]) -> bytes:
        changed = False
        for (paragraph, base), block in zip(self._paragraphs, translated, strict=True):
            if block is not None:
                self._rebuild(paragraph, base, block)
                changed = True
        if changed:
            for part in _text_parts(self.package):
                _left_to_right(part.element)
        out = io.BytesIO()
        self.package.save(out)
        return out.getvalue()

    def _rebuild(self, paragraph: Any, base: Any, block: Block) -> None:
        for child in list(paragraph):
            if child.tag != w("pPr"):
                paragraph.remove(child)
        properties = paragraph.find(w("pPr"))
        if properties is not None:
            _set_off(properties, "bidi")
        containers: list[tuple[Any, Any]] = [(paragraph, base)]  # (element, its base format)
        formats: list[Any] = []
        for event in events(block):
            container, container_base = containers[-1]
            if isinstance(event, str):
                if event:
                    container.append(_run(formats[-1] if formats else container_base, event))
            elif isinstance(event, Open):
                kind = self._kinds[event.key]
                if kind.kind == "link":
                    link = copy.deepcopy(kind.element)
                    container.append(link)
                    containers.append((link, kind.base))
                elif kind.kind == "format":
                    formats.append(kind.element)
                else:
                    container.append(copy.deepcopy(kind.element))
            elif isinstance(event, Close):
                kind = self._kinds[event.key]
                if kind.kind == "link":
                    containers.pop()
                elif kind.kind == "format":
                    formats.pop()

    def counts(self) -> dict[str, int]:
        counts = {"paragraphs": 0, "runs": 0, "formats": 0, "hyperlinks": 0, "tables": 0,
                  "images": 0}
        for part in _text_parts(self.package):
            root = part.element
            counts["paragraphs"] += sum(1 for _ in root.iter(w("p")))
            counts["runs"] += sum(1 for _ in root.iter(w("r")))
            counts["hyperlinks"] += sum(1 for _ in root.iter(w("hyperlink")))
            counts["tables"] += sum(1 for _ in root.iter(w("tbl")))
            counts["images"] += sum(1 for _ in root.iter(w("drawing")))
            # Formattings in use, paragraph by paragraph: a run split in two by a word between
            # them is still one formatting.
            counts["formats"] += sum(
                len({_format_key(r.find(w("rPr"))) for r in p.iter(w("r")) if r.find(w("t")) is not None})
                for p in root.iter(w("p")))
        return counts

    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def _text_parts(package: Any) -> list[Any]:
    return [part for part in package.part.package.iter_parts()
            if part.content_type.endswith(TEXT_PARTS) and hasattr(part, "element")]


def _format_key(properties: Any) -> bytes:
    import lxml.etree

    return b"" if properties is None else lxml.etree.tostring(properties, method="c14n")


def _base_format(container: Any) -> Any:
    """The ``w:rPr`` of the runs that hold most of the container's own text."""
    sizes: dict[bytes, int] = {}
    first: dict[bytes, Any] = {}
    for run in container.findall(w("r")):
        properties = run.find(w("rPr"))
        key = _format_key(properties)
        first.setdefault(key, properties)
        sizes[key] = sizes.get(key, 0) + sum(len(t.text or "") for t in run.findall(w("t")))
    if not sizes:
        return None
    return first[max(sizes, key=lambda k: sizes[k])]


def _run(properties: Any, text: str) -> Any:
    import lxml.etree

    run = lxml.etree.Element(w("r"))
    if properties is not None:
        formatting = copy.deepcopy(properties)
        _set_off(formatting, "rtl")
        run.append(formatting)
    node = lxml.etree.SubElement(run, w("t"))
    node.text = text
    node.set(XML_SPACE, "preserve")
    return run


def _set_off(properties: Any, name: str) -> None:
    """Turn a right-to-left switch of ``properties`` off (explicitly, over a style's)."""
    switch = properties.find(w(name))
    if switch is not None:
        switch.set(w("val"), "0")


def _left_to_right(root: Any) -> None:
    for table in root.iter(w("tblPr")):
        _set_off(table, "bidiVisual")
    for section in root.iter(w("sectPr")):
        _set_off(section, "bidi")


def check_package(data: bytes, name: str) -> None:
    """Refuse, in one line, a file that is not a Word package python-docx can safely read."""
    if data.startswith(OLE_SIGNATURE):
        raise InputError(f"{name}: is password-protected (encrypted) or an old Word 97-2003 .doc; "
                         "remove the password, or save it as .docx in Word")
    if not data.startswith(b"PK"):
        raise InputError(f"{name}: is not a Word .docx (not a ZIP package"
                         + (", it looks like text" if _looks_like_text(data) else "")
                         + "); give a .docx, or name the right format")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            total = sum(entry.file_size for entry in entries)
            if total > MAX_UNPACKED_BYTES:
                raise InputError(f"{name}: unpacks to {total // 2**20} MB, more than the "
                                 f"{MAX_UNPACKED_BYTES // 2**20} MB a Word document may; refused "
                                 "as a decompression bomb")
            for entry in entries:
                if entry.file_size > RATIO_CHECK_FROM_BYTES and \
                        entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
                    ratio = entry.file_size // max(entry.compress_size, 1)
                    raise InputError(f"{name}: {entry.filename} unpacks {ratio} times larger "
                                     "than it is stored; refused as a decompression bomb")
            if DOCUMENT_ENTRY not in package.namelist():
                raise InputError(f"{name}: is a ZIP package without a Word document in it (an "
                                 ".xlsx, .pptx or .odt?); give a .docx")
            damaged = package.testzip()
    except zipfile.BadZipFile as err:
        raise InputError(f"{name}: is a damaged ZIP package ({err}); save the document again "
                         "from Word") from None
    if damaged is not None:
        raise InputError(f"{name}: {damaged} is damaged in the package; save the document again "
                         "from Word")


def _looks_like_text(data: bytes) -> bool:
    head = data[:512]
    return bool(head) and b"\x00" not in head and all(b >= 9 for b in head)


def _register_note_parts() -> None:
    """python-docx reads footnotes and endnotes as opaque blobs; as XML parts (its public
    ``PartFactory`` registry) their paragraphs can be translated and are saved from the tree."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.part import PartFactory, XmlPart

    for content_type in (CONTENT_TYPE.WML_FOOTNOTES, CONTENT_TYPE.WML_ENDNOTES):
        PartFactory.part_type_for.setdefault(content_type, XmlPart)


def read(data: bytes, name: str, encoding: str | None = None) -> DocxDocument:
    """Open a Word document (``encoding`` does not apply)."""
    check_package(data, name)
    import docx
    import lxml.etree
    from docx.opc.exceptions import PackageNotFoundError

    _register_note_parts()
    try:
        package = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, lxml.etree.XMLSyntaxError,
            zipfile.BadZipFile) as err:
        raise InputError(f"{name}: is a damaged Word document ({str(err).splitlines()[0][:80]}); "
                         "save it again from Word") from None
    document = DocxDocument(package)
    document.collect()
    return document
