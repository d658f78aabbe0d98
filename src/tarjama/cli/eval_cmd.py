"""``tarjama eval``: BLEU, chrF2, chrF2++ and TER of a translation against references."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from tarjama.cli._common import (
    BackendOpt, BeamsOpt, ComputeTypeOpt, DeviceOpt, ModelOpt, RevisionOpt, progress_bar,
    reports_errors, write_stdout,
)
from tarjama.errors import InputError
from tarjama.eval import check_alignment, score_corpus
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.textio import read_lines


class EvalFormat(str, Enum):
    """Formats of ``eval``'s output."""

    table = "table"
    json = "json"


@reports_errors
def evaluate(
    ref: Annotated[list[Path], typer.Option(
        "--ref", "-r", help="Reference file, one segment per line; repeat for several.")],
    hyp: Annotated[Optional[Path], typer.Option(
        "--hyp", help="Translation to score, one segment per line.")] = None,
    src: Annotated[Optional[Path], typer.Option(
        "--src", help="Arabic source, one segment per line: translate it, then score.")] = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f")] = EvalFormat.table,
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
) -> None:
    """Score a translation (--hyp, or --src translated now) against one or more references."""
    if (hyp is None) == (src is None):
        raise InputError("give either --hyp FILE (a translation to score) or --src FILE "
                         "(an Arabic source to translate and score), not both or neither")
    references = [read_lines(path) for path in ref]
    if hyp is not None:
        hypotheses = read_lines(hyp)
        check_alignment(hypotheses, references, str(hyp), [str(p) for p in ref])
    else:
        sources = read_lines(src)
        check_alignment(sources, references, str(src), [str(p) for p in ref])
        hypotheses = _translate_lines(sources, model, revision, backend, device, compute_type, beams)
    scores = score_corpus(hypotheses, references)
    if format is EvalFormat.json:
        record = {name: score.to_record() for name, score in scores.items()}
        write_stdout(json.dumps(record, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("metric", "score", "signature", title=f"{len(hypotheses)} segments")
    for name, score in scores.items():
        table.add_row(name, f"{score.score:.2f}", score.signature)
    Console(soft_wrap=True).print(table)


def _translate_lines(lines: list[str], model: str, revision: str | None, backend: str,
                     device: str, compute_type: str, beams: int | None) -> list[str]:
    from tarjama.translate import Translator

    translator = Translator(model, revision=revision, backend=backend, device=device,
                            compute_type=compute_type, num_beams=beams)
    with progress_bar("translating") as progress:
        return translator.translate_sentences(lines, progress)
