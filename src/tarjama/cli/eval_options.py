"""The options that ``eval`` and ``eval-backends`` share, written once so they cannot drift apart."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class EvalFormat(str, Enum):
    """Formats of the evaluation commands' output."""

    table = "table"
    json = "json"


SetOpt = Annotated[str | None, typer.Option(
    "--set", "-s", help="Reference set: a folder, a manifest (.json), a TSV (src<TAB>ref) or "
    "JSONL ({\"src\",\"ref\"}) file, or a sacrebleu test set name (iwslt17) from its cache.")]
ReportOpt = Annotated[Path | None, typer.Option(
    "--report", help="Write report.html and results.json into this folder.")]
FormatOpt = Annotated[EvalFormat, typer.Option("--format", "-f")]
BootstrapOpt = Annotated[int, typer.Option(
    "--bootstrap", min=0, help="Bootstrap resamples for 95% intervals and the paired "
    "bootstrap test; 0 turns them off.")]
ArTrialsOpt = Annotated[int, typer.Option(
    "--ar-trials", min=0, help="Approximate randomization trials; 0 turns the test off.")]
