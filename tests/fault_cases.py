"""Faults a real user meets, each run for real: what tarjama says, and what survives.

Each :class:`FaultCase` makes its fault for real in a fresh folder (a full device, a full or
read-only disk, a damaged cache, a damaged CTranslate2 copy or model folder, a bad JSONL line),
runs the ``tarjama`` command as a process, and then checks what was kept. ``tests/test_faults_cases.py`` runs every case;
``python tests/test_bad_input.py`` writes them into the "Faults" section of ``docs/bad-input.md``.

To add a case, append a :class:`FaultCase` to :data:`FAULT_CASES`: ``prepare`` makes the fault
(appending to ``place.cleanups`` what undoes it), ``kept`` checks what must survive and says it in
words; it raises ``AssertionError`` when something was lost.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE = "قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر.\n"
OTHER_ARTICLE = "".join(f"قال المسؤول إن المشروع رقم {n} سيكتمل في العام المقبل.\n" for n in range(6))
FILES: dict[str, str] = {
    "article.txt": ARTICLE,
    "other.txt": OTHER_ARTICLE,
    "hyp.en": "one\ntwo\n",
    "corpus.jsonl": '{"id": 1, "text": "قال الرئيس."}\n{"id": 2, "text": "وأضاف أن العمل سيستمر."}\n',
    "bad.jsonl": '{"id": 1, "text": "قال الرئيس."}\n{"id": 2, "text": \n{"id": 3, "body": "x"}\n',
    "worse.jsonl": '["not", "an", "object"]\n',
    "english.txt": "The president said the meeting went well. He added that the work would go on.\n",
}
CACHE_FILE = "translations.sqlite3"
# SQLite keeps the file header and the schema in the first page; damage after it.
SQLITE_PAGE = 4096


class Unavailable(Exception):
    """The fault cannot be made on this machine (mounting a file system needs root)."""


@dataclass
class Place:
    """The folder a case runs in, the tiny models, and how to run ``tarjama`` there."""

    folder: Path
    marian: Path
    summarizer: Path
    ct2_seed: Path | None
    """A folder of converted CTranslate2 models to start each cache with, so that no case pays
    for a conversion (class 5 cases damage their copy of it, and pay for one)."""
    cache: Path = field(init=False)
    cleanups: list[Callable[[], object]] = field(default_factory=list)
    """What undoes the fault (unmounting a file system), run once the case is over."""

    def __post_init__(self) -> None:
        self.cache = self.folder / "cache"

    def env(self) -> dict[str, str]:
        env = {**os.environ, "COLUMNS": "200", "TARJAMA_CACHE": str(self.cache)}
        env.pop("TARJAMA_DEBUG", None)
        return env

    def args(self, args: tuple[str, ...]) -> list[str]:
        return [arg.replace("{marian}", str(self.marian)).replace("{summarizer}", str(self.summarizer))
                for arg in args]

    def run(self, args: tuple[str, ...], stdout: str | None = None) -> subprocess.CompletedProcess:
        with contextlib.ExitStack() as stack:
            sink = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.PIPE
            return subprocess.run([*tarjama(), *self.args(args)], cwd=self.folder, env=self.env(),
                                  stdout=sink, stderr=subprocess.PIPE, timeout=600)

    def seed_cache(self, cache: Path) -> None:
        if self.ct2_seed is not None and self.ct2_seed.is_dir():
            shutil.copytree(self.ct2_seed, cache / "ct2", dirs_exist_ok=True)


@dataclass(frozen=True)
class Observed:
    """What one run of a case gave."""

    place: Place
    exit_code: int
    stdout: str
    stderr: str


def _nothing(place: Place) -> None:
    return None


def _nothing_kept(seen: Observed) -> str:
    return ""


@dataclass(frozen=True)
class FaultCase:
    """One fault: how it is made, the command, what the user must see, and what must survive."""

    id: str
    fault_class: str
    """The class of fault (issue 12's numbering) and its name."""
    what: str
    args: tuple[str, ...]
    exit_code: int
    expect: str
    """Part of stderr."""
    prepare: Callable[[Place], None] = _nothing
    kept: Callable[[Observed], str] = _nothing_kept
    stdout: str | None = None
    """A file standard output is redirected to (``/dev/full``); else it is captured."""


def tarjama() -> list[str]:
    """The console script next to this Python, as a user runs it; else ``python -m tarjama``."""
    script = Path(sys.executable).with_name("tarjama")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tarjama"]


def run_case(case: FaultCase, place: Place) -> tuple[Observed, str]:
    """Make the fault, run the command, check what was kept; returns what was seen and kept."""
    place.folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (place.folder / name).write_text(text, encoding="utf-8")
    place.seed_cache(place.cache)
    try:
        case.prepare(place)
        done = place.run(case.args, case.stdout)
        seen = Observed(place, done.returncode,
                        done.stdout.decode("utf-8") if done.stdout is not None else "",
                        done.stderr.decode("utf-8"))
        return seen, case.kept(seen)
    finally:
        for cleanup in reversed(place.cleanups):
            cleanup()


def mount_tmpfs(place: Place, folder: Path, size: str, options: str = "") -> None:
    """A small real file system at ``folder`` until the case is over; raises
    :class:`Unavailable` where it cannot be mounted."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        raise Unavailable("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}{options}", "tmpfs",
                           str(folder)], capture_output=True)
    if done.returncode:
        raise Unavailable(f"mount failed: {done.stderr.decode().strip()}")
    place.cleanups.append(lambda: subprocess.run(["umount", "-l", str(folder)], check=False))


def fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte."""
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as filler:
        while True:
            filler.write(b"\0" * 4096)
            filler.flush()


def _remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def cached_rows(cache: Path) -> int:
    """Rows in the translation cache, read without writing anything (even on a full disk)."""
    uri = f"file:{cache / CACHE_FILE}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return db.execute("SELECT count(*) FROM translations").fetchone()[0]


# --- class 2: special files as outputs --------------------------------------------------------

def _device_kept(path: str) -> Callable[[Observed], str]:
    def kept(seen: Observed) -> str:
        assert stat.S_ISCHR(os.stat(path).st_mode), f"{path} is no longer a device"
        assert not list(seen.place.folder.rglob("*.tmp")), "a temporary file was left"
        return f"{path} is still a character device; no temporary file left"
    return kept


def _stdout_link(place: Place) -> None:
    (place.folder / "to-stdout").symlink_to("/dev/stdout")


def _stdout_link_kept(seen: Observed) -> str:
    link = seen.place.folder / "to-stdout"
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    assert seen.stdout.strip(), "the translation did not reach standard output"
    return "to-stdout is still a link to /dev/stdout; the translation came out on standard output"


def _fifo(place: Place) -> None:
    fifo = place.folder / "pipe"
    os.mkfifo(fifo)
    received = place.folder / "received-from-pipe"

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.write_bytes(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    place.cleanups.append(lambda: reader.join(timeout=10))


def _fifo_kept(seen: Observed) -> str:
    fifo = seen.place.folder / "pipe"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the named pipe was replaced"
    return "pipe is still a named pipe, and its reader got the translation"


def _link_to_file(place: Place) -> None:
    (place.folder / "old.txt").write_text("old\n", encoding="utf-8")
    (place.folder / "link.txt").symlink_to("old.txt")


def _link_to_file_kept(seen: Observed) -> str:
    link = seen.place.folder / "link.txt"
    assert link.is_symlink() and os.readlink(link) == "old.txt", "the link was replaced"
    assert (seen.place.folder / "old.txt").read_text(encoding="utf-8") not in ("", "old\n")
    return "link.txt is still a link; the file it points at (old.txt) holds the translation"


def _folder_with_device(place: Place) -> None:
    (place.folder / "out").mkdir()
    (place.folder / "out" / "other.en.txt").symlink_to("/dev/full")


def _folder_with_device_kept(seen: Observed) -> str:
    done = seen.place.folder / "out" / "article.en.txt"
    assert done.is_file() and done.stat().st_size > 0, "the finished output was lost"
    assert (seen.place.folder / "out" / "other.en.txt").is_symlink()
    return "out/article.en.txt, finished before the fault, is kept"


def _full_disk(place: Place) -> None:
    disk = place.folder / "full"
    mount_tmpfs(place, disk, "64k")
    (disk / "out.txt").write_text("the previous translation\n", encoding="utf-8")
    fill(disk)


def _full_disk_kept(seen: Observed) -> str:
    disk = seen.place.folder / "full"
    assert (disk / "out.txt").read_text(encoding="utf-8") == "the previous translation\n"
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "out.txt"], "a temporary file was left"
    return "full/out.txt still holds the previous translation; no temporary file left"


def _read_only_disk(place: Place) -> None:
    mount_tmpfs(place, place.folder / "ro", "64k", ",ro")


def _read_only_kept(seen: Observed) -> str:
    assert list((seen.place.folder / "ro").iterdir()) == []
    return "nothing written; article.txt unchanged"


# --- class 4: the translation cache -----------------------------------------------------------

def _damaged_cache(place: Place) -> None:
    """A cache with rows, then random bytes over every page but the first (header intact)."""
    first = place.run(("translate", "article.txt", "--model", "{marian}"))
    assert first.returncode == 0, first.stderr
    path = place.cache / CACHE_FILE
    data = bytearray(path.read_bytes())
    assert len(data) > SQLITE_PAGE and data.startswith(b"SQLite format 3\x00")
    for start in range(SQLITE_PAGE, len(data), SQLITE_PAGE):
        data[start:start + 256] = os.urandom(256)
    path.write_bytes(bytes(data))


def _same_as_without_cache(seen: Observed) -> str:
    plain = seen.place.run((*TRANSLATE, "--no-cache"))
    assert seen.stdout == plain.stdout.decode("utf-8") and seen.stdout.strip()
    return "the translation is the same as with --no-cache; the damaged file is left for the user"


def _full_cache_disk(place: Place) -> None:
    """The cache on a small disk: a first run stores rows, then the disk is filled."""
    place.cache = place.folder / "small"
    mount_tmpfs(place, place.cache, "2m")
    place.seed_cache(place.cache)
    first = place.run(("translate", "article.txt", "--model", "{marian}"))
    assert first.returncode == 0, first.stderr
    fill(place.cache)


def _full_cache_kept(seen: Observed) -> str:
    assert seen.stdout.count("\n") == OTHER_ARTICLE.count("\n"), "the translation is incomplete"
    rows = cached_rows(seen.place.cache)
    assert rows > 0
    return f"the whole translation on stdout; the {rows} rows stored before the disk filled are intact"


def _read_only_cache(place: Place) -> None:
    place.cache = place.folder / "ro-cache"
    mount_tmpfs(place, place.cache, "2m")
    place.seed_cache(place.cache)
    _remount_read_only(place.cache)


def _translated(seen: Observed) -> str:
    assert seen.stdout.strip(), "nothing translated"
    return "the translation on stdout"


def _cache_rows_kept(seen: Observed) -> str:
    rows = cached_rows(seen.place.cache)
    assert rows > 0
    return f"the {rows} translated sentences are in the cache: rerun to a file, and nothing is translated again"


# --- class 9: JSONL corpora -------------------------------------------------------------------

def _nothing_translated(seen: Observed) -> str:
    out = seen.place.folder / "out"
    assert not out.exists() or not list(out.iterdir())
    assert not (seen.place.cache / CACHE_FILE).exists(), "work was done before the check"
    return "nothing was translated or written"


def _unchanged(name: str) -> Callable[[Observed], str]:
    def kept(seen: Observed) -> str:
        assert (seen.place.folder / name).read_text(encoding="utf-8") == FILES[name]
        return f"{name} unchanged"
    return kept


def _no_output(seen: Observed) -> str:
    assert not seen.stdout
    return "nothing was translated or written"


# --- class 5: the CTranslate2 copy of a model -------------------------------------------------

# The line a finished translation closes with (sentences, time, speed) is no fault message, nor
# are the two lines that announce a model's one-time work (conversion, thread measurement).
_CLOSING_LINE = re.compile(r"^translated \d+ sentences? in |.* \(once; later runs reuse it\)…$|"
                           r"^✓ .*: done in ")


def message_lines(stderr: str) -> list[str]:
    """The lines of ``stderr`` that are messages: not the closing line, not a one-time notice."""
    return [line for line in stderr.splitlines() if line.strip() and not _CLOSING_LINE.match(line)]


def _converted_copy(place: Place) -> Path:
    [copy] = _converted_copies(place.cache / "ct2")
    return copy


def _converted_copies(folder: Path) -> list[Path]:
    """The converted models in ``folder`` (the conversion lock files beside them are not)."""
    return [path for path in folder.iterdir() if path.is_dir()] if folder.is_dir() else []


def _damage_copy(name: str, damage: Callable[[Path], None]) -> Callable[[Place], None]:
    def prepare(place: Place) -> None:
        damage(_converted_copy(place) / name)
    return prepare


def random_bytes_inside(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(os.urandom(64))


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 3)


def delete(path: Path) -> None:
    path.unlink()


def not_json(path: Path) -> None:
    path.write_text('{"model_type": ', encoding="utf-8")


def _converted_again(name: str) -> Callable[[Observed], str]:
    def kept(seen: Observed) -> str:
        from tarjama.backends.ctranslate2.manifest import manifest_problem

        place = seen.place
        copy = _converted_copy(place)
        warnings = message_lines(seen.stderr)
        assert len(warnings) == 1 and f"{copy.name}/{name}" in warnings[0], seen.stderr
        assert warnings[0].startswith("warning: "), seen.stderr
        assert manifest_problem(copy) is None, "the copy was not converted again"
        clean = Place(place.folder / "clean", place.marian, place.summarizer, place.ct2_seed)
        clean.folder.mkdir()
        (clean.folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
        clean.seed_cache(clean.cache)
        done = clean.run(CT2_TRANSLATE)
        assert done.returncode == 0, done.stderr
        assert seen.stdout.strip() and seen.stdout == done.stdout.decode("utf-8"), \
            "the translation differs from a clean conversion's"
        return ("converted again; the translation is the same as a clean conversion's, and the copy "
                "passes its checksums")
    return kept


# --- class 6: damaged model folders -----------------------------------------------------------

DAMAGED = Path("damaged")


def _damage_model(model: str, name: str, damage: Callable[[Path], None]) -> Callable[[Place], None]:
    def prepare(place: Place) -> None:
        folder = place.folder / DAMAGED / model
        shutil.copytree(getattr(place, model), folder)
        damage(folder / name)
    return prepare


def _model_left_as_it_was(model: str, name: str,
                          damage: Callable[[Path], None]) -> Callable[[Observed], str]:
    """The damaged folder is exactly the model with that one damage; nothing converted or written."""
    def kept(seen: Observed) -> str:
        place = seen.place
        folder = place.folder / DAMAGED / model
        original: Path = getattr(place, model)
        damaged = place.folder / "as-damaged"
        shutil.copytree(original, damaged)
        damage(damaged / name)
        try:
            assert _contents(folder) == _contents(damaged), f"{folder} was changed"
        finally:
            shutil.rmtree(damaged)
        seeded = _converted_copies(place.ct2_seed) if place.ct2_seed else []
        assert ({p.name for p in _converted_copies(place.cache / "ct2")}
                == {p.name for p in seeded}), "a converted copy of the damaged model was made"
        assert not seen.stdout, "output was written"
        return f"{DAMAGED / model} left as it was; nothing converted or written"
    return kept


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _damaged_model_case(model: str, backend: str, name: str, how: str,
                        damage: Callable[[Path], None]) -> FaultCase:
    label = "translation model" if model == "marian" else "summarizer"
    args = (("translate", "article.txt", "--model", str(DAMAGED / model), "--backend", backend)
            if model == "marian" else
            ("summarize", "english.txt", "--model", "{marian}", "--summarizer", str(DAMAGED / model)))
    parts = (model, backend, name, how) if model == "marian" else (model, name, how)
    slug = "-".join(parts).replace(".", "-").replace(" ", "-")
    return FaultCase(f"fault-model-{slug}", MODELS,
                     f"{label} folder: {name} {how}" + (f" ({backend})" if model == "marian" else ""),
                     args, 2, f"{DAMAGED / model / name} is ",
                     prepare=_damage_model(model, name, damage),
                     kept=_model_left_as_it_was(model, name, damage))


def _empty_model(place: Place) -> None:
    (place.folder / "empty-model").mkdir()


def _empty_model_kept(seen: Observed) -> str:
    assert list((seen.place.folder / "empty-model").iterdir()) == []
    assert not seen.stdout
    return "empty-model left as it was; nothing written"


TRANSLATE = ("translate", "article.txt", "--model", "{marian}")
SPECIAL = "2 special files as outputs"
STDOUT = "3 write errors on standard output"
CACHE = "4 the translation cache"
JSONL = "9 JSONL corpora"
CT2_COPY = "5 the CTranslate2 copy of a model"
MODELS = "6 damaged model folders"
CT2_TRANSLATE = (*TRANSLATE, "--backend", "ctranslate2", "--no-cache", "--guard", "off", "--no-confidence")

FAULT_CASES: tuple[FaultCase, ...] = (
    FaultCase("fault-output-dev-full", SPECIAL, "-o naming a full device",
              (*TRANSLATE, "-o", "/dev/full"), 2, "/dev/full: cannot write it (No space left on device)",
              kept=_device_kept("/dev/full")),
    FaultCase("fault-output-dev-null", SPECIAL, "-o naming /dev/null", (*TRANSLATE, "-o", "/dev/null"),
              0, "wrote /dev/null", kept=_device_kept("/dev/null")),
    FaultCase("fault-output-stdout-link", SPECIAL, "-o naming a link to /dev/stdout",
              (*TRANSLATE, "-o", "to-stdout"), 0, "wrote to-stdout", prepare=_stdout_link,
              kept=_stdout_link_kept),
    FaultCase("fault-output-fifo", SPECIAL, "-o naming a named pipe (FIFO) with a reader",
              (*TRANSLATE, "-o", "pipe"), 0, "wrote pipe", prepare=_fifo, kept=_fifo_kept),
    FaultCase("fault-output-link-to-file", SPECIAL, "-o naming a symbolic link to a file",
              (*TRANSLATE, "-o", "link.txt"), 0, "wrote link.txt", prepare=_link_to_file,
              kept=_link_to_file_kept),
    FaultCase("fault-output-folder-device", SPECIAL,
              "several inputs into a folder where one output is a link to a full device",
              ("translate", "article.txt", "other.txt", "--model", "{marian}", "-o", "out"), 2,
              "out/other.en.txt: cannot write it (No space left on device)",
              prepare=_folder_with_device, kept=_folder_with_device_kept),
    FaultCase("fault-output-full-disk", SPECIAL, "-o on a full disk (a 64 KiB tmpfs)",
              (*TRANSLATE, "-o", "full/out.txt"), 2, "No space left on device); free some space",
              prepare=_full_disk, kept=_full_disk_kept),
    FaultCase("fault-output-read-only", SPECIAL, "-o on a read-only file system",
              (*TRANSLATE, "-o", "ro/out.txt"), 2, "Read-only file system",
              prepare=_read_only_disk, kept=_read_only_kept),
    FaultCase("fault-stdout-full-segment", STDOUT, "standard output on a full device",
              ("segment", "article.txt"), 2, "standard output: cannot write it (No space left on device)",
              stdout="/dev/full", kept=_unchanged("article.txt")),
    FaultCase("fault-stdout-full-translate", STDOUT, "standard output on a full device",
              TRANSLATE, 2, "standard output: cannot write it (No space left on device)",
              stdout="/dev/full", kept=_cache_rows_kept),
    FaultCase("fault-stdout-full-eval", STDOUT, "standard output on a full device",
              ("eval", "--hyp", "hyp.en", "--ref", "hyp.en"), 2,
              "standard output: cannot write it (No space left on device)", stdout="/dev/full",
              kept=_unchanged("hyp.en")),
    FaultCase("fault-cache-damaged", CACHE, "the cache file damaged inside (header intact)",
              TRANSLATE, 0, "the file is damaged (database disk image is malformed); translating "
              "without it — delete the file", prepare=_damaged_cache, kept=_same_as_without_cache),
    FaultCase("fault-cache-full-disk", CACHE, "the cache on a disk that fills up (a 2 MiB tmpfs)",
              ("translate", "other.txt", "--model", "{marian}"), 0,
              "the disk is full", prepare=_full_cache_disk, kept=_full_cache_kept),
    FaultCase("fault-cache-read-only", CACHE, "the cache folder on a read-only file system",
              TRANSLATE, 0, "translating without it", prepare=_read_only_cache, kept=_translated),
    FaultCase("fault-ct2-copy-random-bytes", CT2_COPY, "the converted model.bin: random bytes inside",
              CT2_TRANSLATE, 0, "model.bin does not match the checksum",
              prepare=_damage_copy("model.bin", random_bytes_inside),
              kept=_converted_again("model.bin")),
    FaultCase("fault-ct2-copy-truncated", CT2_COPY, "the converted model.bin: truncated",
              CT2_TRANSLATE, 0, "model.bin has ", prepare=_damage_copy("model.bin", truncate),
              kept=_converted_again("model.bin")),
    FaultCase("fault-ct2-copy-missing-config", CT2_COPY, "the converted copy: config.json missing",
              CT2_TRANSLATE, 0, "config.json is missing", prepare=_damage_copy("config.json", delete),
              kept=_converted_again("config.json")),
    _damaged_model_case("marian", "torch", "model.safetensors", "truncated", truncate),
    _damaged_model_case("marian", "ctranslate2", "model.safetensors", "truncated", truncate),
    _damaged_model_case("marian", "torch", "source.spm", "missing", delete),
    _damaged_model_case("marian", "ctranslate2", "vocab.json", "missing", delete),
    _damaged_model_case("marian", "torch", "target.spm", "missing", delete),
    _damaged_model_case("marian", "ctranslate2", "target.spm", "missing", delete),
    _damaged_model_case("marian", "ctranslate2", "config.json", "not valid JSON", not_json),
    _damaged_model_case("summarizer", "torch", "model.safetensors", "truncated", truncate),
    FaultCase("fault-model-empty-folder", MODELS, "an empty folder as the model",
              ("translate", "article.txt", "--model", "empty-model"), 2, "empty-model: not a model folder",
              prepare=_empty_model, kept=_empty_model_kept),
    FaultCase("fault-jsonl-format-text", JSONL, "-f text asked for a JSONL corpus",
              ("translate", "corpus.jsonl", "-f", "text", "--model", "{marian}"), 2,
              "a JSONL corpus is translated into JSONL", kept=_no_output),
    FaultCase("fault-jsonl-bad-lines", JSONL, "bad lines in two of three JSONL inputs",
              ("translate", "corpus.jsonl", "bad.jsonl", "worse.jsonl", "--model", "{marian}", "-o",
               "out"), 2, "bad.jsonl:2: not valid JSON", kept=_nothing_translated),
)


def ct2_seed(marian: Path, folder: Path) -> Path:
    """Convert ``marian`` for CTranslate2 once, into ``folder``; cases start their caches with it."""
    place = Place(folder / "seed", marian, marian, None)
    place.folder.mkdir(parents=True)
    (place.folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    done = place.run(("translate", "article.txt", "--model", "{marian}", "--no-cache"))
    assert done.returncode == 0, done.stderr
    return place.cache / "ct2"
