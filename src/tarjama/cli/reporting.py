"""How the commands report on long work, on stderr, as rich, tqdm and pip do.

On a terminal: a progress bar with done/total, the unit, the rate, elapsed and remaining time, and
a spinner while a model is converted for CTranslate2. Not on a terminal (a log file, a pipe): no
progress bars, but a model's one-time work (conversion, thread measurement) is still announced.
Either way, a run that took more than :data:`CLOSING_LINE_MIN_SECONDS` ends with
one closing line saying what was done, how long it took and how fast.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from tarjama import env
from tarjama.cli.console import err_console, warn
from tarjama.errors import InputError

# Below this many items a progress bar only flickers.
PROGRESS_MIN_ITEMS = 20
# A run quicker than this needs no account of itself: its prompt return says enough.
CLOSING_LINE_MIN_SECONDS = 2.0
SENTENCES = "sentences"
# Narrower than rich's 40, so that the whole line fits 100 columns with a long file name.
BAR_WIDTH = 24


class RateColumn(ProgressColumn):
    """The task's speed per second (``?`` until rich has measured it); once finished, the mean
    speed when rich's window of recent steps is empty (a last step longer than the window)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None and task.finished and task.elapsed:
            speed = task.completed / task.elapsed
        return Text("?/s" if speed is None else f"{speed:,.1f}/s", style="progress.data.speed")


def _progress(unit: str) -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"),
                    BarColumn(bar_width=BAR_WIDTH), MofNCompleteColumn(), TextColumn(unit),
                    RateColumn(), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                    console=err_console, transient=True)


@contextmanager
def progress_bar(description: str, unit: str = SENTENCES) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, shown only for long work; yields a ``(done, total)`` callback.

    When stderr is not a terminal there is no bar: it would only add noise to a log.
    """
    if not err_console.is_terminal:
        yield lambda done, total: None
        return
    with _progress(unit) as bar:
        task = bar.add_task(description, total=None, visible=False)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_MIN_ITEMS)

        yield update


@contextmanager
def steps_progress(unit: str = "resamples") -> Iterator[Callable[[str, int, int], None]]:
    """Progress bars on stderr for named steps of one job (the significance tests of ``eval``);
    yields a ``(step, done, total)`` callback, one bar per step. Nothing when not on a terminal."""
    if not err_console.is_terminal:
        yield lambda step, done, total: None
        return
    with _progress(unit) as bars:
        tasks: dict[str, TaskID] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done, total=total)

        yield update


@contextmanager
def first_use_notice(what: str) -> Iterator[None]:
    """Say that ``what`` (``converting X for CTranslate2``) is being done, once, then how long it
    took: a spinner on a terminal, a line otherwise, so that a log does not look hung meanwhile."""
    started = time.perf_counter()
    if err_console.is_terminal:
        with err_console.status(f"{what[:1].upper()}{what[1:]} (once)…"):
            yield
    else:
        err_console.print(f"{what} (once; later runs reuse it)…", soft_wrap=True, highlight=False,
                          markup=False)
        yield
    err_console.print(f"[green]✓[/] {escape(what)}: done in {duration(time.perf_counter() - started)}; "
                      "later runs reuse it", soft_wrap=True, highlight=False)


def duration(seconds: float) -> str:
    """``4.2 s``, ``3 min 05 s``, ``1 h 02 min``: a wall time as people say it."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def closing_line(what: str, sentences: int, from_cache: int, repeats: int, seconds: float) -> str:
    """One line on what a run did, ``what`` first: ``translated 812 sentences (120 from the
    cache, 35 repeats) in 24.3 s, 33.4 sentences/s``."""
    reused = [f"{count:,} {kind}" for count, kind in ((from_cache, "from the cache"),
                                                      (repeats, "repeats")) if count]
    detail = f" ({', '.join(reused)})" if reused else ""
    rate = sentences / seconds if seconds > 0 else 0.0
    noun = "sentence" if sentences == 1 else SENTENCES
    return (f"{what} {sentences:,} {noun}{detail} in {duration(seconds)}, "
            f"{rate:,.1f} {SENTENCES}/s")


def report_run(what: str, sentences: int, from_cache: int, repeats: int, started: float) -> None:
    """Print the closing line on stderr when the run (begun at ``time.perf_counter()`` value
    ``started``) took at least :data:`CLOSING_LINE_MIN_SECONDS` (or ``$TARJAMA_CLOSING_LINE_AFTER``
    seconds, see :mod:`tarjama.env`); on a terminal or not."""
    seconds = time.perf_counter() - started
    if seconds >= _closing_line_after():
        err_console.print(closing_line(what, sentences, from_cache, repeats, seconds),
                          soft_wrap=True, highlight=False)


def _closing_line_after() -> float:
    try:
        seconds = env.closing_line_after()
    except InputError as err:
        # Read when the work is done, so a warning rather than an error that would waste it.
        warn(f"{err.problem}; using {CLOSING_LINE_MIN_SECONDS:g} for now")
        return CLOSING_LINE_MIN_SECONDS
    return CLOSING_LINE_MIN_SECONDS if seconds is None else seconds
