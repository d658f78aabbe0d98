"""Word documents (``.docx``), opened and saved with python-docx, edited on their XML.

Body paragraphs, headings, tables (nested ones too), headers, footers, footnotes, endnotes,
comments (left out of the text a summary reads), text boxes and content controls are blocks, and
so are the alt text and title of drawings and the alt text of VML shapes. In each
paragraph the formatting that covers most of its text is the base; runs formatted otherwise (bold,
italic, underline, colour...) are marks put back on the English words, so formatting follows the
words it was on (see
:mod:`tarjama.documents.placement`). So are the elements that hold runs of the paragraph's text:
hyperlinks, tracked insertions (the English is a tracked insertion too), content controls, simple
fields (their code, an attribute, kept) and the result of a complex field (its code, in
``w:instrText``, kept before it and never translated). Whatever else a paragraph holds (tracked
deletions, tabs, line breaks, images, bookmarks, equations, a note's reference, and a note's
number typed as a superscript, its digits written 0-9) is kept whole where it stood (a tab
or break is read as a space, so the words on either side stay apart); a text
box's paragraphs are translated where they are. A translated paragraph's right-to-left settings
(``w:bidi``, ``w:rtl``) are switched to left-to-right, as are its tables' and sections'. Styles,
images and every other part of the package are left untouched.

The package is checked before python-docx reads it: a file that is not a ZIP (an encrypted
document is an OLE file), a damaged ZIP, a ZIP without a Word document, or one whose entries
unpack past :data:`~tarjama.documents.limits.MAX_UNPACKED_BYTES` (a decompression bomb) is refused
with one line.
"""
from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tarjama.documents.blocks import NO_PARENT, Block, Close, Mark, Open, events, sentence_ended
from tarjama.documents.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_CHECK_FROM_BYTES,
)
from tarjama.errors import InputError
from tarjama.normalize import arabic_digits_to_western

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENT_ENTRY = "word/document.xml"
#: The parts whose paragraphs are translated, by content type suffix.
TEXT_PARTS = ("document.main+xml", "header+xml", "footer+xml", "footnotes+xml", "endnotes+xml",
              "comments+xml")
#: Of those, the parts that are not the document's own text (what a summary leaves out).
ASIDE_PARTS = ("comments+xml",)


def w(tag: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{W}}}{tag}"


