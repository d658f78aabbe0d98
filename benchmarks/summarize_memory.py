"""Does the summarizer's memory stay flat as the text grows? Peak RSS at 10,000 and 100,000 words.

An English text of N words (sentences drawn from a fixed list of news phrases, seeded, so every
run reads the same text) is summarized by the tiny summarizer (``tarjama.testing``'s BART with a
128-token input limit, on the default backend): 100,000 words make about a thousand chunks in the
first round. Each size runs in its own process, after loading the model and summarizing a short
text once (the baseline: the memory of the model and the libraries); its peak resident memory is
its own.

    python benchmarks/summarize_memory.py                 # ~5 minutes on 2 cores
    python benchmarks/summarize_memory.py --words 2000 20000

The last line is ``ratio: rss_large/rss_small=X.XX``; the target (issue 30) is 1.5 at most.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHRASES = (
    "The minister said on Tuesday that the new water plant would open next month",
    "Officials in the capital met the delegation to discuss the budget",
    "Prices of bread and fuel rose again in the southern provinces",
    "The central bank kept its main interest rate unchanged",
    "Thousands of students returned to school after the long holiday",
    "The company signed a contract worth two billion dollars with the government",
    "Heavy rain flooded several roads and closed the airport for hours",
    "The football team won the regional cup for the third time",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs=2, default=(10_000, 100_000),
                        metavar=("SMALL", "LARGE"))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), int(args.child[1]))
        return
    from tarjama.testing import make_models

    with tempfile.TemporaryDirectory() as scratch:
        models = make_models(Path(scratch) / "tiny")
        print(f"summarizer: {models.summarizer.name} (tarjama.testing), default backend")
        peaks = [_spawn(models.summarizer, words) for words in args.words]
    small, large = peaks
    print(f"ratio: rss_large/rss_small={large / small:.2f}")


def _spawn(model: Path, words: int) -> float:
    done = subprocess.run([sys.executable, __file__, "--child", str(model), str(words)],
                          capture_output=True, text=True, check=True)
    line = done.stdout.strip().splitlines()[-1]
    print(line, flush=True)
    return float(line.split("peak_rss_mb=")[1].split()[0])


def _child(model: Path, words: int) -> None:
    from tarjama.summarization import Summarizer

    summarizer = Summarizer(str(model))
    summarizer.summarize(_text(200))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = _text(words)
    started = time.perf_counter()
    summary = summarizer.summarize(text)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first_round = sum(1 for chunk in summary.chunks if chunk.round == 1)
    rounds = max(chunk.round for chunk in summary.chunks)
    print(f"words={words} chunks_round1={first_round} rounds={rounds} seconds={seconds:.1f} "
          f"baseline_rss_mb={baseline:.0f} peak_rss_mb={peak:.0f}")


def _text(words: int) -> str:
    rng = random.Random(30)
    sentences: list[str] = []
    count = 0
    while count < words:
        phrase = rng.choice(PHRASES)
        sentences.append(f"{phrase}, day {rng.randrange(1000)}.")
        count += len(sentences[-1].split())
    return " ".join(sentences)


if __name__ == "__main__":
    main()
