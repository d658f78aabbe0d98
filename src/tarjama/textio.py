"""Reading the user's input and writing results without leaving half-written files behind."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tarjama.errors import InputError

STDIN = "-"


def read_text(source: str | os.PathLike[str]) -> str:
    """Read a text file (UTF-8, with or without BOM), or standard input when ``source`` is ``-``."""
    if str(source) == STDIN:
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"{path}: no such file; check the path")
        if path.is_dir():
            raise InputError(f"{path}: is a folder, expected a text file")
        data = path.read_bytes()
        name = str(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {err.start}); convert it to UTF-8 first"
        ) from None


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_lines(source: str | os.PathLike[str]) -> list[str]:
    """Lines of a text file, one segment each, without line endings.

    Only ``\\n`` (and ``\\r\\n``) end a line: other Unicode line separators inside a segment must not
    change the line count of an aligned corpus.
    """
    text = read_text(source)
    if text.endswith("\n"):
        text = text[:-1]
    return [line.removesuffix("\r") for line in text.split("\n")] if text else []
