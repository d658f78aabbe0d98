"""Web pages, read with lxml's HTML parser (libxml2).

Every visible text is translated (buttons, a list's options and what ``<noscript>`` shows
included); a block element (``<p>``, ``<h2>``, ``<li>``, ``<td>``...) is one paragraph for the
segmenter, and the inline elements inside it (``<b>``, ``<a href>``, ``<span>``, ``<button>``...)
are marks put back on the English words (see :mod:`tarjama.documents.placement`).
Inline elements whose content must stay as it is (``<code>``, ``<img>``, ``<br>``, comments) are
kept whole as marks without text (a ``<br>`` between two words holds the space that parts them
for the model), and so is a note's reference (``كلمة<sup><a href="#fn1">1</a></sup>.``: a
superscript or in-page link without letters; its digits written 0-9), which follows the English
of a word it is glued to. ``script``, ``style``, ``pre``, ``code``, ``textarea`` and
comments are never touched, nor is an inline SVG drawing but for the text people see or hear in
it (its ``<text>``, ``<tspan>``, ``<textPath>``, ``<title>`` and ``<desc>``); attributes people
read (``alt``, ``title``, ``placeholder``, ``aria-label``, an unnamed button's ``<input value>``,
the page's description and social titles) are translated. ``lang="ar"`` and ``dir="rtl"`` (and
an inline style's ``direction: rtl``) become ``lang="en"`` and ``dir="ltr"``. The page is read
in its declared encoding (a BOM or ``<meta charset>``), else as any text input (UTF-8, else
Windows-1256 detected), and written as UTF-8 with its ``<meta charset>`` saying so (one is added
when the page had none).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tarjama.documents.blocks import NO_PARENT, Block, Close, Mark, Open, events, sentence_ended
from tarjama.errors import Advice, InputError
from tarjama.normalize import arabic_digits_to_western
from tarjama.textio import decode

INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "button", "cite", "data", "del", "dfn", "em",
    "font", "i", "ins", "label", "mark", "nobr", "q", "s", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u"})
#: Inline elements kept whole, their content never translated.
OPAQUE_TAGS = frozenset({
    "audio", "br", "canvas", "code", "embed", "iframe", "img", "input", "kbd", "math",
    "object", "picture", "samp", "select", "svg", "textarea", "var", "video", "wbr", "script",
    "style", "template"})
#: Elements whose whole content is left alone.
SKIPPED_TAGS = frozenset({"script", "style", "pre", "code", "textarea", "template", "svg", "math",
                          "kbd", "samp", "var"})
# An inline style's right-to-left direction (Arabic pages set it as often as dir="rtl").
_RTL_STYLE = re.compile(r"(direction\s*:\s*)rtl\b", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_CHARSET_PARAMETER = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.IGNORECASE)
#: As browsers read them: a page labelled Latin-1 or ASCII is Windows-1252.
LABELS_READ_AS_WINDOWS_1252 = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_NAME_THE_ENCODING = Advice("encoding", "fix the page's <meta charset>, or pass {}",
                            metavar="NAME")
READABLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
#: ``<input type=...>`` whose ``value`` is the label on a button.
BUTTON_INPUTS = frozenset({"button", "submit", "reset"})
# The target of a block that is an element's own text (a list's <option>), not an attribute,
# and of the text after an element (an SVG <tspan>'s, inside its <text>).
OWN_TEXT = "#text"
TAIL = "#tail"
#: SVG elements whose text people see (``text``, ``tspan``, ``textPath``) or screen readers say
#: (``title``, ``desc``): translated where they are, one text at a time (a ``tspan`` is often a
#: line placed on its own), the rest of the drawing left alone.
SVG_TEXT = frozenset({"text", "tspan", "textpath", "title", "desc"})
#: Of those, the ones inside another's text: what follows them is still that text.
SVG_TEXT_PIECES = frozenset({"tspan", "textpath"})
#: ``<meta name=...>`` / ``<meta property=...>`` whose ``content`` people read.
READABLE_META = frozenset({"description", "og:title", "og:description", "og:site_name",
                           "twitter:title", "twitter:description", "keywords"})


def _tag(element: Any) -> str | None:
    """The lower-case tag of an element; ``None`` for a comment or processing instruction."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


