"""Cache and resume: a run killed half-way (SIGKILL or SIGTERM) and rerun writes what an
uninterrupted run does."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.cli._common import EXIT_SIGTERM, INTERRUPTED_MESSAGE
from tarjama.env import CACHE
from tarjama.testing.tiny import CORPUS_DIR
from tarjama.translation.cache import CACHE_FILE

pytestmark = pytest.mark.slow

# A few batches in: well into the run, well before its end (2,400 sentences).
KILL_AFTER_ROWS = 300


@pytest.fixture()
def long_article(tmp_path) -> Path:
    # Distinct sentences, enough of them for dozens of batches.
    lines = (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").splitlines()
    text = "\n".join(f"{line} رقم {copy}{number}." for copy in range(3)
                     for number, line in enumerate(lines))
    path = tmp_path / "archive.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _command(article: Path, model: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tarjama", "translate", str(article), "--model", str(model),
            "--format", "jsonl", "-o", str(output), *extra]


def _rows(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=1) as db:
            return db.execute("SELECT count(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:  # the table is being created
        return 0


# SIGKILL gives the process no say: only what the cache committed survives. SIGTERM unwinds like
# Ctrl-C: exit 143, one line, committed work kept, no temporary file left.
KILLS = [(signal.SIGKILL, -signal.SIGKILL, ""), (signal.SIGTERM, EXIT_SIGTERM, INTERRUPTED_MESSAGE)]


@pytest.mark.parametrize("signum,exit_code,message", KILLS, ids=["SIGKILL", "SIGTERM"])
def test_killed_run_resumes_to_the_same_output(tiny_models, long_article, tmp_path, signum,
                                               exit_code, message):
    env = {**os.environ, CACHE.name: str(tmp_path / "cache")}
    database = tmp_path / "cache" / CACHE_FILE
    clean, resumed = tmp_path / "clean.jsonl", tmp_path / "out" / "resumed.jsonl"

    # An uninterrupted run, without the cache (it also converts the model for the runs below).
    subprocess.run(_command(long_article, tiny_models.marian, clean, "--no-cache"), env=env,
                   check=True, capture_output=True)
    assert not database.exists()

    process = subprocess.Popen(_command(long_article, tiny_models.marian, resumed), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _rows(database) < KILL_AFTER_ROWS:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == exit_code, err
    assert err.strip() == message
    kept = _rows(database)
    total = len(clean.read_text(encoding="utf-8").splitlines())
    print(f"\n{signum.name}: killed after {kept} cached translations; the article has {total} "
          "sentences")
    assert 0 < kept < total
    # Nothing half-written: no output, no temporary file.
    assert not resumed.parent.exists() or list(resumed.parent.iterdir()) == []

    started = time.monotonic()
    rerun = subprocess.run(_command(long_article, tiny_models.marian, resumed), env=env,
                           check=True, capture_output=True, text=True)
    print(f"rerun: {time.monotonic() - started:.1f} s; {rerun.stderr.strip()}")
    assert resumed.read_bytes() == clean.read_bytes()
    print(f"resumed output == uninterrupted output: {len(clean.read_bytes())} bytes, "
          f"{total} sentences")

    # A third run finds everything in the cache and adds nothing.
    before = _rows(database)
    subprocess.run(_command(long_article, tiny_models.marian, resumed), env=env, check=True,
                   capture_output=True)
    assert _rows(database) == before
    assert resumed.read_bytes() == clean.read_bytes()
