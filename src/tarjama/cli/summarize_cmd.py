"""``tarjama summarize``: an English summary of an Arabic (or English) article."""
from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from tarjama.cli._common import (
    BackendOpt, BeamsOpt, ComputeTypeOpt, DeviceOpt, InputArg, ModelOpt, OutputOpt, RevisionOpt,
    emit, err_console, progress_bar, reports_errors,
)
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL
from tarjama.textio import read_text


class SummaryFormat(str, Enum):
    """Formats of ``summarize``'s output."""

    text = "text"
    json = "json"


@reports_errors
def summarize(
    source: InputArg = "-",
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    summarizer: Annotated[str, typer.Option(
        help="Summarization model: preset (distilbart), Hub id, or local folder.")
    ] = DEFAULT_SUMMARIZER,
    revision: RevisionOpt = None,
    summarizer_revision: Annotated[Optional[str], typer.Option(
        help="Hub revision of the summarization model.")] = None,
    output: OutputOpt = None,
    format: Annotated[SummaryFormat, typer.Option(
        "--format", "-f", help="text: the summary; json: summary, chunks and signatures.")
    ] = SummaryFormat.text,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
) -> None:
    """Summarize an article in English; Arabic input is translated first."""
    from tarjama.pipeline import Pipeline

    text = read_text(source)
    pipeline = Pipeline(model, summarizer, revision=revision,
                        summarizer_revision=summarizer_revision, backend=backend, device=device,
                        compute_type=compute_type, num_beams=beams)
    with progress_bar("translating") as progress:
        result = pipeline.summarize(text, progress)
    chunks = len([c for c in result.summary.chunks if c.round == 1])
    if chunks > 1:
        err_console.print(f"the article was longer than the summarizer's input limit: summarized "
                          f"in {chunks} chunks over {result.summary.rounds} rounds")
    if format is SummaryFormat.json:
        emit(json.dumps(result.to_record(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(result.summary.text + "\n", output)
