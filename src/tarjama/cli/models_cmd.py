"""``tarjama models``: the models tarjama knows, whether each is on this machine, and fetching
them ahead of an offline run."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tarjama.cli._common import err_console, reports_errors, stdout_console, write_stdout
from tarjama.models import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATION_MODEL,
    PRESETS,
    SUMMARIZATION,
    TRANSLATION,
    DownloadedModel,
    cached_path,
    download_model,
    hf_cache_dir,
)

_DEFAULTS = {TRANSLATION: DEFAULT_TRANSLATION_MODEL, SUMMARIZATION: DEFAULT_SUMMARIZER}

DownloadOpt = Annotated[list[str] | None, typer.Option(
    "--download", metavar="NAME",
    help="Download this model (a preset or a Hub id org/name) into the Hugging Face cache for "
         "later offline runs, and print its size and folder. Repeat for several.")]


@reports_errors
def models(download: DownloadOpt = None) -> None:
    """List the translation and summarization presets and whether each is cached locally, or
    download models ahead of time with --download."""
    if download:
        for name in download:
            write_stdout(downloaded_line(download_model(name)) + "\n")
        err_console.print("Later runs find these in the Hugging Face cache; set HF_HUB_OFFLINE=1 to "
                          "never use the network.", soft_wrap=True, highlight=False)
        return
    table = Table(box=None, caption="* default", caption_justify="left")
    table.add_column("preset", no_wrap=True)
    table.add_column("model", no_wrap=True)
    table.add_column("local", no_wrap=True)
    table.add_column("about")
    for task in (TRANSLATION, SUMMARIZATION):
        table.add_row(f"[bold]{task}[/]")
        for preset in (p for p in PRESETS if p.task == task):
            name = preset.name + ("*" if _DEFAULTS[task] == preset.name else "")
            local = "[green]cached[/]" if cached_path(preset.model_id) else "[yellow]not cached[/]"
            table.add_row(f"  {name}", preset.model_id, local, f"[dim]{preset.description}[/]")
    console = stdout_console()
    console.print(table)
    console.print(f"Models not cached are downloaded on first use into the Hugging Face cache "
                  f"({escape(hf_cache_dir())}), or ahead of time with `tarjama models --download NAME`; "
                  "set HF_HUB_OFFLINE=1 to never use the network.")


def downloaded_line(model: DownloadedModel) -> str:
    """``best: Helsinki-NLP/opus-mt-tc-big-ar-en@0123456789ab, 1.2 GB, downloaded to FOLDER``."""
    shown = model.model_id if model.name == model.model_id else f"{model.name}: {model.model_id}"
    done = "already cached in" if model.already_cached else "downloaded to"
    return f"{shown}@{model.revision[:12]}, {file_size(model.size)}, {done} {model.path}"


def file_size(size: int) -> str:
    """``812 B``, ``48.2 kB``, ``312.4 MB``, ``1.2 GB``: decimal units, as the Hub shows sizes."""
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "kB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"
