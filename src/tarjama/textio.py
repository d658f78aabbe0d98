"""Reading the user's input and writing results without leaving half-written files behind.

Input arrives as UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM, or in a legacy Arabic
code page (Windows-1256, ISO-8859-6). Decoding is strict: a byte is never silently replaced, so
text is never lost. Strict UTF-8 is tried first and the encoding detector only runs when it fails,
which keeps reading a large UTF-8 file as fast as a plain ``decode``.
"""
from __future__ import annotations

import codecs
import errno
import json
import logging
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tarjama.errors import Advice, InputError, OutputError

STDIN = "-"
#: How long reading a named pipe may wait for a writer before a notice says it is waiting.
PIPE_NOTICE_SECONDS = 1.0

logger = logging.getLogger("tarjama")

# Checked longest first: a UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Encodings the detector may choose from when a file is not UTF-8. Restricting it to encodings that
#: Arabic and Western news text actually uses keeps it from guessing an exotic code page for a
#: short text.
DETECTION_CANDIDATES = ("cp1256", "iso8859_6", "cp1252")
# File signatures of binary formats people hand to a text tool by mistake, and what to do instead.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image", "give a plain-text file"),
    (b"\xff\xd8\xff", "a JPEG image", "give a plain-text file"),
    (b"GIF8", "a GIF image", "give a plain-text file"),
    (b"%PDF", "a PDF document", "extract its text first (pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .xlsx is one)", "save it as plain text first"),
    (b"\x1f\x8b", "a gzip archive", "decompress it first"),
    (b"\x7fELF", "a program", "give a plain-text file"),
    (b"SQLite format 3\x00", "an SQLite database", "give a plain-text file"),
)
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Text may carry a few stray controls (a DOS end-of-file mark, an escape); binary data has many.
_MAX_CONTROL_SHARE = 0.01
_SURROGATE = re.compile("[\ud800-\udfff]")
#: How many problems one error line lists before it only counts the rest.
MAX_PROBLEMS_SHOWN = 5


@dataclass(frozen=True)
class Decoded:
    """A decoded text and the encoding it was read with (a Python codec name)."""

    text: str
    encoding: str
    detected: bool
    """True when the encoding was guessed by the detector rather than known from a BOM, from
    valid UTF-8, or given by the user."""


def read_text(source: str | os.PathLike[str], encoding: str | None = None, *,
              allow_empty: bool = False) -> str:
    """Read a text file, or standard input when ``source`` is ``-``.

    The encoding is found as described in :func:`decode`; ``encoding``, a codec name, overrides
    it. Raises :class:`InputError`, with one line saying what is wrong and what
    to do, for a missing file, a folder, binary or undecodable data, and (unless ``allow_empty``)
    an input that is empty or only whitespace.
    """
    return read_decoded(source, encoding, allow_empty=allow_empty).text


def read_decoded(source: str | os.PathLike[str], encoding: str | None = None, *,
                 allow_empty: bool = False) -> Decoded:
    """Like :func:`read_text`, but also tells which encoding was used and whether it was guessed."""
    name, data = _read_bytes(source)
    decoded = decode(data, name, encoding)
    if allow_empty:
        return decoded
    if not decoded.text:
        raise InputError(f"{name}: is empty; give a file with the text to work on")
    if decoded.text.isspace():
        raise InputError(f"{name}: has only whitespace, no text; give a file with the text to "
                         "work on")
    return decoded


