"""Faults of the translation cache, made for real: a lock held by another process, damaged pages,
a process killed with SIGKILL in the middle of a run. The cache only saves time: a fault in it
never stops a translation, and what was committed before the fault stays."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from fault_cases import CACHE_FILE, SQLITE_PAGE, Place, ct2_seed
from tarjama.cli._common import warn_cache_fault
from tarjama.errors import CacheError
from tarjama.translation import Translator
from tarjama.translation.cache import TranslationCache

TEXT = "قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر."
HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""


def _translator(marian: Path, **cache_options) -> Translator:
    return Translator(str(marian), backend="torch", compute_type="float32", num_beams=1,
                      **cache_options)


def test_fault_cache_locked_by_another_process(tiny_models, tmp_path):
    path = tmp_path / CACHE_FILE
    TranslationCache(path, "settings").close()  # a real cache file, in WAL mode
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        faults: list[CacheError] = []
        started = time.monotonic()
        translation = _translator(tiny_models.marian, cache=path, cache_timeout=0.2,
                                  on_cache_error=faults.append).translate(TEXT)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert [(f.path, f.cause) for f in faults] == [(str(path), "locked")]
    assert "database is locked" in faults[0].detail
    assert translation.text == _translator(tiny_models.marian).translate(TEXT).text
    print(f"gave up on the lock and translated without the cache in {waited:.1f} s")


def test_fault_cache_damaged_inside(tiny_models, tmp_path):
    path = tmp_path / CACHE_FILE
    translator = _translator(tiny_models.marian, cache=path)
    expected = translator.translate(TEXT).text
    assert translator.cache is not None
    translator.cache.close()
    data = bytearray(path.read_bytes())
    assert len(data) > SQLITE_PAGE
    for start in range(SQLITE_PAGE, len(data), SQLITE_PAGE):
        data[start:start + 256] = os.urandom(256)
    path.write_bytes(bytes(data))
    assert path.read_bytes().startswith(b"SQLite format 3\x00")

    faults: list[CacheError] = []
    again = _translator(tiny_models.marian, cache=path, on_cache_error=faults.append)
    assert again.translate(TEXT).text == expected
    assert [(f.path, f.cause) for f in faults] == [(str(path), "damaged")]
    assert again.cache is None


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_fault_cache_old_and_read_only(tiny_models, tmp_path, monkeypatch, journal):
    """A cache written before the ``scores`` table, in a file and folder without write
    permission: the translation goes on without it, after one line saying why, and the file is
    left as it was (SQLite may leave its empty side files of a WAL database where it can)."""
    folder = tmp_path / "old"
    path = folder / CACHE_FILE
    translator = _translator(tiny_models.marian, cache=path)
    expected = translator.translate(TEXT).text
    assert translator.cache is not None
    translator.cache.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE scores")
        db.execute(f"PRAGMA journal_mode={journal}")
        db.commit()
    path.chmod(0o444)
    folder.chmod(0o555)
    before = path.read_bytes()
    if os.geteuid() == 0:
        # Permissions do not bind root: open every connection as SQLite opens a file it cannot
        # write (read-only), which is what a user's process meets.
        connect = sqlite3.connect
        monkeypatch.setattr(sqlite3, "connect", lambda database, *args, **options: connect(
            f"file:{database}?mode=ro", *args, uri=True, **options))
    try:
        for confidence in (True, False):
            faults: list[CacheError] = []
            again = _translator(tiny_models.marian, cache=path, confidence=confidence,
                                on_cache_error=faults.append)
            assert again.translate(TEXT).text == expected
            assert [f.path for f in faults] == [str(path)]
            assert "\n" not in str(faults[0])
            assert again.cache is None
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)


def test_fault_cache_error_names_no_cli_flag(capsys):
    for cause in ("damaged", "full", "locked", "unusable"):
        err = CacheError("/x/translations.sqlite3", cause, "detail")
        assert "--" not in str(err) and "/x/translations.sqlite3" in str(err)
        warn_cache_fault(err)
        [line] = capsys.readouterr().err.strip().splitlines()
        assert line.startswith("warning: translation cache /x/translations.sqlite3: ")
        assert "--no-cache" in line


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_fault_cache_survives_sigkill_mid_run(tiny_models, tmp_path):
    """SIGKILL (no chance to clean up) once some batches are committed: the file stays a sound
    database, keeps those batches, and a rerun gives the uninterrupted output."""
    seed = ct2_seed(tiny_models.marian, tmp_path / "seed")
    article = "".join(f"قال المسؤول إن المشروع رقم {n} سيكتمل في العام المقبل. وأضاف أن الفريق "
                      f"{n} بدأ العمل.\n" for n in range(300))
    runs = {}
    for name in ("whole", "killed"):
        place = Place(tmp_path / name, tiny_models.marian, tiny_models.marian, seed)
        place.folder.mkdir()
        place.seed_cache(place.cache)
        (place.folder / "long.txt").write_text(article, encoding="utf-8")
        runs[name] = place
    command = ("translate", "long.txt", "--model", "{marian}", "-o", "out.txt")
    whole = runs["whole"].run(command)
    assert whole.returncode == 0, whole.stderr

    place = runs["killed"]
    process = subprocess.Popen([*_tarjama_args(place, command)], cwd=place.folder, env=place.env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while _rows(place.cache) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    kept = _rows(place.cache)
    with sqlite3.connect(place.cache / CACHE_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert kept > 0 and not (place.folder / "out.txt").exists()

    rerun = place.run(command)
    assert rerun.returncode == 0, rerun.stderr
    assert (place.folder / "out.txt").read_bytes() == (runs["whole"].folder / "out.txt").read_bytes()
    print(f"killed with {kept} rows committed; the rerun's output is identical")


def _rows(cache: Path) -> int:
    """Committed rows, as another process sees them while the cache is written."""
    try:
        with closing(sqlite3.connect(f"file:{cache / CACHE_FILE}?mode=ro", uri=True)) as db:
            return db.execute("SELECT count(*) FROM translations").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def _tarjama_args(place: Place, args: tuple[str, ...]) -> list[str]:
    from fault_cases import tarjama

    return [*tarjama(), *place.args(args)]
