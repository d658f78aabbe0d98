"""Documents sent to ``/translate_file``: kept in a private temporary folder, translated through a
format plug-in, stored for download for a while.

Plain text is translated here; every other format goes through :mod:`tarjama.documents`, so the
server never learns about Word or HTML itself.
"""
from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from tarjama.textio import decode

TranslateTexts = Callable[[list[str]], Awaitable[list[str]]]
TranslateDocument = Callable[[bytes, str, str], Awaitable[bytes]]

TEXT_SUFFIX = ".txt"


def supported_suffixes() -> list[str]:
    """The file name endings ``/translate_file`` takes: plain text and every document format of
    :mod:`tarjama.documents`."""
    from tarjama.documents import DOCUMENT_SUFFIXES

    return sorted({TEXT_SUFFIX, *DOCUMENT_SUFFIXES})


async def translate_upload(data: bytes, name: str, translate_texts: TranslateTexts,
                           translate_document: TranslateDocument) -> bytes:
    """The translated file: plain text through ``translate_texts`` (shared batches), a document
    through ``translate_document(data, format, name)`` in its own format."""
    from tarjama.documents import format_of

    document_format = format_of(name)
    if document_format is None:
        [english] = await translate_texts([decode(data, name).text])
        return (english + "\n").encode("utf-8")
    return await translate_document(data, document_format.name, name)


def media_type(name: str) -> str:
    """The Content-Type of a stored file, from its name."""
    if name.lower().endswith(TEXT_SUFFIX):
        return "text/plain; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


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