def decode(data: bytes, name: str = "input", encoding: str | None = None) -> Decoded:
    """Decode the bytes of a text: a BOM decides; else strict UTF-8; else the detector.

    ``encoding`` skips all guessing. A leading BOM never ends up in the text. ``name`` is what
    error messages call the input. Binary data (known file signatures, NUL bytes, many control
    characters) raises :class:`InputError`.
    """
    if encoding is not None:
        codec = _codec(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            raise InputError(
                f"{name}: not valid {encoding} (byte {err.start}: 0x{data[err.start]:02x})",
                Advice("encoding", "check {}, or leave it out to detect the encoding",
                       metavar="NAME")) from None
        return _checked(Decoded(text.removeprefix("\ufeff"), codec, False), name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(Decoded(data.decode(codec), codec, False), name)
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: starts with a {codec} byte order mark but is not valid "
                                 f"{codec} (byte {err.start}); convert it to UTF-8") from None
    for signature, kind, advice in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name}: is {kind}, not text; {advice}")
    if b"\x00" in data:
        return _checked(_utf16_without_bom(data, name), name)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", False), name)
    except UnicodeDecodeError as err:
        _reject_cut_utf8(data, err, name)
    return _checked(_detect(data, name), name)


def _reject_cut_utf8(data: bytes, err: UnicodeDecodeError, name: str) -> None:
    """A UTF-8 text whose last character was cut off (a copy or download that stopped half-way)
    is refused as such: guessing another encoding for it would only give a misleading message.

    Only when the bytes before the cut hold UTF-8 beyond ASCII: a lone high byte after plain ASCII
    may as well be one Windows-1256 letter.
    """
    if err.reason != "unexpected end of data" or err.end != len(data):
        return
    intact = data[:err.start]
    if intact.isascii():
        return
    raise InputError(f"{name}: is UTF-8 but ends in the middle of a character (after byte "
                     f"{err.start}); the file looks cut off: restore the whole file, or delete "
                     "its incomplete last character")


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a name such as utf-8, utf-16, "
                         "cp1256 (Windows-1256) or iso-8859-6") from None


def _read_bytes(source: str | os.PathLike[str]) -> tuple[str, bytes]:
    if str(source) == STDIN:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("no input: give a file, or pipe text into standard input")
        return "standard input", sys.stdin.buffer.read()
    path = Path(source)
    _check_readable_path(path)
    try:
        return str(path), _read_file(path)
    except PermissionError:
        raise InputError(f"{path}: permission denied; check that you may read it") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err})") from None


def _read_file(path: Path) -> bytes:
    """The bytes of a file; for a named pipe, a notice when no program writes to it yet.

    Opening a pipe waits until something opens it for writing, which may never happen: after
    :data:`PIPE_NOTICE_SECONDS` one warning says what the command is waiting for.
    """
    if not stat.S_ISFIFO(path.stat().st_mode):
        return path.read_bytes()
    notice = threading.Timer(PIPE_NOTICE_SECONDS, logger.warning, (
        "%s: is a named pipe that no program writes to yet; waiting for data (Ctrl-C to stop)",
        shown_path(path)))
    notice.daemon = True
    notice.start()
    try:
        with open(path, "rb") as stream:
            notice.cancel()
            return stream.read()
    finally:
        notice.cancel()


def _check_readable_path(path: Path) -> None:
    """One line that names what is really wrong with a path that cannot be opened as a file."""
    try:
        if stat.S_ISDIR(path.stat().st_mode):
            raise InputError(f"{path}: is a folder, expected a text file")
    except OSError as err:
        if err.errno == errno.ENOENT and path.is_symlink():
            raise InputError(f"{path}: is a symbolic link to {os.readlink(path)}, which does not "
                             "exist; fix the link or give the file itself") from None
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError(f"{path}: no such file; check the path") from None
        raise path_error(path, err) from None


