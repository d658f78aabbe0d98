"""Interleaved rounds: the one way every benchmark in this folder times its variants.

On a shared machine the speed drifts from one minute to the next, so a benchmark that runs each
variant once, in turn, compares variants measured at different speeds. Here every variant runs in
each of several rounds, each time in its own process, in an order that changes from round to round
(``a b c d e``, then ``b a e d c``, then ``c d e a b``: see ``order``). Every ratio is computed within
one round, from variants run minutes apart, and reported as its median over the rounds with the
min-max beside it. Each variant's line shows its wall time and its CPU time (user + system, from
the child's resource usage): a variant slowed by another tenant shows wall >> CPU / threads.
The load average is printed before and after each round, with the CPU that other processes used
during the round: the machine's busy time (``/proc/stat``, hypervisor steal included) less the
variants' own CPU time, in cores. The load average alone cannot tell a busy machine from the
benchmark's own threads (one variant on two threads holds it near 2 on a quiet 2-core machine); a
round in which other processes used more than a quarter of the cores, or (where ``/proc/stat`` is
missing) the load exceeded the cores, is marked ``BUSY``; the run is still reported, with a
warning above the ratios.

The API, for a benchmark script ``foo_speed.py`` whose children print one JSON object last::

    import _rounds  # benchmarks/ is sys.path[0] when a script here runs

    _rounds.add_options(parser)             # --rounds N (default 3; 2 with --quick)
    rounds = _rounds.rounds_wanted(args)     # the number to run
    results = _rounds.run_rounds(
        ["a", "b", "c"],                     # variant ids, in their natural order
        lambda v: _rounds.spawn([sys.executable, __file__, "--variant", v], env=env),
        rounds,
        describe=lambda v, child: f"({v}) {child.data['rate']:8.2f} sent/s")
    _rounds.report(results, {"c/a": lambda r: r["c"].data["rate"] / r["a"].data["rate"]})

``spawn`` runs one process and returns a ``Child`` (wall_s, cpu_s, rss_mb, data: the last stdout
line as JSON); ``run_rounds`` returns ``Rounds`` (``.rounds``: one ``{variant: Child}`` per round,
``.busy``: one flag per round); a ratio is a function of one round's dict; ``report`` prints
``spread (min-max over N rounds): c/a=2.10-2.40 ...`` and, as the last line,
``ratios: c/a=2.25 ...`` holding the medians. ``median_line`` prints the medians of a per-variant
value (sentences/s, seconds) in the same way, and ``spread`` gives (median, min, max) of any list.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tarjama.cpu_use import BUSY_OTHERS_SHARE, others_cores
from tarjama.cpu_use import machine_busy_cpu_s as busy_cpu_s
from tarjama.cpu_use import machine_load as load

DEFAULT_ROUNDS = 3
QUICK_ROUNDS = 2
BUSY = "BUSY"


@dataclass(frozen=True)
class Child:
    """One variant's process: what it cost and what it printed."""

    wall_s: float  # from start to exit, as the parent saw it
    cpu_s: float  # user + system of the process and the children it waited for
    rss_mb: float  # its peak resident memory
    data: dict[str, Any] = field(default_factory=dict)  # its last stdout line, parsed as JSON


Round = dict[str, Child]


@dataclass(frozen=True)
class Rounds:
    """Every round's children, and whether the machine was busier than its cores in each."""

    rounds: list[Round]
    busy: list[bool]
    # The cores other processes kept busy in each round (None where unknown).
    others: list[float | None] = field(default_factory=list)


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--rounds``; the script keeps its own ``--quick``, which ``rounds_wanted`` reads."""
    parser.add_argument("--rounds", type=int, default=None,
                        help=f"interleaved rounds of all variants (default {DEFAULT_ROUNDS}, "
                             f"{QUICK_ROUNDS} with --quick); ratios are medians over rounds")


def rounds_wanted(args: argparse.Namespace) -> int:
    """The number of rounds asked for: ``--rounds``, else the default for ``--quick`` or not."""
    if args.rounds is not None:
        if args.rounds < 1:
            sys.exit(f"--rounds must be at least 1, not {args.rounds}")
        return int(args.rounds)
    return QUICK_ROUNDS if getattr(args, "quick", False) else DEFAULT_ROUNDS


def order(variants: Sequence[str], round_index: int) -> list[str]:
    """The variants' order in a round: rotated by the round's number, reversed every other round,
    so no variant always runs first, last, or right after the same neighbour."""
    shift = round_index % len(variants) if variants else 0
    rotated = list(variants[shift:]) + list(variants[:shift])
    if round_index % 2:
        rotated = rotated[:1] + rotated[1:][::-1]
    return rotated


def spawn(command: Sequence[str], env: Mapping[str, str] | None = None) -> Child:
    """Run one variant in its own process; exit the benchmark with its error output if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), stdout=out, stderr=err,
                                   env=dict(env) if env is not None else None)
        try:
            # wait4, not wait: it returns this child's own resource usage.
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: no variant left running behind the report
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[1:4])} ... failed (exit {process.returncode}):\n"
                 f"{stderr[-3000:]}")
    lines = stdout.strip().splitlines()
    data = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Child(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
                 rss_mb=usage.ru_maxrss / 1024, data=data)


