"""What every command shares: the error reporter, output helpers and option aliases."""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from tarjama import env
from tarjama.backends import BACKEND_CHOICES, COMPUTE_TYPES, DEVICES
from tarjama.cli.console import err_console, warn
from tarjama.errors import (
    CACHE_FAULTS,
    Advice,
    CacheError,
    InputError,
    ModelNotAvailableError,
    OutputError,
    ShortlistMissingError,
    TarjamaError,
)
from tarjama.models import TRANSLATION
from tarjama.models.presets import preset_names
from tarjama.textio import STDIN, path_error, write_stream, write_text_atomic
from tarjama.translation.settings import GUARD_MODES

F = TypeVar("F", bound=Callable[..., object])


INTERRUPTED_MESSAGE = ("interrupted; finished work is kept in the cache — rerun the same command "
                       "to resume")
#: The same for a command that keeps no cache (or runs with --no-cache).
INTERRUPTED_NO_CACHE = "interrupted; no file was left half-written — rerun the same command"
# Whether the running command keeps finished work in a cache, so that a rerun resumes.
_KEEPS_CACHE: ContextVar[bool] = ContextVar("keeps_cache", default=False)


def keeps_cache(kept: bool) -> None:
    """Say whether the running command keeps finished work in a cache (for the interrupt line)."""
    _KEEPS_CACHE.set(kept)
# The shell's convention: 128 + the signal's number.
EXIT_SIGINT = 130
EXIT_SIGTERM = 143
EXIT_BROKEN_PIPE = 141


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that a kill unwinds exactly like Ctrl-C: ``with``
    blocks close, caches commit what is finished, atomic writes remove their temporary files."""


@contextmanager
def sigterm_as_interrupt():
    """While inside, SIGTERM raises :class:`Terminated`; a second SIGTERM kills at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: How the command line names each setting that the library's advice names: (flag, metavar).
CLI_SETTINGS: dict[str, tuple[str, str]] = {
    "backend": ("--backend", "NAME"),
    "device": ("--device", "NAME"),
    "encoding": ("--encoding", "NAME"),
    "model": ("--model", "PATH"),
    "summarizer": ("--summarizer", "PATH"),
    "revision": ("--revision", "REV"),
    "summarizer_revision": ("--summarizer-revision", "REV"),
    "strategy": ("--strategy", "NAME"),
    "references": ("--ref", "FILE"),
    "plain_files": ("--src FILE --ref", "FILE"),
    "systems": ("--hyp FILE or --model", ""),
    # A switch: the one error that advises it is worded whole (CLI_WORDING).
    "shortlist": ("--shortlist", ""),
    "glossary": ("--glossary", "FILE"),
    "replicas": ("--replicas", "N"),
}


def cli_name(advice: Advice) -> str:
    """A setting as the command line spells it: ``--backend torch``, ``--ref FILE``."""
    flag, metavar = CLI_SETTINGS[advice.setting]
    return f"{flag} {metavar if advice.value is None else advice.value}".rstrip()


def _shortlist_missing(err: ShortlistMissingError) -> str:
    return (f"{err.problem}; build one with `tarjama shortlist build --model {err.model_id} "
            "--data ARABIC_FILE:ENGLISH_FILE`, or leave out --shortlist")


#: Where the README shows how to try tarjama with tiny models, nothing downloaded.
TRY_WITHOUT_DOWNLOADING = ("to try tarjama without downloading, build tiny models with "
                           "`python -m tarjama.testing make-models DIR` (README, Quick start)")


def _model_not_available(err: ModelNotAvailableError) -> str:
    if err.advice is None:
        return err.problem
    line = f"{err.problem}; {err.advice.words(cli_name)}"
    if err.reason in ("offline", "unreachable"):
        line += (f"; `tarjama models --download {err.name}` fetches it ahead of an offline run; "
                 + TRY_WITHOUT_DOWNLOADING)
    return line


#: Errors whose whole line the command line words itself, by type.
CLI_WORDING: dict[type[TarjamaError], Callable[[Any], str]] = {
    ShortlistMissingError: _shortlist_missing,
    ModelNotAvailableError: _model_not_available,
}


