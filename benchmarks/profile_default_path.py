"""Where tarjama's default path (variant (d) of translate_speed.py) spends its time: a cProfile summary.

Reuses the model and sentences that ``translate_speed.py --workdir DIR`` built there, and runs what
(d) runs: ``Translator(...).translate_sentences_flagged(texts)``, greedy, guard ``flag``, a fresh
SQLite cache. The model runs in CTranslate2's own threads, which cProfile does not see: the main
thread's wait for them shows as ``result`` of CTranslate2's async results.

    python benchmarks/profile_default_path.py --workdir DIR [--top 25]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out-tokens", type=int, default=32)
    args = parser.parse_args()
    os.environ["TARJAMA_CACHE"] = str(args.workdir / "tarjama-cache")
    from tarjama.backends import GenerationOptions
    from tarjama.translation import Translator

    texts = json.loads((args.workdir / "sentences.json").read_text(encoding="utf-8"))["texts"]
    [model] = [p for p in args.workdir.glob("marian-*") if not p.name.endswith(".partial")]
    steps = args.out_tokens + 1
    options = GenerationOptions(num_beams=1, min_new_tokens=steps, max_new_tokens=steps)
    with tempfile.TemporaryDirectory() as scratch:
        translator = Translator(str(model), generation=options, guard="flag",
                                cache=Path(scratch) / "cache.sqlite3")
        translator.translate_sentences(["جملة."])
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        translator.translate_sentences_flagged(texts)
        profiler.disable()
        seconds = time.perf_counter() - started
    b = translator.backend
    print(f"{len(texts)} sentences in {seconds:.2f} s ({len(texts) / seconds:.2f} sentences/s); "
          f"{b.name} {b.compute_type}, {b.parallel_batches} parallel batches, "
          f"batch size {translator.max_batch_size}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"--- sorted by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines()
                        if line.strip() and not line.startswith("   Ordered by")))


if __name__ == "__main__":
    main()
