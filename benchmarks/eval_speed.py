"""`tarjama eval`'s cost on FLORES-200 devtest (1,012 sentences, 281 documents), two systems.

Variants, each in its own process, in interleaved rounds (see _rounds.py):
  (a) the eval as it was before compare-mt's analyses, document bootstrap and sentence view: the
      tarjama source of --before (a commit; default: the commit this work started from), exported
      with `git archive` and imported from there;
  (b) today's eval with everything: compare-mt's analyses, BLEU's parts, per-document scores and
      the document bootstrap.
Both score the published OPUS-MT output against a second system (every 10th line left in Arabic)
with the same bootstrap resamples and randomization trials. The target: b/a at most 2.

    python benchmarks/eval_speed.py [--bootstrap 1000] [--ar-trials 10000] [--rounds N] [--quick]

--quick runs 2 rounds with 200 resamples and 2,000 trials (unless given): the analyses' fixed cost
weighs more there than at the full settings, so its ratio errs on the slow side.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import _rounds

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
BEFORE = "ec73e32"  # main when issue 29 began
FULL = (1000, 10000)  # bootstrap resamples, randomization trials: the CLI's defaults
QUICK = (200, 2000)


def _child(args: argparse.Namespace) -> None:
    from tarjama.eval import evaluate_systems, load_reference_set

    manifest = Path(args.workdir) / "flores.json"
    refset = load_reference_set(manifest)
    published = (DATA / "opusmt-ara-eng-flores200-output" / "flores200-devtest.ara-eng.output")
    outputs = published.read_text(encoding="utf-8").splitlines()
    second = [s if n % 10 == 9 else o for n, (s, o) in enumerate(zip(refset.sources, outputs,
                                                                        strict=True))]
    start = time.perf_counter()
    run = evaluate_systems(refset, {"opus-mt": outputs, "second": second},
                           n_bootstrap=args.bootstrap, n_trials=args.ar_trials)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "bleu": run.results[1].scores["bleu"].score,
                      "analyses": getattr(run, "analysis", None) is not None}))


def _export_before(commit: str, folder: Path) -> Path:
    archive = folder / "before.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), commit, "src"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "before", filter="data")
    return folder / "before" / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", type=int, default=None,
                        help=f"resamples (default {FULL[0]}, {QUICK[0]} with --quick)")
    parser.add_argument("--ar-trials", type=int, default=None,
                        help=f"randomization trials (default {FULL[1]}, {QUICK[1]} with --quick)")
    parser.add_argument("--before", default=BEFORE, help="the commit of variant (a)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    _rounds.add_options(parser)
    args = parser.parse_args()
    defaults = QUICK if args.quick else FULL
    args.bootstrap = defaults[0] if args.bootstrap is None else args.bootstrap
    args.ar_trials = defaults[1] if args.ar_trials is None else args.ar_trials
    if args.variant:
        _child(args)
        return
    if not (DATA / "flores200").is_dir():
        sys.exit(f"FLORES-200 not found under {DATA}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        flores = DATA / "flores200"
        (work / "flores.json").write_text(json.dumps({
            "name": "flores200-devtest", "source": str(flores / "arb_Arab.devtest"),
            "references": [str(flores / "eng_Latn.devtest")],
            "doc_ids": {"path": str(flores / "metadata_devtest.tsv"), "column": "URL"}}),
            encoding="utf-8")
        sources = {"a": _export_before(args.before, work), "b": REPO / "src"}

        def launch(variant: str) -> _rounds.Child:
            env = {**os.environ, "PYTHONPATH": str(sources[variant])}
            return _rounds.spawn([sys.executable, __file__, "--variant", variant, "--workdir",
                                  str(work), "--bootstrap", str(args.bootstrap), "--ar-trials",
                                  str(args.ar_trials)], env=env)

        print(f"FLORES-200 devtest, 2 systems, bootstrap {args.bootstrap}, AR trials "
              f"{args.ar_trials}; (a) eval at {args.before}, (b) with all analyses")
        results = _rounds.run_rounds(
            ["a", "b"], launch, _rounds.rounds_wanted(args),
            describe=lambda v, child: f"({v}) eval {child.data['seconds']:7.1f} s")
        print(_rounds.median_line("eval seconds", results, lambda child: child.data["seconds"]))
        _rounds.report(results, {"b/a": lambda r: r["b"].data["seconds"] / r["a"].data["seconds"]})


if __name__ == "__main__":
    main()
