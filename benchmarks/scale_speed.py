"""Ray's overhead on one machine: one corpus translated by the local engine and by
``--engine ray`` with 1 and 2 workers, each through the real ``tarjama translate`` command.

The corpus is ``--records`` records of one to three Arabic sentences, none repeated (FLORES-200,
NTREX-128 and TICO-19 from ``../shared/data`` or ``--data`` when present, else tarjama's own test
corpus). Each engine runs as its own command; its time is the command's wall time, start-up
included (Ray's start and the workers' model loads are part of its cost), and its peak memory is
the largest sum of the resident memory of the command and every process under it (Ray's raylet,
object store and workers), sampled every 0.1 s. Sentences are counted with tarjama's own splitter.
The model is the tiny test model by default; ``--arch base`` builds a random MarianMT of
opus-mt-ar-en's real size (see translate_speed.py). Ray starts its worker processes 15 steps nicer
than the driver; here they run at the driver's own priority (``RAY_worker_niceness=0``), as the
local engine's threads do. The engines run in interleaved rounds (``_rounds.py``): each ratio is
computed within a round and reported as its median over the rounds, with its min-max. The CPU
time shown is the command's and what it waited for: Ray's own daemons are not in it.

    python benchmarks/scale_speed.py                       # tiny model, 1,500 records, 3 rounds
    python benchmarks/scale_speed.py --arch base --records 300
    python benchmarks/scale_speed.py --quick               # 150 records, 2 rounds

The last line is ``ratios: ray2/local=X.XX ray1/local=Y.YY`` (sentences per second, medians);
target: ray2/local >= 0.8.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _rounds

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ARABIC = ("flores200/arb_Arab.devtest", "ntrex128/newstest2019-ref.arb.txt", "tico19/tico19-test.ar")
# Ray's setting of the workers' niceness, relative to the process that starts Ray (default 15).
RAY_WORKER_NICENESS = "RAY_worker_niceness"
ENGINES = {
    "local": [],
    "ray1": ["--engine", "ray", "--workers", "1"],
    "ray2": ["--engine", "ray", "--workers", "2"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1500)
    parser.add_argument("--arch", choices=("tiny", "base", "big"), default="tiny",
                        help="tiny: the test model; base/big: a random model of real size")
    parser.add_argument("--workdir", type=Path, help="keep the models and corpus here (reused)")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the shared reference data (FLORES-200, NTREX-128, TICO-19)")
    parser.add_argument("--quick", action="store_true", help="for development: 150 records, 2 rounds")
    _rounds.add_options(parser)
    args = parser.parse_args()
    if args.quick:
        args.records = 150
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tarjama-scale-bench-"))
    try:
        _run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    model = _model(args.arch, workdir)
    corpus, sentences = _corpus(workdir / "corpus.jsonl", args.records, args.data)
    print(f"model: {args.arch} ({model}); corpus: {args.records} records, {sentences} sentences; "
          f"{os.cpu_count()} CPUs")
    results = _rounds.run_rounds(list(ENGINES), lambda name: _launch(name, model, corpus, workdir),
                                 _rounds.rounds_wanted(args),
                                 describe=lambda name, child: (
                                     f"{name:<6} {sentences / child.wall_s:>8.1f} sent/s "
                                     f"{child.rss_mb:>6.0f} MB (process tree)"))
    print(_rounds.median_line("sent/s, median (min-max)", results,
                              lambda child: sentences / child.wall_s, fmt=".1f"))
    _rounds.report(results, {"ray2/local": lambda r: r["local"].wall_s / r["ray2"].wall_s,
                             "ray1/local": lambda r: r["local"].wall_s / r["ray1"].wall_s})


def _launch(name: str, model: Path, corpus: Path, workdir: Path) -> _rounds.Child:
    output = workdir / f"out-{name}"
    shutil.rmtree(output, ignore_errors=True)
    target = [str(output / "corpus.en.jsonl")] if name == "local" else [str(output)]
    command = [sys.executable, "-m", "tarjama", "translate", str(corpus), "-m", str(model),
               "--no-cache", *ENGINES[name], "-o", *target]
    env = {**os.environ, "TARJAMA_CACHE": str(workdir / "tarjama-cache"),
           RAY_WORKER_NICENESS: "0"}
    return _timed(command, env)


def _model(arch: str, workdir: Path) -> Path:
    if arch == "tiny":
        from tarjama.testing import make_models

        return make_models(workdir / "tiny").marian
    sys.path.insert(0, str(Path(__file__).parent))
    from translate_speed import ARCHS, _build_model

    model_dir = workdir / f"marian-{arch}"
    if not (model_dir / "model.safetensors").is_file():
        _build_model(model_dir, ARCHS[arch], workdir)
    return model_dir


def _corpus(path: Path, records: int, data: Path) -> tuple[Path, int]:
    """Records of one to three sentences, no sentence twice: the translator translates a repeated
    sentence once per call, which would favour the local engine (one call for the whole corpus)."""
    from tarjama.segment import split_paragraphs

    pool = list(dict.fromkeys(line.strip() for name in ARABIC if (source := data / name).is_file()
                              for line in source.read_text(encoding="utf-8").splitlines()
                              if line.strip()))
    if not pool:
        from tarjama.testing.tiny import CORPUS_DIR

        pool = [line.strip() for line in (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8")
                .splitlines() if line.strip()]
    texts, taken = [], 0
    for i in range(records):
        parts = pool[taken:taken + 1 + i % 3]
        if len(parts) < 1 + i % 3:
            sys.exit(f"only {len(pool)} distinct Arabic sentences here: ask for fewer records")
        taken += len(parts)
        texts.append(" ".join(parts[:2]) + ("\n" + parts[2] if len(parts) == 3 else ""))
    path.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    sentences = sum(len(p.sentences) for t in texts for p in split_paragraphs(t))
    return path, sentences


def _timed(command: list[str], env: dict[str, str]) -> _rounds.Child:
    """``command``'s wall and CPU seconds, and the peak of its process tree's summed resident
    memory (Ray's workers are processes of their own: one process's peak would miss them)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while True:
            peak = max(peak, _tree_rss(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-3000:]}")
    return _rounds.Child(wall_s=seconds, cpu_s=usage.ru_utime + usage.ru_stime, rss_mb=peak / 2**20)


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


if __name__ == "__main__":
    main()
