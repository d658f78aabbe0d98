"""CTranslate2's thread split on CPU, measured once per CPU, core count and converted model.

CTranslate2 runs batches on ``inter_threads`` workers with ``intra_threads`` threads each. Which
split is fastest depends on the CPU (its instruction set, caches and core count) and on the model
(much of a decoding step over a large vocabulary runs on one thread, and another worker fills the
idle cores) and on the machine's load: on one 2-core CPU 2 workers x 1 thread clearly beat 1 x 2, on
another the two came within a few percent of each other, the winner changing from run to run, and
with a busy core OpenMP's threads slowed 1 x 2 to a crawl (measured: see
benchmarks/RESULTS.md#ct2-thread-split). No single rule holds for every machine. So the first CPU
load of a converted model on a machine times a few splits — all cores x 1 thread, 1 worker x all
cores, and the halves in between — on a handful of synthetic sentences with the real converted copy,
in a child process (so that a crash, or the threads of the measurement, never touch the caller), and
keeps the fastest in ``ct2-threads.json`` in tarjama's cache folder, keyed by CPU model, usable
cores and the converted copy. Later loads read it.

It takes seconds for a real model, child process included (measured: see
benchmarks/RESULTS.md#ct2-thread-split). The child loads the copy without its shortlist, which
CTranslate2 would otherwise read at each load.

A split measured while the machine is busy measures the load as much as the CPU, and would stick
for every later run: a measurement during which other processes kept more than a quarter of the
cores busy (the machine's busy CPU time in ``/proc/stat`` less this process's and the child's), or
with a load average above the usable cores, is stored marked ``busy``, used while the machine stays
busy, and measured again by the first load that finds the load average below the cores. After
:data:`BUSY_REMEASURES` busy measurements in a row the last one is kept, so that a machine never
quiet (a desktop's browser) does not pay the measurement at every start. (Measured here: two other
processes' tests on a 2-core Xeon, load average 1.4, made 1 x 2 win 61 to 46 sentences/s; quiet,
2 x 1 won 102 to 42, and the translator ran at half speed on the split measured busy.)

A split that is asked for always wins: the model settings' ``inter_threads``/``intra_threads``,
else ``TARJAMA_CT2_INTER_THREADS``/``TARJAMA_CT2_INTRA_THREADS`` (both read by
:meth:`tarjama.ModelSettings.load`, which hands them here). With either count given, nothing is
measured (the other one shares the cores out). A measurement that fails is logged as a
warning and the load goes on with :func:`fallback_split`; it is tried again in the next process.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from tarjama.backends.ctranslate2.vmap import VMAP_FILE
from tarjama.backends.first_use import first_use_step
from tarjama.cache_paths import tarjama_cache_dir
from tarjama.cpu_use import (
    BUSY_OTHERS_SHARE,
    machine_busy_cpu_s,
    machine_load,
    others_cores,
    own_cpu_s,
)

logger = logging.getLogger(__name__)

#: The file of measured splits, in tarjama's cache folder.
THREADS_FILE = "ct2-threads.json"
#: Bump when the measurement changes, so that splits measured the old way are measured again.
MEASUREMENT_VERSION = 3
# The synthetic work each split is timed on: a batch as the translator makes them on CPU, of
# sentences of a typical news length, for a fixed number of greedy decoding steps.
MEASURE_SENTENCES = 8
MEASURE_SOURCE_PIECES = 24
MEASURE_STEPS = 8
# Each split is timed this many times, its best kept: one slow run on a busy machine is noise.
MEASURE_REPEATS = 2
# A measurement that takes longer than this is given up (and the fallback used).
MEASURE_TIMEOUT_S = 120
# A split that takes this many times as long as the best one so far (load included) has lost.
SLOWER_THAN_BEST = 3
MIN_CANDIDATE_S = 1.0

Split = tuple[int, int]
"""(inter_threads, intra_threads)."""

# Splits measured or given up on in this process, by key, so that a failure is not retried per load.
_known: dict[str, Split] = {}


def cpu_threads(model_dir: Path, compute_type: str, *, queued: bool = False,
                inter: int | None = None, intra: int | None = None) -> Split:
    """The (inter_threads, intra_threads) split for the CPU copy of a model in ``model_dir``.

    ``inter`` and ``intra`` are the counts asked for (``None``: not asked); with either one, that
    one is used and the other shares out the cores. Else the split measured on this machine for
    this copy, measuring it first (once) when it is not in ``ct2-threads.json`` yet.
    """
    cores = usable_cores()
    if inter or intra:
        return capped_split(inter, intra, cores)
    if cores == 1:
        return 1, 1
    key = f"{cpu_model()}|{cores} cores|{model_dir.name}" + ("|queued" if queued else "")
    if key in _known:
        return _known[key]
    path = tarjama_cache_dir() / THREADS_FILE
    entry = _read(path).get(key)
    split = _stored_split(entry, cores)
    busy_before = _busy_count(entry) if split is not None else 0
    if split is not None and 0 < busy_before < BUSY_REMEASURES \
            and not busy(machine_load(), cores):
        split = None
    if split is None:
        split = _measure_and_store(path, key, model_dir, compute_type, cores, queued, busy_before)
    _known[key] = split
    return split


# The thread counts asked for that were already said to be capped, so that it is said once.
_warned: set[tuple[int | None, int | None, int]] = set()


def capped_split(inter: int | None, intra: int | None, cores: int) -> Split:
    """The split asked for (the count not given shares out the cores), held to what ``cores``
    cores can run: never more workers than cores, nor more threads in all. More only makes the
    threads wait for each other (10,000 intra threads on 2 cores never finish a batch); a
    count that is capped is said once, in one warning."""
    wanted_inter = inter or max(1, cores // (intra or 1))
    wanted_intra = intra or max(1, cores // wanted_inter)
    capped_inter = min(wanted_inter, cores)
    capped_intra = min(wanted_intra, max(1, cores // capped_inter))
    if (capped_inter, capped_intra) != (wanted_inter, wanted_intra) \
            and (inter, intra, cores) not in _warned:
        _warned.add((inter, intra, cores))
        logger.warning("CTranslate2 threads asked for (inter_threads=%d, intra_threads=%d) are "
                       "more than the %d cores this process may use; using inter_threads=%d, "
                       "intra_threads=%d", wanted_inter, wanted_intra, cores, capped_inter,
                       capped_intra)
    return capped_inter, capped_intra


def device_threads(inter: int | None = None, intra: int | None = None) -> Split:
    """The split on a GPU: one worker unless ``inter`` asks for more; ``intra`` threads, or 0
    (CTranslate2's own choice)."""
    return inter or 1, intra or 0


def fallback_split(cores: int) -> Split:
    """The split used when the measurement fails: CTranslate2's own shape, one worker, all cores."""
    return 1, max(1, cores)


def candidate_splits(cores: int) -> list[Split]:
    """The splits timed on ``cores`` cores: all workers, all threads, and the halves in between."""
    splits = [(cores, 1), (1, cores)]
    inter = 2
    while inter < cores:
        splits.append((inter, cores // inter))
        inter *= 2
    return list(dict.fromkeys(splits))


#: For a model whose batches are queued (the translator's), a split with more workers wins unless
#: another is this much faster in the measurement. The measurement times one batch at a time; the
#: translator queues the next batch while it handles the last,
#: which more workers turn into overlap that the measurement cannot see (measured: see
#: benchmarks/RESULTS.md#ct2-thread-split).
MORE_WORKERS_MARGIN = 0.10


def choose_split(candidates: Sequence[Split], rates: dict[str, float], *,
                 queued: bool = True) -> Split:
    """The fastest split measured; with ``queued`` batches, the one with the most workers among
    those within :data:`MORE_WORKERS_MARGIN` of the fastest. (A summarizer runs one batch per round,
    often of one chunk, which a second worker would leave on one thread.)"""
    if not queued:
        return max(candidates, key=lambda split: rates[_name(split)])
    fastest = max(rates[_name(split)] for split in candidates)
    close = [split for split in candidates if rates[_name(split)] >= fastest * (1 - MORE_WORKERS_MARGIN)]
    return max(close, key=lambda split: (split[0], rates[_name(split)]))


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_model() -> str:
    """The CPU's model name (``AMD EPYC``, ``Intel(R) Xeon(R) ...``), as the system reports it."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "model name" and value.strip():
                return value.strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def busy(load: float, cores: int) -> bool:
    """Whether a load average means other work competes for ``cores`` cores."""
    return load > cores


#: Busy measurements in a row after which the last is kept for good.
BUSY_REMEASURES = 3


def _busy_count(entry: object) -> int:
    """How many busy measurements in a row made ``entry`` (0 for a quiet one)."""
    if not isinstance(entry, dict) or entry.get("busy") is not True:
        return 0
    count = entry.get("busy_measurements", 1)
    return count if isinstance(count, int) and count >= 1 else 1


def _stored_split(entry: object, cores: int) -> Split | None:
    """The split of a stored entry; None for one measured another way, or damaged."""
    if not isinstance(entry, dict) or entry.get("version") != MEASUREMENT_VERSION:
        return None
    inter, intra = entry.get("inter_threads"), entry.get("intra_threads")
    if isinstance(inter, int) and isinstance(intra, int) and 1 <= inter <= cores \
            and 1 <= intra <= cores:
        return inter, intra
    return None


def _read(path: Path) -> dict:
    """The stored splits; none when the file is missing, or damaged (then it is measured again)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        logger.info("measuring CTranslate2's threads again: %s is unreadable (%s)", path, err)
        return {}
    return stored if isinstance(stored, dict) else {}


def _measure_and_store(path: Path, key: str, model_dir: Path, compute_type: str,
                       cores: int, queued: bool, busy_before: int = 0) -> Split:
    candidates = candidate_splits(cores)
    started = time.perf_counter()
    load_before = machine_load()
    machine_before, own_before = machine_busy_cpu_s(), own_cpu_s()
    try:
        with first_use_step(f"measuring CTranslate2's fastest thread split on this CPU for "
                            f"{model_dir.name}"):
            rates = _measure_in_child(model_dir, compute_type, candidates)
    except (OSError, subprocess.SubprocessError, ValueError) as err:
        split = fallback_split(cores)
        logger.warning("could not measure CTranslate2's best thread split on this CPU (%s); "
                       "using %d worker(s) x %d thread(s)", err, *split)
        return split
    best = choose_split(candidates, rates, queued=queued)
    load = max(load_before, machine_load())
    seconds = time.perf_counter() - started
    machine_after = machine_busy_cpu_s()
    others = others_cores(machine_before, machine_after, seconds, own_cpu_s() - own_before)
    was_busy = busy(load, cores) or (others is not None and others > BUSY_OTHERS_SHARE * cores)
    entry = {"version": MEASUREMENT_VERSION, "inter_threads": best[0], "intra_threads": best[1],
             "sentences_per_second": rates, "seconds": round(seconds, 2), "load": round(load, 2),
             "other_processes_cores": None if others is None else round(others, 2),
             "busy": was_busy}
    if was_busy:
        entry["busy_measurements"] = busy_before + 1
        logger.info("CTranslate2's thread split was measured on a busy machine (load %.1f, other "
                    "processes on %s of %d cores); it will be measured again once the machine is "
                    "quiet", load, "?" if others is None else f"{others:.1f}", cores)
    try:
        # Read again: another process may have stored another model's split meanwhile.
        _write_atomic(path, {**_read(path), key: entry})
    except OSError as err:
        logger.warning("could not store CTranslate2's thread split in %s (%s); it will be "
                       "measured again next time", path, err)
    return best


def _measure_in_child(model_dir: Path, compute_type: str, candidates: Sequence[Split]
                      ) -> dict[str, float]:
    """Sentences per second of each candidate, 0 for one given up as far slower than the best.

    The child reports a line per candidate. One that takes :data:`SLOWER_THAN_BEST` times as long
    as the best so far (OpenMP threads on a busy machine can run a tiny model hundreds of times
    slower) is lost already: the child is killed and a new one times the candidates left.
    """
    rates: dict[str, float] = {}
    remaining = list(candidates)
    give_up = time.monotonic() + MEASURE_TIMEOUT_S
    best_seconds: float | None = None
    while remaining:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(model_dir), compute_type,
             *(_name(split) for split in remaining)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = _lines_of(process)
        try:
            while remaining:
                now = time.monotonic()
                wait = give_up - now if best_seconds is None else min(
                    give_up - now, max(MIN_CANDIDATE_S, SLOWER_THAN_BEST * best_seconds))
                try:
                    line = lines.get(timeout=max(0.0, wait))
                except queue.Empty:
                    if time.monotonic() >= give_up:
                        raise subprocess.TimeoutExpired(process.args, MEASURE_TIMEOUT_S) from None
                    rates[_name(remaining.pop(0))] = 0.0
                    break
                if line is None:
                    last = (process.stderr.read().strip().splitlines() if process.stderr else [])
                    raise ValueError("the measuring process failed: "
                                     f"{last[-1] if last else f'exit status {process.wait()}'}")
                report = json.loads(line)
                if report.get("split") != _name(remaining[0]):
                    raise ValueError(f"the measuring process reported {line.strip()!r}")
                rates[report["split"]] = float(report["rate"])
                seconds = float(report["seconds"])
                best_seconds = seconds if best_seconds is None else min(best_seconds, seconds)
                remaining.pop(0)
        finally:
            process.kill()
            process.wait()
    if not any(rates.values()):
        raise ValueError("no thread split finished")
    return rates


def _lines_of(process: subprocess.Popen) -> queue.Queue[str | None]:
    """The lines the child writes, then None, read in a thread so the parent can wait with a
    timeout."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _write_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        scratch.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _name(split: Split) -> str:
    return f"{split[0]}x{split[1]}"


def _vocabulary(model_dir: Path) -> list[str]:
    for name in ("shared_vocabulary", "source_vocabulary"):
        if (model_dir / f"{name}.json").is_file():
            return json.loads((model_dir / f"{name}.json").read_text(encoding="utf-8"))
        if (model_dir / f"{name}.txt").is_file():
            return (model_dir / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    raise FileNotFoundError(f"no vocabulary in {model_dir}")


def _time_splits(model_dir: Path, compute_type: str, splits: Sequence[Split]) -> None:
    """Time each split in turn, one line of JSON each (run in the child process)."""
    import ctranslate2

    with tempfile.TemporaryDirectory(prefix="tarjama-threads-") as scratch:
        _time_in(ctranslate2, _without_shortlist(model_dir, Path(scratch)), compute_type, splits)


def _without_shortlist(model_dir: Path, scratch: Path) -> Path:
    """The model's files without its shortlist: CTranslate2 reads ``vmap.txt`` at every load
    (over a second for a map of the default size), and the split does not depend on it."""
    if not (model_dir / VMAP_FILE).exists():
        return model_dir
    try:
        for path in model_dir.iterdir():
            if path.name != VMAP_FILE:
                (scratch / path.name).symlink_to(path.resolve())
    except OSError:
        return model_dir
    return scratch


def _time_in(ctranslate2, model_dir: Path, compute_type: str, splits: Sequence[Split]) -> None:
    pieces = [p for p in _vocabulary(model_dir) if not (p.startswith("<") and p.endswith(">"))]
    rng = random.Random(0)
    sentences = [[rng.choice(pieces) for _ in range(MEASURE_SOURCE_PIECES)] + ["</s>"]
                 for _ in range(MEASURE_SENTENCES)]
    settings = dict(beam_size=1, min_decoding_length=MEASURE_STEPS,
                    max_decoding_length=MEASURE_STEPS)
    for inter, intra in splits:
        started = time.perf_counter()
        translator = ctranslate2.Translator(str(model_dir), device="cpu", compute_type=compute_type,
                                            inter_threads=inter, intra_threads=intra)
        # As the backend does: the batch cut into one part per worker.
        part = -(-len(sentences) // inter)
        translator.translate_batch(sentences[:inter], max_batch_size=1, **settings)
        best = float("inf")
        for _ in range(MEASURE_REPEATS):
            run = time.perf_counter()
            translator.translate_batch(sentences, max_batch_size=part, **settings)
            best = min(best, time.perf_counter() - run)
        del translator
        print(json.dumps({"split": _name((inter, intra)), "rate": round(len(sentences) / best, 2),
                          "seconds": round(time.perf_counter() - started, 3)}), flush=True)


if __name__ == "__main__":
    folder, compute, *names = sys.argv[1:]
    _time_splits(Path(folder), compute,
                 [(int(a), int(b)) for a, b in (name.split("x") for name in names)])
