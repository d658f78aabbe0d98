"""``tarjama eval``: score one or more systems on a reference set, with intervals, paired
significance tests and an optional HTML report."""
from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BackendOpt,
    BeamsOpt,
    ComputeTypeOpt,
    DeviceOpt,
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
from tarjama.cli.eval_tables import print_confidence, print_details, print_neural
from tarjama.cli.reporting import progress_bar, steps_progress
from tarjama.errors import InputError
from tarjama.eval.metrics import DEFAULT_BOOTSTRAP, DISPLAY_NAMES, METRIC_NAMES, check_alignment
from tarjama.eval.significance import DEFAULT_AR_TRIALS, SIGNIFICANCE_LEVEL
from tarjama.models import DEFAULT_TRANSLATION_MODEL, GenerationOptions
from tarjama.textio import read_lines
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    from tarjama.eval.refsets import ReferenceSet
    from tarjama.eval.run import EvalRun
    from tarjama.eval.systems import System


# Width to measure a table at when asking how wide it wants to be, not how wide it may be.
UNLIMITED_WIDTH = 100_000


class EvalTask(str, Enum):
    """What ``eval`` scores: translations, or summaries (ROUGE)."""

    translation = "translation"
    summary = "summary"


@reports_errors
def evaluate(
    set_: SetOpt = None,
    ref: Annotated[list[Path] | None, typer.Option(
        "--ref", "-r", help="Reference file, one segment per line; repeat for several.")] = None,
    hyp: Annotated[list[Path] | None, typer.Option(
        "--hyp", help="A system's translation, one segment per line, or the records of "
        "'tarjama translate --format jsonl' (a .jsonl file: each paragraph a segment, with its "
        "confidence); repeat to compare systems (the first is the baseline).")] = None,
    src: Annotated[Path | None, typer.Option(
        "--src", help="Arabic source, one segment per line (with --ref).")] = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Translate the source with this model (preset, Hub id or folder) "
        "and score it; repeat to compare models. Default without --hyp: "
        f"{DEFAULT_TRANSLATION_MODEL}.")] = None,
    name: Annotated[list[str] | None, typer.Option(
        "--name", "-n", help="A short label for a system in tables and reports; repeat to label "
        "the systems in order (--hyp files first, then --model). Default: the file's name, or "
        "the model's last path part.")] = None,
    format: FormatOpt = EvalFormat.table,
    task: Annotated[EvalTask, typer.Option(
        "--task", help="translation: BLEU, chrF2, chrF2++, TER; summary: ROUGE of summary files.")
    ] = EvalTask.translation,
    report: ReportOpt = None,
    bootstrap: BootstrapOpt = DEFAULT_BOOTSTRAP,
    ar_trials: ArTrialsOpt = DEFAULT_AR_TRIALS,
    analyses: Annotated[bool, typer.Option(
        "--analyses/--no-analyses", help="compare-mt's analyses (word F-measure by frequency, "
        "BLEU by length, length differences, sentence-BLEU buckets, n-grams and sentences that "
        "differ most).")] = True,
    metric: Annotated[list[str] | None, typer.Option(
        "--metric", help="Add a neural metric: comet (Unbabel/wmt22-comet-da from the Hugging "
        "Face cache) or comet=MODEL (a COMET folder, .ckpt file or Hub id); needs the comet "
        "extra and a set with its source.")] = None,
    train_corpus: Annotated[Path | None, typer.Option(
        "--train-corpus", help="Count word frequencies for the word F-measure buckets in this "
        "training file (English, one segment per line) instead of the reference.")] = None,
    revision: RevisionOpt = None,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
) -> None:
    """Score translations (--hyp files, or the source translated now) against references.

    Several systems give a table with paired significance tests against the first.
    """
    if task is EvalTask.summary:
        if report is not None or name:
            option = "--report" if report is not None else "--name"
            raise InputError(f"{option} belongs to translation scoring; drop it with --task summary")
        from tarjama.cli.summary_eval import run_summary_eval

        run_summary_eval(hyp, ref, format.value, n_bootstrap=bootstrap, src=src, set_=set_,
                         model=model)
        return
    hyp, ref, model, name = hyp or [], ref or [], model or [], name or []
    training = read_lines(train_corpus) if train_corpus is not None else None
    neural = [_neural_metric(spec) for spec in metric or []]
    translate_with = [TranslatorSettings(ModelSettings(spec, revision=revision, backend=backend,
                                                       device=device, compute_type=compute_type),
                                         GenerationOptions(num_beams=beams))
                      for spec in model or ([] if hyp else [DEFAULT_TRANSLATION_MODEL])]
    refset = _reference_set(set_, ref, src)
    if not hyp and not model and refset.sources is None:
        raise InputError("nothing to score: give either --hyp FILE (a translation to score) or "
                         "--src FILE (an Arabic source to translate and score)")
    if model and refset.sources is None:
        raise InputError("--model translates the source, but no source was given; add --src FILE")
    reference_names = ([str(p) for p in ref] if set_ is None
                       else [f"{refset.name} reference {n + 1}" for n in range(len(refset.references))])
    specs = [settings.model.model for settings in translate_with]
    labels = _labels(name, _names([p.name for p in hyp], [str(p) for p in hyp])
                     + _names([Path(spec).name or spec for spec in specs], specs))
    systems = [_read_system(path, label, refset, reference_names)
               for path, label in zip(hyp, labels, strict=False)]
    for settings, label in zip(translate_with, labels[len(hyp):], strict=True):
        if refset.sources is None:  # ruled out above: a model is only run with a source
            raise InputError("--model translates the source, but no source was given; add --src FILE")
        systems.append(_translate(settings, label, refset.sources))
    from tarjama.eval.run import evaluate_systems

    with steps_progress() as progress:
        run = evaluate_systems(refset, systems, n_bootstrap=bootstrap, n_trials=ar_trials,
                               progress=progress, analyses=analyses, training=training,
                               training_name=str(train_corpus) if train_corpus else None,
                               neural=neural)
    if report is not None:
        from tarjama.eval import write_report

        html_path, json_path = write_report(run, report)
        err_console.print(f"wrote {html_path} and {json_path}")
    if format is EvalFormat.json:
        write_stdout(json.dumps(run.scores_record(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print_table(run)


def _neural_metric(spec: str):
    """The metric ``--metric`` names: ``comet`` or ``comet=MODEL``."""
    from tarjama.eval.neural import DEFAULT_COMET_MODEL, load_comet

    name, _, model = spec.partition("=")
    if name != "comet":
        raise InputError(f"--metric {spec}: unknown metric {name!r}; the neural metrics are: "
                         "comet (comet=MODEL for another checkpoint)")
    with progress_bar("loading COMET", unit="steps"):
        return load_comet(model or DEFAULT_COMET_MODEL)


def _reference_set(set_: str | None, ref: list[Path], src: Path | None) -> ReferenceSet:
    from tarjama.eval.refsets import load_reference_set, reference_set_from_files

    if set_ is not None:
        if ref or src is not None:
            raise InputError("--set already holds the source and the references; drop --src "
                             "and --ref")
        return load_reference_set(set_)
    if not ref:
        raise InputError("no reference given: pass --set SET, or --ref FILE with either --hyp "
                         "FILE or --src FILE")
    references = [read_lines(path) for path in ref]
    if src is not None:
        check_alignment(read_lines(src), references, str(src), [str(p) for p in ref])
    else:
        check_alignment(references[0], references, str(ref[0]), [str(p) for p in ref])
    return reference_set_from_files(ref, src, name=str(ref[0]))


def _names(short: Sequence[str], full: Sequence[str]) -> list[str]:
    """Short names unless two systems share one; then full names, numbered if still equal."""
    names = list(short) if len(set(short)) == len(short) else list(full)
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[index] = f"{name} #{seen[name]}"
    return names


def _labels(given: Sequence[str], defaults: Sequence[str]) -> list[str]:
    """The systems' labels: those given with --name, in order, then the defaults of the rest."""
    if len(given) > len(defaults):
        raise InputError(f"{len(given)} --name labels for {len(defaults)} systems; give at most "
                         "one --name per --hyp or --model, in the same order")
    labels = [*given, *defaults[len(given):]]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise InputError(f"two systems are labelled {repeated[0]!r}; give them different --name "
                         "labels")
    return labels


def _read_system(path: Path, name: str, refset: ReferenceSet,
                 reference_names: list[str]) -> System:
    from tarjama.eval.systems import read_system

    system = read_system(path, name)
    check_alignment(list(system.hypotheses), refset.references, str(path), reference_names)
    return system


def _translate(settings: TranslatorSettings, name: str, sources: Sequence[str]) -> System:
    from tarjama.eval.run import translate_system
    from tarjama.translation import Translator

    translator = Translator(settings)
    with progress_bar(f"translating with {name}") as progress:
        return translate_system(translator, sources, name, progress)


def _print_table(run: EvalRun) -> None:
    """The scores as a table on stdout, then every signature in full: beside the scores when one
    system's table fits the terminal, else below it (a table would cut them)."""
    from rich.table import Column, Table

    console = stdout_console(soft_wrap=True)
    title = f"{len(run.refset)} segments, {run.refset.name}"
    with_interval = run.n_bootstrap > 1
    if len(run.results) == 1:
        for with_signature in (True, False):
            table = Table("metric", "score", *(["95% CI"] if with_interval else []),
                          *(["signature"] if with_signature else []), title=title)
            for name, score in run.baseline.scores.items():
                table.add_row(DISPLAY_NAMES[name], f"{score.score:.2f}",
                              *([_interval(score.interval)] if with_interval else []),
                              *([score.signature] if with_signature else []))
            unlimited = console.options.update_width(UNLIMITED_WIDTH)
            if not with_signature or console.measure(table, options=unlimited).maximum <= console.width:
                break
        console.print(table)
        _print_signatures(console, run, plain=not with_signature)
        print_neural(console, run)
        print_confidence(console, run)
        print_details(console, run)
        return
    table = Table(Column("system", overflow="fold"), "metric", "score", "Δ",
                  *(["95% CI"] if with_interval else []), "p (paired bs)", "p (AR)",
                  title=title + f", baseline {run.baseline.system.name}",
                  caption=f"Δ: score - baseline's; * significant: p < {SIGNIFICANCE_LEVEL} in "
                          "every test run")
    for result in run.results:
        for position, metric in enumerate(METRIC_NAMES):
            score = result.scores[metric]
            paired = result.paired[metric] if result.paired is not None else None
            if paired is None:
                tests = ["baseline", "baseline"]
            elif result.identical_to_baseline:
                tests = ["identical outputs", "identical outputs"]
            else:
                tests = [_p(paired.p_bootstrap, paired.significant),
                         _p(paired.p_ar, paired.significant)]
            table.add_row(
                result.system.name if position == 0 else "", DISPLAY_NAMES[metric],
                f"{score.score:.2f}", "" if paired is None else f"{paired.difference:+.2f}",
                *([_interval(score.interval)] if with_interval else []), *tests,
                end_section=position == len(METRIC_NAMES) - 1)
    console.print(table)
    _print_signatures(console, run, plain=True)
    print_neural(console, run)
    print_confidence(console, run)
    print_details(console, run)


def _print_signatures(console, run: EvalRun, *, plain: bool) -> None:
    """Each metric's signatures, whole, one per line (the terminal wraps what is too long): the
    score's own (unless ``plain`` is false: the table holds it), its bootstrap's and its
    randomization test's; then the settings of each system translated in this run."""
    tested = run.results[1].paired if len(run.results) > 1 else None
    for metric in METRIC_NAMES:
        score = run.baseline.scores[metric]
        ar_signature = tested[metric].ar_signature if tested is not None else None
        lines = {"": score.signature if plain else None,
                 "95% CI" if tested is None else "95% CI, paired bs": score.interval_signature,
                 "AR": ar_signature}
        for what, signature in lines.items():
            if signature:
                label = DISPLAY_NAMES[metric] + (f" ({what})" if what else "")
                console.print(f"{label}: {signature}", highlight=False, markup=False)
    for result in run.results:
        if result.system.signature is not None:
            console.print(f"{result.system.name} translated with: {result.system.signature}",
                          highlight=False, markup=False)


def _interval(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f"[{interval[0]:.2f}, {interval[1]:.2f}]"


def _p(value: float | None, significant: bool) -> str:
    if value is None:
        return "-"
    return f"{value:.4f}" + (" *" if significant else "")