@dataclass
class _Run:
    """Inline content of a container between two of its block children: the text slot it starts
    with and the inline children after it."""

    container: Any
    lead_owner: Any
    lead_attr: str  # "text" or "tail"
    children: list[Any] = field(default_factory=list)


@dataclass
class HtmlDocument:
    """A parsed page: its blocks, and where each goes back."""

    root: Any
    doctype: str
    #: The encoding the page was read in (a Python codec name).
    source_encoding: str = "utf-8"
    blocks: list[Block] = field(default_factory=list)
    _targets: list[_Run | tuple[Any, str]] = field(default_factory=list)
    _elements: list[Any] = field(default_factory=list)
    _opaque: set[int] = field(default_factory=set)
    _notes: set[int] = field(default_factory=set)

    def write(self, translated: Sequence[Block | None]) -> bytes:
        """The page with each translated block put back, as UTF-8."""
        import lxml.html

        changed = False
        for target, block in zip(self._targets, translated, strict=True):
            if block is None:
                continue
            changed = True
            if isinstance(target, _Run):
                self._rebuild(target, block)
            else:
                element, attribute = target
                if attribute == OWN_TEXT:
                    element.text = block.text
                elif attribute == TAIL:
                    element.tail = block.text
                else:
                    element.set(attribute, block.text)
        if changed:
            _switch_direction(self.root)
        _declare_utf8(self.root, self.source_encoding)
        body = lxml.html.tostring(self.root, encoding="utf-8", method="html",
                                  doctype=self.doctype or None)
        return bytes(body) if body.endswith(b"\n") else bytes(body) + b"\n"

    def counts(self) -> dict[str, int]:
        """Elements, links, images and blocks of text: what must be the same after translation."""
        elements = [e for e in self.root.iter() if _tag(e)]
        return {"elements": len(elements),
                "links": sum(1 for e in elements if _tag(e) == "a" and e.get("href") is not None),
                "inline": sum(1 for e in elements if _tag(e) in INLINE_TAGS),
                "images": sum(1 for e in elements if _tag(e) == "img"),
                "blocks": len(self.blocks)}

    def text(self) -> str:
        """The page's text blocks, one a line."""
        return "\n".join(b.text.strip() for b, t in zip(self.blocks, self._targets, strict=True)
                         if isinstance(t, _Run) and b.text.strip())

    # -- reading ------------------------------------------------------------------------------
    def collect(self) -> None:
        """Find every block of text and readable attribute, without recursion."""
        inline = _inline_elements(self.root)
        stack = [self.root]
        while stack:
            container = stack.pop()
            runs: list[_Run] = [_Run(container, container, "text")]
            later: list[Any] = []
            for child in container:
                tag = _tag(child)
                if tag is None or child in inline or tag in OPAQUE_TAGS:
                    runs[-1].children.append(child)
                else:
                    if tag not in SKIPPED_TAGS:
                        later.append(child)
                    runs.append(_Run(container, child, "tail"))
            for run in runs:
                block = self._block_of(run)
                if block.text.strip():
                    self.blocks.append(block)
                    self._targets.append(run)
            stack.extend(reversed(later))
        for element in self.root.iter():
            tag = _tag(element)
            if tag in SVG_TEXT and _in_drawing(element):
                if (element.text or "").strip():
                    self._add_attribute(element, OWN_TEXT)
                if tag in SVG_TEXT_PIECES and (element.tail or "").strip():
                    self._add_attribute(element, TAIL)
            if tag is None or _inside_skipped(element):
                continue
            for attribute in READABLE_ATTRIBUTES:
                if element.get(attribute, "").strip():
                    self._add_attribute(element, attribute)
            if tag == "meta" and (element.get("name") or element.get("property") or "").lower() \
                    in READABLE_META and element.get("content", "").strip():
                self._add_attribute(element, "content")
            # A named button's value is sent with its form: the page's server expects it as is.
            if tag == "input" and (element.get("type") or "").lower() in BUTTON_INPUTS \
                    and element.get("value", "").strip() and element.get("name") is None:
                self._add_attribute(element, "value")
            if tag == "option" and (element.text or "").strip():
                self._add_attribute(element, OWN_TEXT)
            if tag == "optgroup" and element.get("label", "").strip():
                self._add_attribute(element, "label")

    def _add_attribute(self, element: Any, attribute: str) -> None:
        """A block of an attribute's value, or of an element's own text (:data:`OWN_TEXT`)."""
        text = {OWN_TEXT: element.text, TAIL: element.tail}.get(attribute) or element.get(attribute)
        self.blocks.append(Block(text))
        self._targets.append((element, attribute))

    def _block_of(self, run: _Run) -> Block:
        text: list[str] = [getattr(run.lead_owner, run.lead_attr) or ""]
        length = len(text[0])
        marks: list[Mark] = []
        # Depth-first over the inline elements, with an explicit stack: (element, parent mark).
        stack: list[tuple[Any, int, bool]] = [(child, NO_PARENT, False)
                                              for child in reversed(run.children)]
        open_marks: list[int] = []
        while stack:
            element, parent, closing = stack.pop()
            if closing:
                index = open_marks.pop()
                marks[index] = Mark(marks[index].start, length, marks[index].key, parent)
                tail = element.tail or ""
                text.append(tail)
                length += len(tail)
                continue
            key = len(self._elements)
            self._elements.append(element)
            index = len(marks)
            marks.append(Mark(length, length, key, parent))
            note = _note_reference(element)
            opaque = _tag(element) is None or _tag(element) in OPAQUE_TAGS or note
            if note:
                self._notes.add(key)
            if opaque:
                self._opaque.add(key)
                tail = element.tail or ""
                if _tag(element) == "br" and tail[:1].strip() and not _after_space(text):
                    # A line break between two words parts them as a space does: the mark
                    # holds one, so that the model reads two words (it has no words itself).
                    text.append(" ")
                    length += 1
                    marks[index] = Mark(marks[index].start, length, key, parent)
                elif tail[:1].strip() and sentence_ended(text) \
                        and (note or _without_text(element)):
                    # An image (anything shown without text) or a note's number between a
                    # sentence's end and the next word: the segmenter reads a space after it,
                    # and the mark stays glued to the end of the sentence before.
                    text.append(" ")
                    length += 1
                text.append(tail)
                length += len(tail)
                continue
            open_marks.append(index)
            own = element.text or ""
            text.append(own)
            length += len(own)
            stack.append((element, parent, True))
            stack.extend((child, index, False) for child in reversed(list(element)))
        return Block("".join(text), tuple(marks))

    # -- writing ------------------------------------------------------------------------------
    def _rebuild(self, run: _Run, block: Block) -> None:
        container = run.container
        for child in run.children:
            container.remove(child)
        cursor = 0 if run.lead_attr == "text" else container.index(run.lead_owner) + 1
        setattr(run.lead_owner, run.lead_attr, None)
        stack: list[Any] = []
        last: Any = None  # the element whose tail takes the next text at the current level
        for event in events(block):
            if isinstance(event, str):
                _append_text(run, stack, last, event)
            elif isinstance(event, Open):
                element = self._elements[event.key]
                element.tail = None
                if event.key in self._notes:
                    _western_digits(element)
                if event.key not in self._opaque:
                    element.text = None
                    for child in list(element):
                        element.remove(child)
                if stack:
                    stack[-1].append(element)
                else:
                    container.insert(cursor, element)
                    cursor += 1
                stack.append(element)
                last = None
            elif isinstance(event, Close):
                last = stack.pop()