def cli_message(err: TarjamaError) -> str:
    """An error's one line, its advice worded for the command line."""
    for kind, words in CLI_WORDING.items():
        if isinstance(err, kind):
            return words(err)
    if err.advice is None:
        return err.problem
    return f"{err.problem}; {err.advice.words(cli_name)}"


def reports_errors(command: F) -> F:
    """Turn tarjama's own errors into one red line on stderr and the error's exit code.

    A model's one-time work on the way (its conversion for CTranslate2, the measurement of its
    threads) is announced on stderr, terminal or not. Ctrl-C (exit 130) and SIGTERM
    (exit 143) stop the command cleanly with one line. When the reader of stdout goes away
    (``| head``) the command stops quietly (exit 141). Set ``TARJAMA_DEBUG=1`` to see the
    traceback instead.
    """

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        from tarjama.backends.first_use import first_use_listener
        from tarjama.cli.reporting import first_use_notice

        token = _KEEPS_CACHE.set(False)
        try:
            with sigterm_as_interrupt(), first_use_listener(first_use_notice):
                return command(*args, **kwargs)
        except TarjamaError as err:
            if env.debug():
                raise
            _error_line(cli_message(err))
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt as err:
            if env.debug():
                raise
            said = INTERRUPTED_MESSAGE if _KEEPS_CACHE.get() else INTERRUPTED_NO_CACHE
            err_console.print(f"[yellow]{said}[/]", soft_wrap=True)
            raise typer.Exit(EXIT_SIGTERM if isinstance(err, Terminated) else EXIT_SIGINT) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as err:
            # The last net under the library's own checks: a path the system refused (too long,
            # a loop of links) is one line naming it, never a traceback.
            if env.debug() or err.filename is None:
                raise
            _error_line(path_error(err.filename, err).problem)
            raise typer.Exit(InputError.exit_code) from None
        finally:
            _KEEPS_CACHE.reset(token)

    return wrapper  # type: ignore[return-value]


def _error_line(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)


def _silence_stdout() -> None:
    """Point stdout at devnull: Python would report a failed flush of what is left at exit."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write_stdout(text: str) -> None:
    """Write data to standard output as UTF-8 whatever the terminal's locale.

    A write error other than a broken pipe (a full disk, an I/O error) is an :class:`OutputError`.
    """
    try:
        write_stream(sys.stdout.buffer, "standard output", text.encode("utf-8"))
    except OutputError:
        _silence_stdout()
        raise


class _CheckedStdout:
    """Standard output for rich consoles, written as :func:`write_stdout` writes it."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        write_stdout(text)
        return len(text)

    def flush(self) -> None:
        """Every write is flushed already."""

    def isatty(self) -> bool:
        return sys.stdout.isatty()


def stdout_console(**options: Any) -> Console:
    """A rich console on standard output whose write errors are reported like any other."""
    return Console(file=_CheckedStdout(), **options)  # type: ignore[arg-type]


# What to do about each kind of cache fault, in the command line's terms.
_CACHE_ADVICE = {
    "damaged": "delete the file (a new cache is started), or pass --no-cache",
    "full": "free some space, or set TARJAMA_CACHE to a folder on another disk, or pass --no-cache",
    "locked": "let the other tarjama run finish, or pass --no-cache",
    "unusable": "check its permissions, or set TARJAMA_CACHE to a writable folder, or pass "
                "--no-cache",
}


def warn_cache_fault(err: CacheError) -> None:
    """One warning line: the cache failed, the run goes on without it, and what to do."""
    warn(f"translation cache {err.path}: {CACHE_FAULTS[err.cause]} ({err.detail}); translating "
         f"without it — {_CACHE_ADVICE[err.cause]}")


class _WarningLines(logging.Handler):
    """The library's logged warnings, worded as the CLI's own: ``warning: ...`` on standard error."""

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


def show_library_warnings() -> None:
    """Print what the library logs at warning level or above as one ``warning:`` line each.

    Without a handler, Python's last-resort handler would print the bare message.
    """
    logger = logging.getLogger("tarjama")
    if not any(isinstance(handler, _WarningLines) for handler in logger.handlers):
        logger.addHandler(_WarningLines(logging.WARNING))


InputArg = Annotated[
    str, typer.Argument(help="Input text file, or - for standard input.", show_default=True)
]


class OutputFormat(str, Enum):
    """Formats of ``translate``'s output."""

    text = "text"
    jsonl = "jsonl"
    parquet = "parquet"