#: A drawing's non-visual properties: its alt text (``descr``) and title.
DRAWING_PROPERTIES = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
#: VML shapes (a text box's or picture's fallback, older files): their alt text is ``alt``.
VML_SHAPES = "{urn:schemas-microsoft-com:vml}*"
#: Run-level elements that hold runs of the paragraph's text: a mark over the English words of
#: their runs, written back as the same element (a tracked insertion stays a tracked insertion).
CONTAINERS = frozenset(w(tag) for tag in (
    "hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "sdt", "dir", "bdo"))
#: Pieces of a run that separate words as a space does (tabs, line and page breaks): read as a
#: space, so the words on either side stay apart, and written back as they were.
SEPARATORS = frozenset(w(tag) for tag in ("tab", "ptab", "br", "cr"))
#: Pieces of a run kept whole that show no words: pictures, embedded objects, a note's reference.
SHOWN_WITHOUT_TEXT = frozenset(w(tag) for tag in (
    "drawing", "pict", "object", "footnoteReference", "endnoteReference"))
#: Children of a paragraph or container that are its properties, not its content.
PROPERTIES = frozenset(w(tag) for tag in (
    "pPr", "sdtPr", "sdtEndPr", "smartTagPr", "customXmlPr", "fldData"))


@dataclass(frozen=True)
class _Piece:
    """An element written back as it was: a run's piece (a tab, a drawing, a field character)
    wrapped again in a run of its formatting, or an element of the paragraph itself (a deletion,
    a bookmark). The original element is moved back, not copied, so that paragraphs inside it (a
    text box's) keep their own translation."""

    element: Any
    run_format: Any = None
    in_run: bool = False


@dataclass
class _Kind:
    """What a mark stands for: a container of runs (a hyperlink, an insertion, a content control,
    a simple field: its ``shell``, emptied, with runs going into ``inner``), a formatting (its
    ``w:rPr``), or pieces kept whole (a complex field's code before its result, and its end
    after)."""

    kind: str  # "container", "format" or "whole"
    element: Any = None  # a container's shell, or a formatting's w:rPr
    base: Any = None  # the base formatting of a container's runs
    opening: list[_Piece] = field(default_factory=list)
    closing: list[_Piece] = field(default_factory=list)


@dataclass
class DocxDocument:
    """A Word document read into paragraphs."""

    package: Any
    blocks: list[Block] = field(default_factory=list)
    _paragraphs: list[tuple[Any, Any]] = field(default_factory=list)  # (w:p, base w:rPr)
    _aside: set[int] = field(default_factory=set)  # paragraphs of comments
    _contents: list[Any] = field(default_factory=list)  # the begin of each table of contents
    _kinds: list[_Kind] = field(default_factory=list)
    _attributes: list[tuple[Any, str]] = field(default_factory=list)  # after the paragraphs

    def collect(self) -> None:
        for part in _text_parts(self.package):
            aside = part.content_type.endswith(ASIDE_PARTS)
            contents, fields = _tables_of_contents(part.element)
            self._contents.extend(fields)
            for paragraph in part.element.iter(w("p")):
                if paragraph in contents:
                    continue
                block, base = self._block(paragraph)
                if block.text.strip():
                    if aside:
                        self._aside.add(len(self._paragraphs))
                    self.blocks.append(block)
                    self._paragraphs.append((paragraph, base))
        # A drawing's alt text and title (what screen readers say), as HTML's alt and title, and
        # a VML shape's alt text.
        for part in _text_parts(self.package):
            readable = [(element, attribute) for element in part.element.iter(DRAWING_PROPERTIES)
                        for attribute in ("descr", "title")]
            readable += [(element, "alt") for element in part.element.iter(VML_SHAPES)]
            for element, attribute in readable:
                if (element.get(attribute) or "").strip():
                    self.blocks.append(Block(element.get(attribute)))
                    self._attributes.append((element, attribute))

    def _block(self, paragraph: Any) -> tuple[Block, Any]:
        reader = _ParagraphReader(self._kinds)
        base = _base_format(paragraph)
        reader.read(paragraph, base, NO_PARENT)
        return Block(*reader.trimmed()), base

    def write(self, translated: Sequence[Block | None]) -> bytes:
        changed = False
        paragraphs = translated[:len(self._paragraphs)]
        for (paragraph, base), block in zip(self._paragraphs, paragraphs, strict=True):
            if block is not None:
                self._rebuild(paragraph, base, block)
                changed = True
        attributes = translated[len(self._paragraphs):]
        for (element, attribute), block in zip(self._attributes, attributes, strict=True):
            if block is not None:
                element.set(attribute, block.text)
        if changed:
            for part in _text_parts(self.package):
                _left_to_right(part.element)
            for begin in self._contents:
                begin.set(w("dirty"), "true")
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
        containers: list[tuple[Any, Any]] = [(paragraph, base)]  # (where runs go, base format)
        formats: list[Any] = []
        for event in events(block):
            container, container_base = containers[-1]
            if isinstance(event, str):
                if event:
                    container.append(_run(formats[-1] if formats else container_base, event))
            elif isinstance(event, Open):
                kind = self._kinds[event.key]
                if kind.kind == "container":
                    shell = copy.deepcopy(kind.element)
                    container.append(shell)
                    containers.append((_content_of(shell), kind.base))
                elif kind.kind == "format":
                    formats.append(kind.element)
                else:
                    _put_back(container, kind.opening)
            elif isinstance(event, Close):
                kind = self._kinds[event.key]
                if kind.kind == "container":
                    containers.pop()
                elif kind.kind == "format":
                    formats.pop()
                else:
                    _put_back(container, kind.closing)

    def counts(self) -> dict[str, int]:
        counts = {"paragraphs": 0, "runs": 0, "formats": 0, "hyperlinks": 0, "tables": 0,
                  "images": 0, "insertions": 0, "deletions": 0, "fields": 0, "controls": 0,
                  "textboxes": 0, "comments": 0}
        for part in _text_parts(self.package):
            root = part.element
            counts["comments"] += sum(1 for _ in root.iter(w("comment")))
            counts["insertions"] += sum(1 for _ in root.iter(w("ins"), w("moveTo")))
            counts["deletions"] += sum(1 for _ in root.iter(w("del"), w("moveFrom")))
            counts["fields"] += sum(1 for _ in root.iter(w("fldSimple"))) + sum(
                1 for c in root.iter(w("fldChar")) if c.get(w("fldCharType")) == "begin")
            counts["controls"] += sum(1 for _ in root.iter(w("sdt")))
            counts["textboxes"] += sum(1 for _ in root.iter(w("txbxContent")))
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
        return "\n".join(block.text for index, block in enumerate(self.blocks[:len(self._paragraphs)])
                         if index not in self._aside)


class _ParagraphReader:
    """One paragraph's text and marks. A run's text is text (its formatting a mark when it is not
    the base one); a container (:data:`CONTAINERS`) is a mark around its runs' text, read the
    same way; a complex field whose code, result and end lie in the same container is a mark
    around its result, its code before it and its end after it, so they stay in order and the
    code is never translated; anything else (a deletion, a tab, a drawing, a field without
    result) is kept whole where it stood."""

    def __init__(self, kinds: list[_Kind]):
        self.kinds = kinds
        self.text: list[str] = []
        self.marks: list[Mark] = []
        self.length = 0
        self.spaces: list[int] = []  # where a separator's space was added

    def trimmed(self) -> tuple[str, tuple[Mark, ...]]:
        """The text and marks, without a separator's space at the end (a paragraph ending in a
        line break): only a space between words is needed."""
        text = "".join(self.text)
        if not self.spaces or self.spaces[-1] != len(text) - 1:
            return text, tuple(self.marks)
        end = len(text) - 1
        return text[:end], tuple(Mark(min(m.start, end), min(m.end, end), m.key, m.parent)
                                 for m in self.marks)

    def _open(self, kind: _Kind, parent: int) -> int:
        self.kinds.append(kind)
        self.marks.append(Mark(self.length, self.length, len(self.kinds) - 1, parent))
        return len(self.marks) - 1

    def _close(self, index: int) -> None:
        mark = self.marks[index]
        self.marks[index] = Mark(mark.start, self.length, mark.key, mark.parent)

    def read(self, container: Any, base: Any, parent: int) -> None:
        items = _items(container)
        fields = _fields(items)
        base_key = _format_key(base)
        parents = [parent]  # the results of complex fields open at this point, innermost last
        ends: dict[int, int] = {}  # item of a field's end -> the field's mark
        format_mark: int | None = None
        current_format = b""
        i = 0
        while i < len(items):
            element, run = items[i]
            here = parents[-1]
            if i in fields:
                format_mark = None
                separate, end = fields[i]
                if separate is None:
                    self._open(_Kind("whole", opening=[_piece(*item) for item in items[i:end + 1]]),
                               here)
                    i = end + 1
                    continue
                index = self._open(_Kind("whole",
                                         opening=[_piece(*item) for item in items[i:separate + 1]],
                                         closing=[_piece(*items[end])]), here)
                parents.append(index)
                ends[end] = index
                i = separate + 1
                continue
            if i in ends:
                format_mark = None
                self._close(ends.pop(i))
                parents.pop()
            elif run is not None and element.tag == w("t") and _note_number(run, element):
                # A note's number typed as a superscript: kept whole, not the model's to change,
                # but in the digits the English is written in.
                format_mark = None
                number = copy.deepcopy(element)
                number.text = arabic_digits_to_western(number.text or "")
                self._open(_Kind("whole", opening=[_piece(number, run)]), here)
                self._part_sentences(items[i + 1:i + 2])
            elif run is not None and element.tag == w("t"):
                run_format = run.find(w("rPr"))
                key = _format_key(run_format)
                if key == base_key:
                    format_mark = None
                elif format_mark is None or key != current_format:
                    format_mark = self._open(_Kind("format", run_format), here)
                    current_format = key
                value = element.text or ""
                self.text.append(value)
                self.length += len(value)
                if format_mark is not None:
                    self._close(format_mark)
            elif run is None and element.tag in CONTAINERS:
                format_mark = None
                inner_base = _base_format(element) if element.tag == w("hyperlink") else base
                index = self._open(_Kind("container", _shell(element), inner_base), here)
                self.read(_content_of(element), inner_base, index)
                self._close(index)
            elif run is not None and element.tag in SEPARATORS:
                format_mark = None
                index = self._open(_Kind("whole", opening=[_piece(element, run)]), here)
                if not next((t[-1] for t in reversed(self.text) if t), " ").isspace():
                    # A mark over a space has no words: it is placed between two.
                    self.text.append(" ")
                    self.length += 1
                    self.spaces.append(self.length - 1)
                self._close(index)
            else:
                format_mark = None
                self._open(_Kind("whole", opening=[_piece(element, run)]), here)
                if element.tag in SHOWN_WITHOUT_TEXT:
                    self._part_sentences(items[i + 1:i + 2])
            i += 1

    def _part_sentences(self, following: list[tuple[Any, Any]]) -> None:
        """After a note or picture kept whole: a space for the segmenter when the text before
        ends a sentence and the next word follows without one (``سيكتمل.[1]وأضاف``). The mark
        stays glued to the end of the sentence before."""
        if following and following[0][0].tag == w("t") and following[0][1] is not None \
                and (following[0][0].text or "")[:1].strip() and sentence_ended(self.text):
            self.text.append(" ")
            self.length += 1


def _items(container: Any) -> list[tuple[Any, Any]]:
    """The container's content in order: (piece, its run) for what runs hold, (element, None)
    for the container's other children."""
    items: list[tuple[Any, Any]] = []
    for child in container:
        if child.tag == w("r"):
            items.extend((piece, child) for piece in child if piece.tag != w("rPr"))
        elif child.tag not in PROPERTIES:
            items.append((child, None))
    return items


def _fields(items: list[tuple[Any, Any]]) -> dict[int, tuple[int | None, int]]:
    """Complex fields wholly inside ``items``: the item of each begin, to the items of its
    separate (``None``: a field without a result) and its end. A field without a separate counts
    only when nothing between holds text (else its result lies in a container: the field's
    pieces are then kept where they stand)."""
    found: dict[int, tuple[int | None, int]] = {}
    stack: list[list[int | None]] = []  # [begin, separate]
    for i, (element, run) in enumerate(items):
        if run is None or element.tag != w("fldChar"):
            continue
        kind = element.get(w("fldCharType"))
        if kind == "begin":
            stack.append([i, None])
        elif kind == "separate" and stack and stack[-1][1] is None:
            stack[-1][1] = i
        elif kind == "end" and stack:
            begin, separate = stack.pop()
            assert begin is not None
            if separate is None and any(run is None or element.tag == w("t")
                                        for element, run in items[begin:i]):
                continue
            found[begin] = (separate, i)
    return found


def _tables_of_contents(root: Any) -> tuple[set[Any], list[Any]]:
    """The paragraphs that hold the result of a table of contents (a ``TOC`` complex field), and
    the begin of each such field.

    Word writes a table of contents from the headings, page numbers and all, and writes it again
    when the field is updated; so its result is left as it is and the field marked dirty, for
    Word to write it from the English headings. Translated on its own, its entries could differ
    from the headings they name."""
    paragraphs: set[Any] = set()
    begins: list[Any] = []
    open_fields: list[list[Any]] = []  # [begin, code so far, is a TOC's result]
    inside = 0  # TOC results open at this point
    paragraph = None
    for node in root.iter(w("p"), w("fldChar"), w("instrText")):
        if node.tag == w("p"):
            paragraph = node
            if inside:
                paragraphs.add(node)
        elif node.tag == w("instrText"):
            if open_fields:
                open_fields[-1][1] += node.text or ""
        elif node.get(w("fldCharType")) == "begin":
            open_fields.append([node, "", False])
        elif node.get(w("fldCharType")) == "separate" and open_fields:
            if open_fields[-1][1].split()[:1] == ["TOC"] and not open_fields[-1][2]:
                open_fields[-1][2] = True
                begins.append(open_fields[-1][0])
                inside += 1
                if paragraph is not None:
                    paragraphs.add(paragraph)
        elif node.get(w("fldCharType")) == "end" and open_fields:
            inside -= int(open_fields.pop()[2])  # a TOC's result ends here
    return paragraphs, begins


def _note_number(run: Any, text: Any) -> bool:
    """Whether a run's text is a note's number typed by hand: superscript, without letters."""
    align = run.find(f"{w('rPr')}/{w('vertAlign')}")
    value = text.text or ""
    return (align is not None and align.get(w("val")) == "superscript" and bool(value.strip())
            and not any(c.isalpha() for c in value))


def _piece(element: Any, run: Any) -> _Piece:
    if run is None:
        return _Piece(element)
    return _Piece(element, run.find(w("rPr")), in_run=True)


def _put_back(container: Any, pieces: list[_Piece]) -> None:
    import lxml.etree

    for piece in pieces:
        if piece.in_run:
            run = lxml.etree.SubElement(container, w("r"))
            if piece.run_format is not None:
                run.append(copy.deepcopy(piece.run_format))
            run.append(piece.element)
        else:
            container.append(piece.element)


def _shell(element: Any) -> Any:
    """A container without its content: its attributes and properties (a content control's
    ``w:sdtPr``), and an empty ``w:sdtContent`` for a content control. A right-to-left
    embedding (``w:dir``, ``w:bdo``) becomes left-to-right."""
    import lxml.etree

    shell = lxml.etree.Element(element.tag, attrib=dict(element.attrib), nsmap=element.nsmap)
    for child in element:
        if child.tag in PROPERTIES:
            shell.append(copy.deepcopy(child))
        elif child.tag == w("sdtContent"):
            lxml.etree.SubElement(shell, w("sdtContent"))
    if element.tag in (w("dir"), w("bdo")) and shell.get(w("val")) == "rtl":
        shell.set(w("val"), "ltr")
    return shell


def _content_of(container: Any) -> Any:
    """Where a container's runs are: a content control's ``w:sdtContent``, else itself."""
    if container.tag == w("sdt"):
        content = container.find(w("sdtContent"))
        return container if content is None else content
    return container


def _text_runs(container: Any) -> Iterator[Any]:
    """The runs of a container's own text, inside insertions, content controls and the like, but
    not inside hyperlinks (which have their own base formatting)."""
    for child in container:
        if child.tag == w("r"):
            yield child
        elif child.tag in CONTAINERS and child.tag != w("hyperlink"):
            yield from _text_runs(_content_of(child))


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
    for run in _text_runs(container):
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
    """python-docx reads footnotes and endnotes (and before 1.2 comments) as opaque blobs; as XML
    parts (its public ``PartFactory`` registry) their paragraphs can be translated and are saved
    from the tree."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.part import PartFactory, XmlPart

    for content_type in (CONTENT_TYPE.WML_FOOTNOTES, CONTENT_TYPE.WML_ENDNOTES,
                         CONTENT_TYPE.WML_COMMENTS):
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