def _append_text(run: _Run, stack: list[Any], last: Any, text: str) -> None:
    if last is not None:
        last.tail = (last.tail or "") + text
    elif stack:
        stack[-1].text = (stack[-1].text or "") + text
    else:
        current = getattr(run.lead_owner, run.lead_attr) or ""
        setattr(run.lead_owner, run.lead_attr, current + text)


def _after_space(text: list[str]) -> bool:
    """Whether the text read so far is empty or ends with whitespace."""
    return next((piece[-1] for piece in reversed(text) if piece), " ").isspace()


def _without_text(element: Any) -> bool:
    """Whether ``element`` shows something other than text (an image, a video, an empty code
    span): not a comment, which shows nothing."""
    return _tag(element) is not None and not element.text_content().strip()


def _western_digits(element: Any) -> None:
    """A note's number in the digits the English is written in (``٣`` → ``3``), all else kept."""
    for node in element.iter():
        if node is not element and node.tail:
            node.tail = arabic_digits_to_western(node.tail)
        if _tag(node) is not None and node.text:
            node.text = arabic_digits_to_western(node.text)


def _note_reference(element: Any) -> bool:
    """Whether ``element`` is a note's reference (``<sup>1</sup>``, ``<sup><a
    href="#fn1">[1]</a></sup>``, ``<a href="#cite-2">2</a>``): a superscript or a link within the
    page whose text has no letter. It is kept whole: its number is not the model's to translate
    (glued to the end of a word, it follows that word's English)."""
    tag = _tag(element)
    if tag != "sup" and not (tag == "a" and (element.get("href") or "").startswith("#")):
        return False
    content = element.text_content()
    return bool(content.strip()) and not any(c.isalpha() for c in content)