def choices(values: Sequence[str]) -> str:
    """The metavar that lists an option's choices in ``--help``: ``<auto|cpu|cuda>``.

    ``values`` is the library's own tuple and the library checks the value (with a one-line
    error), so the help and the check cannot disagree.
    """
    return f"<{'|'.join(values)}>"


ModelOpt = Annotated[str, typer.Option(
    "--model", "-m", help=f"Translation model: preset ({', '.join(preset_names(TRANSLATION))}), "
                          "Hub id, or local folder.")]
RevisionOpt = Annotated[str | None, typer.Option(
    help="Hub revision (branch, tag or commit) of the translation model.")]
BackendOpt = Annotated[str, typer.Option(
    "--backend", metavar=choices(BACKEND_CHOICES),
    help="Inference backend; auto: ctranslate2 when it can run the model, else torch.")]
DeviceOpt = Annotated[str, typer.Option(
    metavar=choices(DEVICES), help="Where the model runs; auto: a CUDA GPU if there is one, "
                                    "cuda:N: GPU number N.")]
ComputeTypeOpt = Annotated[str, typer.Option(
    "--compute-type", metavar=choices(COMPUTE_TYPES),
    help="auto: ctranslate2 int8 on CPU, float16 on CUDA; torch float32 on CPU, float16 on CUDA. "
         "torch runs float32, float16, bfloat16; ctranslate2 what its build supports here.")]
BeamsOpt = Annotated[int | None, typer.Option(
    "--beams", min=1, help="Beam size; default: the model's own generation config.")]
def _dash_is_stdout(output: Path | None) -> Path | None:
    """``-o -`` means standard output, as ``-`` as an input means standard input."""
    return None if output is not None and str(output) == STDIN else output


OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", callback=_dash_is_stdout,
    help="Write the result to this file (atomically) instead of stdout; - for stdout.")]

def is_same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: the same path spelt differently, a symlink to it, or a
    hard link (same device and inode). A path that does not exist is the same as nothing."""
    if Path(a).resolve() == Path(b).resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwriting_inputs(inputs: list[str], outputs: list[Path | None]) -> None:
    """Raise :class:`OutputError` when any output would be written over any input.

    Run before any work (before a model is loaded), so that a clash costs nothing and the input is
    left untouched. ``-`` inputs and ``None`` outputs (standard output) never clash.
    """
    files = [source for source in inputs if source != STDIN]
    for output in outputs:
        if output is None:
            continue
        for source in files:
            if is_same_file(output, source):
                same = "" if str(output) == source else f" (the same file as {source})"
                raise OutputError(f"{output}: is an input{same} and would be overwritten by the "
                                  "output; choose another -o path")


def emit(text: str, output: Path | None) -> None:
    """Write a command's result to ``output`` atomically, or to stdout."""
    if output is None:
        write_stdout(text)
    else:
        write_text_atomic(output, text)
        err_console.print(f"wrote {output}")


# Options of `translate` (backends, cache, integrity guard, many inputs).
InputsArg = Annotated[list[str], typer.Argument(
    help="Text files, folders of .txt/.jsonl files, JSONL corpora ({\"id\", \"text\"} per line), "
         "or - for standard input.", show_default=False)]
OutputPathOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", callback=_dash_is_stdout,
    help="One input: write to this file (atomically) instead of stdout (- for stdout). "
         "Several inputs or a folder: the folder to write one output per input.")]
GlossaryOpt = Annotated[Path | None, typer.Option(
    "--glossary", metavar="FILE", show_default=False,
    help="Terms and names with fixed English: one per line, Arabic term, English rendering, "
         "optional notes (TSV or CSV). Each rendering is guaranteed in the output; JSONL shows "
         "each sentence's terms.")]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Neither read nor write the translation cache (in TARJAMA_CACHE).")]
GuardOpt = Annotated[str, typer.Option(
    "--guard", metavar=choices(GUARD_MODES),
    help="Integrity checks of each sentence: retry (retry once what fails, flag what still "
         "fails), flag (only flag), or off.")]
EncodingOpt = Annotated[str | None, typer.Option(
    "--encoding", help="Encoding of the input (utf-8, utf-16, cp1256, ...); detected if not given.")]
