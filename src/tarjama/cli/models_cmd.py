"""``tarjama models``: the models tarjama knows and whether each is on this machine."""
from __future__ import annotations

from rich.table import Table

from tarjama.cli._common import reports_errors, stdout_console
from tarjama.models import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATION_MODEL,
    PRESETS,
    SUMMARIZATION,
    TRANSLATION,
    cached_path,
    hf_cache_dir,
)

_DEFAULTS = {TRANSLATION: DEFAULT_TRANSLATION_MODEL, SUMMARIZATION: DEFAULT_SUMMARIZER}


@reports_errors
def models() -> None:
    """List the translation and summarization presets and whether each is cached locally."""
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
    console.print("Models not cached are downloaded on first use into the Hugging Face cache "
                  f"({hf_cache_dir()}); set HF_HUB_OFFLINE=1 to never use the network.")