def _inline_elements(root: Any) -> set[Any]:
    """The inline elements that hold no block element (those are containers instead). The set
    holds the elements themselves: lxml makes a new proxy object (and id) for an element that
    Python no longer references."""
    holds_block: set[Any] = set()
    for element in root.iter():
        tag = _tag(element)
        if tag is not None and tag not in INLINE_TAGS and tag not in OPAQUE_TAGS:
            for ancestor in element.iterancestors():
                if ancestor in holds_block:
                    break
                holds_block.add(ancestor)
    return {e for e in root.iter() if _tag(e) in INLINE_TAGS and e not in holds_block}


def _inside_skipped(element: Any) -> bool:
    """Whether ``element`` lies inside content left alone (its own attributes are still read:
    a ``<textarea placeholder>``, a ``<pre title>``)."""
    return any(_tag(a) in SKIPPED_TAGS for a in element.iterancestors())


def _in_drawing(element: Any) -> bool:
    """Whether ``element`` lies in an inline SVG drawing, and in no other content left alone."""
    ancestors = {_tag(a) for a in element.iterancestors()}
    return "svg" in ancestors and not ancestors & (SKIPPED_TAGS - {"svg"})


def _switch_direction(root: Any) -> None:
    for element in root.iter():
        if not _tag(element):
            continue
        if (element.get("lang") or "").lower().split("-")[0] == "ar":
            element.set("lang", "en")
        if (element.get("dir") or "").lower() == "rtl":
            element.set("dir", "ltr")
        style = element.get("style")
        if style and _RTL_STYLE.search(style):
            element.set("style", _RTL_STYLE.sub(r"\1ltr", style))


def _declare_utf8(root: Any, source_encoding: str) -> None:
    """Make the page say it is UTF-8, as it is written: its ``<meta charset>`` and
    ``http-equiv`` content type are changed, and a page that declared nothing but was not UTF-8
    (its encoding detected, or named by the caller) gets a ``<meta charset="utf-8">`` first in its
    head, so a browser never reads the UTF-8 as the legacy encoding it may guess (Windows-1256 for
    Arabic). An undeclared UTF-8 page stays as it was: UTF-8, undeclared."""
    import codecs

    import lxml.html

    charsets = [meta for meta in root.iter("meta") if meta.get("charset") is not None]
    content_types = [meta for meta in root.iter("meta")
                     if (meta.get("http-equiv") or "").lower() == "content-type"]
    for meta in charsets:
        meta.set("charset", "utf-8")
    # libxml2 (2.14) leaves http-equiv content types out when it writes a page in an encoding:
    # the first becomes a <meta charset> where it stood, the others go.
    for meta in content_types[1 if not charsets else 0:]:
        meta.drop_tree()
    if content_types and not charsets:
        meta = content_types[0]
        meta.attrib.clear()
        meta.set("charset", "utf-8")
    if charsets or content_types or codecs.lookup(source_encoding).name in ("utf-8", "ascii"):
        return
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    meta = lxml.html.Element("meta", charset="utf-8")
    meta.tail, head.text = head.text, None
    head.insert(0, meta)


