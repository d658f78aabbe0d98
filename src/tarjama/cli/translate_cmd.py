"""``tarjama translate``: Arabic text in, English out, one line per paragraph (or JSONL)."""
from __future__ import annotations

from typing import Annotated

import typer

from tarjama.cli._common import (
    BackendOpt, BeamsOpt, ComputeTypeOpt, DeviceOpt, InputArg, ModelOpt, OutputFormat, OutputOpt,
    RevisionOpt, emit, progress_bar, reports_errors,
)
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.textio import read_text


@reports_errors
def translate(
    source: InputArg = "-",
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    output: OutputOpt = None,
    format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text: one line per paragraph; jsonl: one record per sentence.")
    ] = OutputFormat.text,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
) -> None:
    """Translate an Arabic article into English, keeping its paragraphs in order."""
    from tarjama.translate import Translator

    text = read_text(source)
    translator = Translator(model, revision=revision, backend=backend, device=device,
                            compute_type=compute_type, num_beams=beams)
    with progress_bar("translating") as progress:
        result = translator.translate(text, progress)
    emit(result.to_jsonl() if format is OutputFormat.jsonl else result.text + "\n", output)
