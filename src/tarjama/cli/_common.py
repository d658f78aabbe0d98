"""What every command shares: the error reporter, the stderr console and option aliases."""
from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional, TypeVar

import typer
from rich.console import Console

from tarjama.errors import TarjamaError
from tarjama.textio import write_text_atomic

DEBUG_VARIABLE = "TARJAMA_DEBUG"

err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., object])


def reports_errors(command: F) -> F:
    """Turn tarjama's own errors into one red line on stderr and the error's exit code.

    Set ``TARJAMA_DEBUG=1`` to see the traceback instead.
    """

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except TarjamaError as err:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            err_console.print(f"[bold red]error:[/] {err}", soft_wrap=True)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            err_console.print("[yellow]interrupted[/]")
            raise typer.Exit(130) from None

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


ModelOpt = Annotated[str, typer.Option(
    "--model", "-m", help="Translation model: preset (best, fast), Hub id, or local folder.")]
RevisionOpt = Annotated[Optional[str], typer.Option(
    help="Hub revision (branch, tag or commit) of the translation model.")]
BackendOpt = Annotated[str, typer.Option(help="Inference backend: auto or torch.")]
DeviceOpt = Annotated[str, typer.Option(help="auto, cpu, or cuda[:N].")]
ComputeTypeOpt = Annotated[str, typer.Option(
    help="auto (float32 on CPU, float16 on CUDA), float32, float16 or bfloat16.")]
BeamsOpt = Annotated[Optional[int], typer.Option(
    "--beams", min=1, help="Beam size; default: the model's own generation config.")]
OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write the result to this file (atomically) instead of stdout.")]

# Below this many sentences a progress bar only flickers.
PROGRESS_MIN_ITEMS = 20


@contextmanager
def progress_bar(description: str):
    """A rich progress bar on stderr, shown only for long work; yields a ``(done, total)`` callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(description, total=None, visible=False)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_ITEMS)

        yield update


def emit(text: str, output: Path | None) -> None:
    """Write a command's result to ``output`` atomically, or to stdout."""
    if output is None:
        write_stdout(text)
    else:
        write_text_atomic(output, text)
        err_console.print(f"wrote {output}")
