"""The standard-error console every command writes its messages to, and its ``warning:`` line.

It sits below both the commands' shared helpers (:mod:`tarjama.cli._common`) and the progress
reporting (:mod:`tarjama.cli.reporting`), so that neither has to import the other for it.
"""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True, highlight=False)


def warn(message: str) -> None:
    """One ``warning:`` line on standard error (``message`` is plain text, not markup)."""
    err_console.print(f"[yellow]warning:[/] {escape(message)}", soft_wrap=True, highlight=False)
