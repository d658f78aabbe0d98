"""The ``tarjama`` command line: a thin layer over the library.

Data goes to standard output, progress and messages to standard error, so commands compose in pipes.
Heavy libraries (torch, transformers) are imported only inside the commands that need them.
"""
from __future__ import annotations

import typer

from tarjama._version import __version__
from tarjama.cli import (
    eval_cmd,
    models_cmd,
    segment_cmd,
    serve_cmd,
    shortlist_cmd,
    summarize_cmd,
    translate_cmd,
)
from tarjama.cli._common import show_library_warnings

app = typer.Typer(
    name="tarjama",
    help="Arabic news to English: split sentences, translate, summarize and score.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"tarjama {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Arabic news to English: split sentences, translate, summarize and score."""
    show_library_warnings()


#: One example per command, shown at the end of its --help.
EXAMPLES = {
    "segment": "tarjama segment article.txt > sentences.txt",
    "translate": "tarjama translate article.txt -o article.en.txt",
    "summarize": "tarjama summarize article.txt --max-words 60",
    "eval": "tarjama eval --set flores.json --hyp a.en --hyp b.en --name base --name mine",
    "models": "tarjama models --download best --download distilbart",
    "serve": "tarjama serve --port 5000 --api-keys keys.txt",
}


def _epilog(command: str) -> str:
    return f"[bold]Example:[/] {EXAMPLES[command]}"


app.command("segment", epilog=_epilog("segment"))(segment_cmd.segment)
app.command("translate", epilog=_epilog("translate"))(translate_cmd.translate)
app.command("summarize", epilog=_epilog("summarize"))(summarize_cmd.summarize)
app.command("eval", epilog=_epilog("eval"))(eval_cmd.evaluate)
app.command("models", epilog=_epilog("models"))(models_cmd.models)
app.command("serve", epilog=_epilog("serve"))(serve_cmd.serve)
app.add_typer(shortlist_cmd.app, name="shortlist")


def main() -> None:
    """Entry point of the ``tarjama`` console script."""
    app()
