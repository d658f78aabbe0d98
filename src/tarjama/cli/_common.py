"""What every command shares: the error reporter, the stderr console and option aliases."""
from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from tarjama.errors import OutputError, TarjamaError
from tarjama.textio import STDIN, write_text_atomic

DEBUG_VARIABLE = "TARJAMA_DEBUG"

err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., object])


INTERRUPTED_MESSAGE = ("interrupted; finished work is kept in the cache — rerun the same command "
                       "to resume")
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


def reports_errors(command: F) -> F:
    """Turn tarjama's own errors into one red line on stderr and the error's exit code.

    Ctrl-C (exit 130) and SIGTERM (exit 143) stop the command cleanly with one line. When the
    reader of stdout goes away (``| head``) the command stops quietly (exit 141). Set
    ``TARJAMA_DEBUG=1`` to see the traceback instead.
    """

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            with sigterm_as_interrupt():
                return command(*args, **kwargs)
        except TarjamaError as err:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            err_console.print(f"[bold red]error:[/] {err}", soft_wrap=True)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt as err:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            err_console.print(f"[yellow]{INTERRUPTED_MESSAGE}[/]", soft_wrap=True)
            raise typer.Exit(EXIT_SIGTERM if isinstance(err, Terminated) else EXIT_SIGINT) from None
        except BrokenPipeError:
            # Python would report the failed flush of stdout at exit; point stdout at devnull.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_BROKEN_PIPE) from None

    return wrapper  # type: ignore[return-value]


def write_stdout(text: str) -> None:
    """Write data to standard output as UTF-8 whatever the terminal's locale."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


InputArg = Annotated[
    str, typer.Argument(help="Input text file, or - for standard input.", show_default=True)
]


class OutputFormat(str, Enum):
    """Formats of ``translate``'s output."""

    text = "text"
    jsonl = "jsonl"
    parquet = "parquet"


ModelOpt = Annotated[str, typer.Option(
    "--model", "-m", help="Translation model: preset (best, fast), Hub id, or local folder.")]
RevisionOpt = Annotated[str | None, typer.Option(
    help="Hub revision (branch, tag or commit) of the translation model.")]
BackendOpt = Annotated[str, typer.Option(
    "--backend", help="Inference backend: auto (ctranslate2 when it can run the model, else torch), "
                      "ctranslate2 or torch.")]
DeviceOpt = Annotated[str, typer.Option(help="auto, cpu, or cuda[:N].")]
ComputeTypeOpt = Annotated[str, typer.Option(
    "--compute-type", help="auto (ctranslate2: int8 on CPU, float16 on CUDA; torch: float32 on CPU, "
                           "float16 on CUDA), or int8, int8_float32, float32, float16, bfloat16.")]
BeamsOpt = Annotated[int | None, typer.Option(
    "--beams", min=1, help="Beam size; default: the model's own generation config.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the result to this file (atomically) instead of stdout.")]

# Below this many sentences a progress bar only flickers.
PROGRESS_MIN_ITEMS = 20


@contextmanager
def progress_bar(description: str):
    """A rich progress bar on stderr, shown only for long work; yields a ``(done, total)`` callback.

    When stderr is not a terminal (a log file, a pipe) there is no bar: it would only add noise.
    """
    if not err_console.is_terminal:
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(description, total=None, visible=False)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_ITEMS)

        yield update


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
    "--output", "-o", help="One input: write to this file (atomically) instead of stdout. "
                           "Several inputs or a folder: the folder to write one output per input.")]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Neither read nor write the translation cache (in TARJAMA_CACHE).")]
GuardOpt = Annotated[str, typer.Option(
    "--guard", help="Integrity checks of each sentence: retry (retry once what fails, flag what "
                    "still fails), flag (only flag), or off.")]
EncodingOpt = Annotated[str | None, typer.Option(
    "--encoding", help="Encoding of the input (utf-8, utf-16, cp1256, ...); detected if not given.")]