#: Paths longer than this are shown shortened in messages: their start and their end.
MAX_SHOWN_PATH = 160


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as a message shows it: whole, or its start and end around ``…`` when very long."""
    text = str(path)
    if len(text) <= MAX_SHOWN_PATH:
        return text
    half = MAX_SHOWN_PATH // 2
    return f"{text[:half]}…{text[-half:]} ({len(text):,} characters)"


def path_error(path: str | os.PathLike[str], err: OSError) -> InputError:
    """The one-line error for a path the system will not look at, with what to do about it."""
    name = shown_path(path)
    if err.errno == errno.ENAMETOOLONG:
        return InputError(f"{name}: the path is too long for this system (File name too long); "
                          "check the path, or move the file to a shorter one")
    if err.errno == errno.ELOOP:
        return InputError(f"{name}: is a loop of symbolic links that never reaches a file; fix "
                          "or remove the link")
    if err.errno == errno.EACCES:
        return InputError(f"{name}: permission denied; check that you may read it")
    return InputError(f"{name}: cannot be read ({err.strerror or err})")


#: What :func:`path_kind` says is at a path.
FOLDER, FILE, SPECIAL = "folder", "file", "special file"


def path_kind(path: str | os.PathLike[str]) -> str | None:
    """What is at ``path``, following links: :data:`FOLDER`, :data:`FILE`, :data:`SPECIAL` (a
    device, a named pipe, a socket), or ``None`` when nothing is there.

    Unlike ``Path.is_dir()``, a path the system refuses to look at (too long, a loop of links, no
    permission) raises :class:`InputError` with one line that says so.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise path_error(path, err) from None
    return FOLDER if stat.S_ISDIR(mode) else FILE if stat.S_ISREG(mode) else SPECIAL


def _utf16_without_bom(data: bytes, name: str) -> Decoded:
    """UTF-16 without a BOM, recognised by its NUL bytes all falling on one side of each pair."""
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        codec = "utf-16-le" if even == 0 else "utf-16-be" if odd == 0 else None
        if codec is not None:
            try:
                return Decoded(data.decode(codec), codec, True)
            except UnicodeDecodeError:
                pass
    raise InputError(f"{name}: looks like binary data (it has NUL bytes), not text; give a "
                     "plain-text file")


_NAME_THE_ENCODING = Advice("encoding", "pass {}, or convert it to UTF-8", metavar="NAME")


def _detect(data: bytes, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(DETECTION_CANDIDATES)).best()
    if best is None:
        raise InputError(f"{name}: not UTF-8, UTF-16 or Windows-1256, and its encoding could not "
                         "be detected", _NAME_THE_ENCODING)
    codec = codecs.lookup(best.encoding).name
    try:
        return Decoded(data.decode(codec), codec, True)
    except UnicodeDecodeError:  # the detector tolerates a few bad bytes; we never drop any
        raise InputError(f"{name}: not UTF-8, and not cleanly {codec} either",
                         _NAME_THE_ENCODING) from None


def _checked(decoded: Decoded, name: str) -> Decoded:
    text = decoded.text
    if "\x00" in text or (text and len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text)):
        raise InputError(f"{name}: looks like binary data (control characters), not text; give a "
                         "plain-text file")
    return decoded