def read(data: bytes, name: str, encoding: str | None = None) -> HtmlDocument:
    """Parse a page; raises :class:`InputError` for one that cannot be read whole."""
    root, source_encoding = _parse(data, name, encoding)
    # libxml2 gives a page without a doctype an HTML 4.0 one, which would change how browsers
    # render the translation (quirks mode): only a doctype the page had is written back.
    doctype = root.getroottree().docinfo.doctype if _has_doctype(data) else ""
    document = HtmlDocument(root, doctype, source_encoding)
    document.collect()
    return document


def _has_doctype(data: bytes) -> bool:
    import codecs

    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    return b"<!doctype" in head.lower()


def _parse(data: bytes, name: str, encoding: str | None) -> tuple[Any, str]:
    """The page's tree, read from text decoded as the caller says, else as the page declares
    (``<meta charset>``, an http-equiv content type, an XML declaration), else as any text input
    is read (a BOM decides; else UTF-8, else Windows-1256 detected)."""
    declared = None if encoding is not None else _declared_encoding(data)
    if declared is None:
        decoded = decode(data, name, encoding)
        text, codec = decoded.text, decoded.encoding
    else:
        text, codec = _decode_declared(data, name, declared)
    return _checked_parse(_XML_DECLARATION.sub("", text, count=1), name), codec


def _declared_encoding(data: bytes) -> str | None:
    """The encoding the page names (``None`` when it names none, or starts with a BOM, which
    decides)."""
    import codecs

    import lxml.html

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    declaration = _XML_ENCODING.match(data[:200])
    if declaration:
        return declaration.group(1).decode("ascii")
    import lxml.etree

    try:
        probe = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(recover=True))
    except lxml.etree.ParserError:  # no element at all: the parse proper says so
        return None
    for meta in probe.iter("meta"):
        if (meta.get("charset") or "").strip():
            return str(meta.get("charset")).strip()
        if (meta.get("http-equiv") or "").lower() == "content-type":
            found = _CHARSET_PARAMETER.search(meta.get("content") or "")
            if found:
                return found.group(1)
    return None


def _decode_declared(data: bytes, name: str, label: str) -> tuple[str, str]:
    import codecs

    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise InputError(f"{name}: declares its encoding as {label!r}, which is no encoding",
                         _NAME_THE_ENCODING) from None
    codec = LABELS_READ_AS_WINDOWS_1252.get(codec, codec)
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: declares its encoding as {label!r}, but byte {err.start} "
                         f"(0x{data[err.start]:02x}) is not {label}{_what_it_is(data)}",
                         _NAME_THE_ENCODING) from None


def _what_it_is(data: bytes) -> str:
    """What the bytes do read as, for the error of a page whose declaration is wrong."""
    for codec, called in (("utf-8", "UTF-8"), ("cp1256", "Windows-1256")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return f" (they read as {called})"
    return ""


def _checked_parse(source: str | bytes, name: str, encoding: str | None = None) -> Any:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding=encoding, remove_comments=False)
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (lxml.etree.ParserError, ValueError, LookupError) as err:
        raise InputError(f"{name}: cannot be read as HTML ({err}); give a web page") from None
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(f"{name}: line {error.line}: elements are nested deeper than the "
                             "HTML parser reads (256 levels); real pages nest a few dozen deep, "
                             "so this file is broken or hostile") from None
    return root

