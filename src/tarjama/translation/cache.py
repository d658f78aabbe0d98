"""A SQLite cache of translations, so that reruns are instant and interrupted runs resume.

One row per model input (a sentence, or a piece of a sentence too long for the model), keyed by a
hash of everything that decides its translation: model and revision (or a fingerprint of a local
folder's files), backend, device, compute type and generation settings. Each batch is committed as
soon as it is translated, so a run killed at any moment loses at most the batch in flight, and a
rerun translates only what is missing.

Each translation's score (the model's mean log-probability while it wrote it, and the tokens it
is taken over; see :mod:`tarjama.translation.confidence`) is kept in a table of its own, ``scores``,
committed with its translation: the ``translations`` table keeps the four columns that older
tarjama versions write, so a file stays usable by both. A score row names the translation it
scores and is used only with that very translation. Rows written before scores were kept have
none; a translator that reports confidence translates those again (and stores both).

Every SQLite error, whenever it happens, is raised as a :class:`~tarjama.errors.CacheError` that
names the file and the kind of fault; rows committed before it stay in the file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tarjama.cache_paths import tarjama_cache_dir
from tarjama.errors import CacheError
from tarjama.translation.confidence import Score

CACHE_FILE = "translations.sqlite3"
#: Seconds to wait for another process that is writing to the same cache before giving up.
DEFAULT_BUSY_TIMEOUT = 60.0
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
_SCORES_SCHEMA = """
CREATE TABLE IF NOT EXISTS scores (
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    log_prob REAL NOT NULL,
    tokens INTEGER NOT NULL,
    PRIMARY KEY (settings, source)
) WITHOUT ROWID
"""
# SQLite's primary result codes (the low byte of an extended code) and what they mean to a user.
_CAUSES = {
    5: "locked",     # SQLITE_BUSY
    6: "locked",     # SQLITE_LOCKED
    11: "damaged",   # SQLITE_CORRUPT
    26: "damaged",   # SQLITE_NOTADB
    13: "full",      # SQLITE_FULL
}
_SQLITE_IOERR = 10
# Below this much free space, an I/O error of SQLite is taken for a full disk.
_NEARLY_FULL = 1 << 20

Entry = tuple[str, tuple[str, ...]]
"""A cached translation and its integrity flags."""


def default_cache_path() -> Path:
    """``translations.sqlite3`` in tarjama's cache folder (``$TARJAMA_CACHE`` to move it)."""
    return tarjama_cache_dir() / CACHE_FILE


class TranslationCache:
    """Translations of one model and one set of settings, stored in a SQLite file.

    ``busy_timeout`` is how many seconds an operation waits for another process that holds the
    file locked. Every method raises :class:`~tarjama.errors.CacheError` when the file cannot be
    used.
    """

    def __init__(self, path: str | os.PathLike[str], settings: str, *,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.path = Path(path)
        self.settings = hashlib.sha256(settings.encode("utf-8")).hexdigest()[:32]
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CacheError(str(self.path), "unusable", err.strerror or str(err)) from None
        with self._faults():
            # Several tarjama processes may share the file: wait for a writer rather than fail.
            db = sqlite3.connect(self.path, timeout=busy_timeout)
            try:
                # WAL with synchronous=NORMAL survives a killed process (only power loss may cost
                # the last commits) and lets readers run while a batch is written.
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                db.execute(_SCORES_SCHEMA)
                db.commit()
            except sqlite3.Error:
                db.close()
                raise
        self._db = db

    def get_many(self, sources: Sequence[str]) -> dict[str, Entry]:
        """The cached entries among ``sources``."""
        found: dict[str, Entry] = {}
        with self._faults() as db:
            for start in range(0, len(sources), _LOOKUP_CHUNK):
                chunk = list(sources[start:start + _LOOKUP_CHUNK])
                rows = db.execute(
                    "SELECT source, translation, flags FROM translations WHERE settings = ? "
                    f"AND source IN ({', '.join('?' * len(chunk))})", [self.settings, *chunk])
                for source, translation, flags in rows:
                    found[source] = (translation, tuple(json.loads(flags)))
        return found

    def get_scores(self, entries: Mapping[str, Entry]) -> dict[str, Score]:
        """The stored scores of the translations in ``entries`` (as :meth:`get_many` gave them);
        a translation without one, or whose score row names another translation, has none."""
        found: dict[str, Score] = {}
        sources = list(entries)
        with self._faults() as db:
            for start in range(0, len(sources), _LOOKUP_CHUNK):
                chunk = sources[start:start + _LOOKUP_CHUNK]
                rows = db.execute(
                    "SELECT source, translation, log_prob, tokens FROM scores WHERE settings = ? "
                    f"AND source IN ({', '.join('?' * len(chunk))})", [self.settings, *chunk])
                for source, translation, log_prob, tokens in rows:
                    if translation == entries[source][0]:
                        found[source] = (float(log_prob), int(tokens))
        return found

    def put_many(self, entries: Iterable[tuple[str, Entry]],
                 scores: Mapping[str, Score] | None = None) -> None:
        """Store entries, with the scores given for them, and commit them at once."""
        rows = [(self.settings, source, translation, json.dumps(list(flags)))
                for source, (translation, flags) in entries]
        scored = [(self.settings, source, translation, *scores[source])
                  for _, source, translation, _ in rows if scores and source in scores]
        with self._faults() as db, db:
            db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)
            db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)", scored)

    def close(self) -> None:
        """Close the database; what was committed stays."""
        if self._db is not None:
            db, self._db = self._db, None
            with self._faults():
                db.close()

    @contextmanager
    def _faults(self) -> Iterator[sqlite3.Connection]:
        """Turn an SQLite error inside the block into a :class:`CacheError` for this file."""
        try:
            yield self._db  # type: ignore[misc]
        except sqlite3.Error as err:
            raise CacheError(str(self.path), _cause(err, self.path), str(err)) from None
        except ValueError as err:  # a flags column that is not JSON: the file is damaged
            raise CacheError(str(self.path), "damaged", f"unreadable flags: {err}") from None


def _cause(err: sqlite3.Error, path: Path) -> str:
    code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
    primary = code & 0xFF if code is not None else None
    if primary in _CAUSES:
        return _CAUSES[primary]
    # SQLite reports a full disk met while growing its journal or shared memory as a plain I/O
    # error; the free space tells the two apart.
    if primary in (_SQLITE_IOERR, None) and _free_bytes(path.parent) < _NEARLY_FULL:
        return "full"
    return "unusable"


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return _NEARLY_FULL
