"""Sizes past which a document is refused before it is read whole."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from tarjama.errors import InputError

#: The largest document file read. A long news article is well under 1 MB as HTML or Word.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most a Word package may hold once unpacked, summed over its entries as its directory
#: declares them (Python's zipfile never unpacks more than an entry declares).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Entries compressing better than this, and large, are a decompression bomb, not a document.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_FROM_BYTES = 1024 * 1024


def read_document_bytes(path: str | os.PathLike[str]) -> bytes:
    """A document file's bytes; :class:`InputError` for a missing file, a folder, or a file
    larger than :data:`MAX_FILE_BYTES` (refused from its size, before reading)."""
    target = Path(path)
    try:
        info = target.stat()
    except FileNotFoundError:
        raise InputError(f"{target}: no such file; check the path") from None
    except OSError as err:
        raise InputError(f"{target}: cannot be read ({err.strerror or err})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{target}: is a folder; give a document file")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(f"{target}: is {info.st_size // 2**20} MB, more than the "
                         f"{MAX_FILE_BYTES // 2**20} MB a document may have; split it first")
    try:
        with open(target, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InputError(f"{target}: cannot be read ({err.strerror or err})") from None
