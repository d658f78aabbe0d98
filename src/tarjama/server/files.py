"""Documents sent to ``/translate_file``: kept in a private temporary folder, translated through a
format plug-in, stored for download for a while.

A format reads a document into texts to translate and writes the translations back into it.
Plain text is built in; the document formats of :mod:`tarjama.documents` register here when that
package is installed, so the server never learns about Word or HTML itself.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from tarjama.textio import decode

TranslateTexts = Callable[[list[str]], Awaitable[list[str]]]


@dataclass(frozen=True)
class FileFormat:
    """How one kind of document is translated: ``translate(data, name, translate_texts)``
    returns the translated document's bytes."""

    suffix: str
    media_type: str
    translate: Callable[[bytes, str, TranslateTexts], Awaitable[bytes]]


async def _translate_text_file(data: bytes, name: str, translate_texts: TranslateTexts) -> bytes:
    [english] = await translate_texts([decode(data, name).text])
    return (english + "\n").encode("utf-8")


FORMATS: dict[str, FileFormat] = {
    ".txt": FileFormat(".txt", "text/plain; charset=utf-8", _translate_text_file),
}


def supported_suffixes() -> list[str]:
    """The file name endings ``/translate_file`` takes."""
    return sorted(FORMATS)


_STORED_NAME = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9_.-]{1,120}")


class FileStore:
    """A private folder (mode 0700) of translated files, each named ``<uuid>.<original name>``.

    At most ``max_files`` are kept, none longer than ``ttl_s`` seconds; the folder is removed
    with :meth:`close`.
    """

    def __init__(self, max_files: int, ttl_s: float):
        self.folder = Path(tempfile.mkdtemp(prefix="tarjama-serve-"))
        os.chmod(self.folder, 0o700)
        self.max_files = max_files
        self.ttl_s = ttl_s

    def put(self, original_name: str, data: bytes) -> str:
        """Store ``data`` and return the name to download it by."""
        self._prune()
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(original_name).name).strip("._")[-120:] or "file"
        name = f"{uuid.uuid4().hex}.{safe}"
        path = self.folder / name
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(data)
        return name

    def path(self, name: str) -> Path | None:
        """The stored file called ``name``, or ``None`` (also for any name that is not one of
        ours, so no path outside the folder is ever read)."""
        if not _STORED_NAME.fullmatch(name):
            return None
        path = self.folder / name
        return path if path.is_file() else None

    def _prune(self) -> None:
        files = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime)
        cutoff = time.time() - self.ttl_s
        excess = len(files) - self.max_files + 1
        for number, path in enumerate(files):
            if number < excess or path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the folder and what it holds."""
        shutil.rmtree(self.folder, ignore_errors=True)


def download_name(stored: str) -> str:
    """The name a stored file is downloaded as: the original name, ``.en`` before its suffix."""
    original = Path(stored.partition(".")[2])
    return f"{original.stem}.en{original.suffix}"