def cores() -> int:
    return os.cpu_count() or 1


def run_rounds(variants: Sequence[str], launch: Callable[[str], Child], rounds: int,
               describe: Callable[[str, Child], str]) -> Rounds:
    """Run every variant once per round, in ``order``; print one line per variant, and the load
    average around each round. ``describe(variant, child)`` gives the benchmark's own columns;
    wall, CPU and the load mark are added here. Interrupted (Ctrl-C, ``kill -INT``) after at least
    one complete round, it returns the complete rounds, so a long run keeps what it finished."""
    results: list[Round] = []
    marks: list[bool] = []
    competing: list[float | None] = []
    for index in range(rounds):
        before = load()
        started, machine_before = time.perf_counter(), busy_cpu_s()
        print(f"round {index + 1}/{rounds}: load {before:.2f} before "
              f"({cores()} cores)", flush=True)
        this: Round = {}
        try:
            for variant in order(variants, index):
                child = launch(variant)
                this[variant] = child
                print(f"  {describe(variant, child)}  wall {child.wall_s:6.1f} s  "
                      f"cpu {child.cpu_s:6.1f} s", flush=True)
        except KeyboardInterrupt:
            if not results:
                raise
            print(f"interrupted in round {index + 1}: reporting the {len(results)} complete "
                  f"round(s)", flush=True)
            break
        after = load()
        others = others_cores(machine_before, busy_cpu_s(), time.perf_counter() - started,
                              sum(child.cpu_s for child in this.values()))
        if others is None:
            busy = max(before, after) > cores()
            mark = f"  {BUSY}: load above {cores()} cores" if busy else ""
            print(f"round {index + 1}/{rounds}: load {after:.2f} after{mark}", flush=True)
        else:
            busy = others > BUSY_OTHERS_SHARE * cores()
            mark = f"  {BUSY}: other processes used {others:.2f} of {cores()} cores" if busy else ""
            print(f"round {index + 1}/{rounds}: load {after:.2f} after; other processes used "
                  f"{others:.2f} cores{mark}", flush=True)
        results.append(this)
        marks.append(busy)
        competing.append(others)
    return Rounds(results, marks, competing)


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    """(median, min, max) of the values."""
    return statistics.median(values), min(values), max(values)


def median_line(label: str, results: Rounds, value: Callable[[Child], float],
                fmt: str = ".2f") -> str:
    """``label: a=M (lo-hi) b=...``: the median of a per-variant value, with its min-max."""
    parts = []
    for variant in sorted(results.rounds[0]):
        middle, low, high = spread([value(r[variant]) for r in results.rounds])
        parts.append(f"{variant}={middle:{fmt}} ({low:{fmt}}-{high:{fmt}})")
    return f"{label}: " + " ".join(parts)


def report(results: Rounds, ratios: Mapping[str, Callable[[Round], float]],
           prefix: str = "ratios", warn: bool = True) -> dict[str, tuple[float, float, float]]:
    """Print each ratio's min-max over the rounds (each ratio computed within one round), the
    load warning if a round was busy (unless ``warn`` is false), and last
    ``{prefix}: name=median ...``. Returns {name: (median, min, max)}."""
    count = len(results.rounds)
    summary = {name: spread([ratio(r) for r in results.rounds]) for name, ratio in ratios.items()}
    print(f"spread (min-max over {count} rounds): " + " ".join(
        f"{name}={low:.2f}-{high:.2f}" for name, (_, low, high) in summary.items()))
    busy = [str(i + 1) for i, b in enumerate(results.busy) if b]
    if warn and busy:
        print(f"warning: {BUSY}: other processes competed for the {cores()} cores in round(s) "
              f"{', '.join(busy)} of {count}; the ratios below include them")
    print(f"{prefix}: " + " ".join(f"{name}={middle:.2f}" for name, (middle, _, _)
                                   in summary.items()), flush=True)
    return summary
