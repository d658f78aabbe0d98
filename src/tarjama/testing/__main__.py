"""``python -m tarjama.testing make-models DIR``: build the tiny test models and print their paths."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tarjama.testing.tiny import make_models

app = typer.Typer(
    name="python -m tarjama.testing",
    help="Helpers for testing tarjama.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _group() -> None:
    """Helpers for testing tarjama."""


@app.command("make-models")
def make_models_command(
    directory: Annotated[Path, typer.Argument(help="Folder to build the models in (reused if built).")],
) -> None:
    """Build the tiny Marian and summarizer models under DIRECTORY; print their two paths."""
    models = make_models(directory)
    typer.echo(models.marian)
    typer.echo(models.summarizer)


if __name__ == "__main__":
    app()
