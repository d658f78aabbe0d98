"""A SQLite cache of translations, so that reruns are instant and interrupted runs resume.

One row per model input (a sentence, or a piece of a sentence too long for the model), keyed by a
hash of everything that decides its translation: model and revision (or a fingerprint of a local
folder's files), backend, device, compute type and generation settings. Each batch is committed as
soon as it is translated, so a run killed at any moment loses at most the batch in flight, and a
rerun translates only what is missing.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from tarjama.backends.locations import tarjama_cache_dir
from tarjama.errors import Advice, InputError

CACHE_FILE = "translations.sqlite3"
# SQLite allows at most 999 parameters per statement in old builds; stay under it.
_LOOKUP_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    flags TEXT NOT NULL,
    PRIMARY KEY (settings, source)
) WITHOUT ROWID
"""

Entry = tuple[str, tuple[str, ...]]
"""A cached translation and its integrity flags."""


def default_cache_path() -> Path:
    """``translations.sqlite3`` in tarjama's cache folder (``$TARJAMA_CACHE`` to move it)."""
    return tarjama_cache_dir() / CACHE_FILE


class TranslationCache:
    """Translations of one model and one set of settings, stored in a SQLite file."""

    def __init__(self, path: str | os.PathLike[str], settings: str):
        self.path = Path(path)
        self.settings = hashlib.sha256(settings.encode("utf-8")).hexdigest()[:32]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Several tarjama processes may share the file: wait for a writer rather than fail.
            self._db = sqlite3.connect(self.path, timeout=60)
            # WAL with synchronous=NORMAL survives a killed process (only power loss may cost the
            # last commits) and lets readers run while a batch is written.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except sqlite3.Error as err:
            raise InputError(f"cannot use the translation cache {self.path} ({err})",
                             Advice("use_cache", "pass {}, or point TARJAMA_CACHE at a writable folder",
                                    value=False)) from None

    def get_many(self, sources: Sequence[str]) -> dict[str, Entry]:
        """The cached entries among ``sources``."""
        found: dict[str, Entry] = {}
        for start in range(0, len(sources), _LOOKUP_CHUNK):
            chunk = list(sources[start:start + _LOOKUP_CHUNK])
            rows = self._db.execute(
                "SELECT source, translation, flags FROM translations WHERE settings = ? "
                f"AND source IN ({', '.join('?' * len(chunk))})", [self.settings, *chunk])
            for source, translation, flags in rows:
                found[source] = (translation, tuple(json.loads(flags)))
        return found

    def put_many(self, entries: Iterable[tuple[str, Entry]]) -> None:
        """Store entries and commit them at once."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)",
                [(self.settings, source, translation, json.dumps(list(flags)))
                 for source, (translation, flags) in entries])

    def close(self) -> None:
        """Close the database."""
        self._db.close()
