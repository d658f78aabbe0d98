"""Small reference sets and system outputs written as files, as a user gives them to eval."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def write_set(path: Path, sources: Sequence[str], references: Sequence[str]) -> Path:
    """A reference set as a TSV file: one source and its reference a line."""
    path.write_text("".join(f"{s}\t{r}\n" for s, r in zip(sources, references, strict=True)),
                    encoding="utf-8")
    return path


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    """One segment a line, as a system's output or a reference file."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
