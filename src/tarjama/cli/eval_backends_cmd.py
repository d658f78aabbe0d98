"""``tarjama eval-backends``: what int8 (or another backend) costs a model on a reference set."""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BeamsOpt,
    DeviceOpt,
    GuardOpt,
    RevisionOpt,
    err_console,
    reports_errors,
    stdout_console,
    write_stdout,
)
from tarjama.cli.eval_options import (
    ArTrialsOpt,
    BootstrapOpt,
    EvalFormat,
    FormatOpt,
    ReportOpt,
    SetOpt,
)
from tarjama.cli.reporting import duration, steps_progress
from tarjama.errors import InputError
from tarjama.eval.metrics import DEFAULT_BOOTSTRAP, DISPLAY_NAMES, METRIC_NAMES
from tarjama.eval.significance import DEFAULT_AR_TRIALS, SIGNIFICANCE_LEVEL
from tarjama.models import DEFAULT_TRANSLATION_MODEL, GenerationOptions
from tarjama.translation.settings import GUARD_FLAG, TranslatorSettings

if TYPE_CHECKING:
    from tarjama.eval.analysis import SentenceDifference
    from tarjama.eval.run import EvalRun

#: The sentences each variant shows where it lost most against the baseline.
LOST_MOST = 5


@reports_errors
def eval_backends(
    set_: SetOpt = None,
    model: Annotated[str, typer.Option(
        "--model", "-m", help="The model to check (preset, Hub id or folder).")
    ] = DEFAULT_TRANSLATION_MODEL,
    variant: Annotated[list[str] | None, typer.Option(
        "--variant", help="BACKEND:COMPUTE_TYPE to translate with; repeat; the first is the "
        "baseline. Default: ctranslate2:float32, ctranslate2:int8 and torch:float32.")] = None,
    segments: Annotated[int | None, typer.Option(
        "--segments", min=1, help="Translate only the set's first N segments (a quick check of "
        "a slow model). Default: all.")] = None,
    report: ReportOpt = None,
    format: FormatOpt = EvalFormat.table,
    bootstrap: BootstrapOpt = DEFAULT_BOOTSTRAP,
    ar_trials: ArTrialsOpt = DEFAULT_AR_TRIALS,
    revision: RevisionOpt = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = None,
    guard: GuardOpt = GUARD_FLAG,
) -> None:
    """Translate a reference set under int8 and float32 (and torch) and report what changes:
    score differences with paired significance, and the sentences that changed most.

    The integrity guard only flags here by default: its retries would mix outputs of other
    decoding settings into the comparison of the model's own outputs.
    """
    from tarjama.eval.compute_check import compare_computes, parse_variant
    from tarjama.eval.refsets import load_reference_set

    if set_ is None:
        raise InputError("no reference set: give --set SET, a set with its Arabic source "
                         "(a manifest, a TSV or JSONL file, a folder)")
    variants = [parse_variant(text) for text in variant] if variant else None
    settings = TranslatorSettings(ModelSettings(model, revision=revision, device=device),
                                  GenerationOptions(num_beams=beams), guard=guard)
    refset = load_reference_set(set_)
    with _variant_lines() as progress, steps_progress() as test_progress:
        run = compare_computes(refset, settings, variants, n_bootstrap=bootstrap,
                               n_trials=ar_trials, segments=segments, progress=progress,
                               test_progress=test_progress)
    if report is not None:
        from tarjama.eval import write_report

        html_path, json_path = write_report(run, report)
        err_console.print(f"wrote {html_path} and {json_path}")
    rows = _comparisons(run)
    if format is EvalFormat.json:
        from tarjama.eval.run import JSON_FORMAT

        write_stdout(json.dumps({"format": JSON_FORMAT, "model": model, "set": run.refset.name,
                                 "segments": len(run.refset), "comparisons": rows},
                                indent=2, ensure_ascii=False) + "\n")
        return
    _print(run, rows)