def read_lines(source: str | os.PathLike[str], encoding: str | None = None) -> list[str]:
    """Lines of a text file, one segment each, without line endings.

    Only ``\\n`` (and ``\\r\\n``) end a line: other Unicode line separators inside a segment must not
    change the line count of an aligned corpus.
    """
    text = read_text(source, encoding)
    if text.endswith("\n"):
        text = text[:-1]
    return [line.removesuffix("\r") for line in text.split("\n")] if text else []


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a crash never leaves half a file.

    Only a regular file (or a new path) is replaced that way; a symbolic link to a regular file
    keeps being a link, and the file it points at is replaced. Anything else that already exists
    (a terminal, ``/dev/null``, a named pipe, ``/dev/stdout``) is written through as a stream,
    since replacing it with a file would break it. Raises :class:`OutputError` when the text cannot
    be written (a folder in the way, no permission, a full disk or device).
    """
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None  # a new path (or one that cannot be looked at: creating it will say why)
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{target}: is a folder; give a file name to write to")
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(target, data)
        return
    if mode is not None and target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{shown_path(target)}: cannot write here ({err.strerror or err}); "
                          "choose another output path") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a result file gets the usual umask permissions.
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _write_failed(target, err) from None
        raise


def _write_through(target: Path, data: bytes) -> None:
    """Write to a device or pipe as a stream; its write errors are reported, never ignored."""
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as err:
        raise _write_failed(target, err) from None


def _write_failed(target: Path | str, err: OSError) -> OutputError:
    """The one-line error for a failed write, with what to do about the usual causes."""
    advice = {errno.ENOSPC: "free some space, or write somewhere else",
              errno.EDQUOT: "free some space, or write somewhere else",
              errno.EACCES: "check that you may write there, or write somewhere else",
              errno.EROFS: "it is on a read-only file system; write somewhere else"}
    return OutputError(f"{shown_path(target)}: cannot write it ({err.strerror or err}); "
                       + advice.get(err.errno or 0, "write somewhere else"),
                       path=str(target), cause=err.strerror or str(err))


def write_stream(stream: Any, name: str, data: bytes) -> None:
    """Write ``data`` to a binary stream such as standard output and flush it.

    A broken pipe (the reader went away) is raised as :class:`BrokenPipeError`; any other write
    error (a full disk, an I/O error) as :class:`OutputError` naming ``name``.
    """
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise _write_failed(name, err) from None


def dumps_jsonl(records: Iterable[Mapping[str, Any]]) -> str:
    """Records as JSON Lines: one compact JSON object per line, non-ASCII text kept readable.

    Line breaks and control characters inside strings are escaped, so every record is exactly one
    ``\\n``-ended line. A lone surrogate (which no file tarjama reads can contain) cannot be written
    as UTF-8 and raises :class:`InputError` rather than being replaced.
    """
    lines = []
    for number, record in enumerate(records, 1):
        # JSON leaves DEL unescaped; escaped, a record can never look like binary data.
        line = json.dumps(record, ensure_ascii=False, allow_nan=False).replace("\x7f", "\\u007f")
        surrogate = _SURROGATE.search(line)
        if surrogate is not None:
            raise InputError(f"record {number}: has a lone surrogate "
                             f"U+{ord(surrogate.group()):04X}, which UTF-8 cannot store")
        lines.append(line + "\n")
    return "".join(lines)


def write_jsonl(path: str | os.PathLike[str], records: Iterable[Mapping[str, Any]]) -> None:
    """Write records as JSON Lines to ``path``, atomically."""
    write_text_atomic(path, dumps_jsonl(records))


def loads_jsonl(text: str, name: str = "input",
                check: Callable[[Any], str | None] | None = None) -> list[Any]:
    """Parse JSON Lines; blank lines are skipped. Only ``\\n`` (or ``\\r\\n``) ends a record.

    ``check`` returns what is wrong with a record, or ``None`` when it is fine. Every bad line is
    reported at once, in one :class:`JsonlError`.
    """
    return [record for _, record in parse_jsonl(text, name, check)]


def parse_jsonl(text: str, name: str = "input",
                check: Callable[[Any], str | None] | None = None) -> list[tuple[int, Any]]:
    """Like :func:`loads_jsonl`, but each record comes with its line number."""
    records: list[tuple[int, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{name}:{number}: not valid JSON ({err.msg} at column {err.colno})")
            continue
        problem = check(record) if check is not None else None
        if problem is not None:
            problems.append(f"{name}:{number}: {problem}")
            continue
        records.append((number, record))
    if problems:
        raise JsonlError(problems)
    return records


def read_jsonl(source: str | os.PathLike[str], encoding: str | None = None,
               check: Callable[[Any], str | None] | None = None) -> list[Any]:
    """Read a JSON Lines file (or ``-``); an empty file has no records. See :func:`loads_jsonl`."""
    name = "standard input" if str(source) == STDIN else str(source)
    return loads_jsonl(read_text(source, encoding, allow_empty=True), name, check)


def join_problems(problems: Sequence[str]) -> str:
    """Problems (``file:line: what``) as one line: all of them, or the first few and a count."""
    if len(problems) == 1:
        return problems[0]
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return f"{len(problems)} problems: {shown}" + (f"; and {more} more" if more > 0 else "")


class JsonlError(InputError):
    """Records of a JSON Lines input that cannot be used: ``problems`` holds one
    ``file:line: what is wrong`` for each bad line."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__(join_problems(self.problems))


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
