"""``tarjama eval-backends``: what int8 (or another backend) costs a model on a reference set."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BeamsOpt,
    DeviceOpt,
    RevisionOpt,
    err_console,
    reports_errors,
    stdout_console,
    write_stdout,
)
from tarjama.cli.reporting import progress_bar
from tarjama.eval.metrics import DEFAULT_BOOTSTRAP, DISPLAY_NAMES, METRIC_NAMES
from tarjama.eval.significance import DEFAULT_AR_TRIALS, SIGNIFICANCE_LEVEL
from tarjama.models import DEFAULT_TRANSLATION_MODEL, GenerationOptions
from tarjama.translation.settings import TranslatorSettings


@reports_errors
def eval_backends(
    set_: Annotated[str, typer.Option(
        "--set", "-s", help="Reference set with its source: a folder, a manifest (.json), a TSV "
        "or JSONL file, or a sacrebleu test set name from its cache.")],
    model: Annotated[str, typer.Option(
        "--model", "-m", help="The model to check (preset, Hub id or folder).")
    ] = DEFAULT_TRANSLATION_MODEL,
    variant: Annotated[list[str] | None, typer.Option(
        "--variant", help="BACKEND:COMPUTE_TYPE to translate with; repeat; the first is the "
        "baseline. Default: ctranslate2:float32, ctranslate2:int8 and torch:float32.")] = None,
    report: Annotated[str | None, typer.Option(
        "--report", help="Write report.html and results.json into this folder.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0)] = DEFAULT_BOOTSTRAP,
    ar_trials: Annotated[int, typer.Option("--ar-trials", min=0)] = DEFAULT_AR_TRIALS,
    revision: RevisionOpt = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = None,
) -> None:
    """Translate a reference set under int8 and float32 (and torch) and report what changes:
    score differences with paired significance, and the sentences that changed most."""
    from tarjama.eval.compute_check import changed_lines, compare_computes, parse_variant
    from tarjama.eval.refsets import load_reference_set

    variants = [parse_variant(text) for text in variant] if variant else None
    settings = TranslatorSettings(ModelSettings(model, revision=revision, device=device),
                                  GenerationOptions(num_beams=beams))
    refset = load_reference_set(set_)

    with progress_bar("translating") as bar:
        run = compare_computes(refset, settings, variants, n_bootstrap=bootstrap,
                               n_trials=ar_trials, progress=lambda label: bar)
    if report is not None:
        from tarjama.eval import write_report

        html_path, json_path = write_report(run, report)
        err_console.print(f"wrote {html_path} and {json_path}")
    rows = []
    for index, result in enumerate(run.results[1:], start=1):
        pair = run.analysis.pairs[index - 1] if run.analysis is not None else None
        rows.append({
            "variant": result.system.name, "baseline": run.baseline.system.name,
            "changed_segments": changed_lines(run, index), "segments": len(refset),
            "metrics": {name: {"baseline": run.baseline.scores[name].score,
                               "score": result.scores[name].score,
                               **(result.paired[name].to_record() if result.paired else {})}
                        for name in METRIC_NAMES},
            "changed_most": [s.to_record() for s in pair.sentences_baseline_better[:5]]
            if pair else [],
        })
    if json_out:
        write_stdout(json.dumps({"model": model, "set": refset.name, "comparisons": rows},
                                indent=2, ensure_ascii=False) + "\n")
        return
    _print(run, rows)


def _print(run, rows) -> None:
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
            p = "/".join("-" if metric[k] is None else f"{metric[k]:.3f}"
                         for k in ("p_bootstrap", "p_ar"))
            cells.append(f"{metric['difference']:+.2f} p={p}" + (" *" if metric["significant"] else ""))
        table.add_row(row["variant"], f"{row['changed_segments']}/{row['segments']}", *cells)
    console.print(table)
    for index, result in enumerate(run.results[1:], start=1):
        pair = run.analysis.pairs[index - 1] if run.analysis is not None else None
        if pair is None or not rows[index - 1]["changed_segments"]:
            continue
        lines = Table("line", "Δ sentence BLEU", run.baseline.system.name, result.system.name,
                      title=f"Where {result.system.name} lost most")
        for sentence in pair.sentences_baseline_better[:5]:
            if sentence.difference >= 0:
                break
            number = sentence.line - 1
            lines.add_row(str(sentence.line), f"{sentence.difference:+.2f}",
                          run.baseline.system.hypotheses[number], result.system.hypotheses[number])
        console.print(lines)