@contextmanager
def _variant_lines() -> Iterator[Callable[[str, int, int], None]]:
    """One line on stderr as each variant starts and ends (terminal or log), and a bar of its
    translated segments on a terminal."""
    started: dict[str, float] = {}
    finished: set[str] = set()
    with steps_progress("segments") as bars:

        def update(label: str, done: int, total: int) -> None:
            if label not in started:
                started[label] = time.perf_counter()
                err_console.print(f"{label}: translating {total} segments…", soft_wrap=True,
                                  highlight=False, markup=False)
                return
            bars(f"translating with {label}", done, total)
            if done == total and label not in finished:
                finished.add(label)
                err_console.print(f"{label}: {total} segments translated in "
                                  f"{duration(time.perf_counter() - started[label])}",
                                  soft_wrap=True, highlight=False, markup=False)

        yield update


def _comparisons(run: EvalRun) -> list[dict[str, object]]:
    """Each variant against the baseline: changed segments, every metric's difference and
    tests, and the sentences where it lost most (compare-mt's sentence BLEU)."""
    from tarjama.eval.compute_check import changed_lines

    rows: list[dict[str, object]] = []
    for index, result in enumerate(run.results[1:], start=1):
        pair = run.analysis.pairs[index - 1] if run.analysis is not None else None
        paired = result.paired or {}
        rows.append({
            "variant": result.system.name, "baseline": run.baseline.system.name,
            "changed_segments": changed_lines(run, index), "segments": len(run.refset),
            "metrics": {name: {"baseline": run.baseline.scores[name].score,
                               "score": result.scores[name].score,
                               **(paired[name].to_record() if name in paired else {})}
                        for name in METRIC_NAMES},
            "lost_most": [_lost(run, index, s) for s in pair.sentences_baseline_better[:LOST_MOST]
                          if s.difference < 0] if pair else [],
        })
    return rows


def _lost(run: EvalRun, system: int, sentence: SentenceDifference) -> dict[str, object]:
    """A segment where a variant lost, with both outputs."""
    number = sentence.line - 1
    sources = run.refset.sources
    return {"line": sentence.line, "difference": sentence.difference,
            "sentence_bleu": {"baseline": sentence.baseline, "variant": sentence.system},
            "source": sources[number] if sources is not None else None,
            "reference": run.refset.references[0][number],
            "baseline": run.baseline.system.hypotheses[number],
            "variant": run.results[system].system.hypotheses[number]}


def _print(run: EvalRun, rows: list[dict]) -> None:
    from rich.table import Table

    console = stdout_console(soft_wrap=True)
    table = Table("variant", "changed", *(DISPLAY_NAMES[m] + " Δ" for m in METRIC_NAMES),
                  title=f"Against {run.baseline.system.name} on {run.refset.name} "
                        f"({len(run.refset)} segments)",
                  caption=f"Δ: variant - baseline; p: paired bootstrap / approximate "
                          f"randomization; * significant at {SIGNIFICANCE_LEVEL}")
    for row in rows:
        cells = []
        for name in METRIC_NAMES:
            metric = row["metrics"][name]
            if row["changed_segments"] == 0:
                cells.append(f"{metric['difference']:+.2f} (identical outputs)")
                continue
            p = "/".join("-" if metric[k] is None else f"{metric[k]:.4f}"
                         for k in ("p_bootstrap", "p_ar"))
            cells.append(f"{metric['difference']:+.2f} p={p}" + (" *" if metric["significant"] else ""))
        table.add_row(row["variant"], f"{row['changed_segments']}/{row['segments']}", *cells)
    console.print(table)
    for row in rows:
        if not row["lost_most"]:
            continue
        lines = Table("line", "Δ sentence BLEU", run.baseline.system.name, row["variant"],
                      title=f"Where {row['variant']} lost most")
        for sentence in row["lost_most"]:
            lines.add_row(str(sentence["line"]), f"{sentence['difference']:+.2f}",
                          sentence["baseline"], sentence["variant"])
        console.print(lines)
