"""Accuracy of the Arabizi and dialect detector (tarjama.terms.varieties) on a labelled list.

``benchmarks/data/varieties.tsv``: MSA and English sentences from FLORES-200 devtest (CC BY-SA 4.0),
and dialect, Arabizi, MSA and English sentences written for tarjama (names and words that look
like dialect or Arabizi but are not). Each sentence is labelled msa, dialect, arabizi or english.

    python benchmarks/varieties_accuracy.py

Prints, per label, how many sentences were flagged arabizi and dialect, and each flag's precision
and recall.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from tarjama.language import needs_translation
from tarjama.terms.varieties import ARABIZI, DIALECT, is_arabizi, is_dialect

DATA = Path(__file__).with_name("data") / "varieties.tsv"
LABELS = ("msa", "dialect", "arabizi", "english")


def read_list(path: Path = DATA) -> list[tuple[str, str]]:
    """(label, text) of every line of the labelled list."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        label, _, text = line.split("\t", 2)
        rows.append((label, text))
    return rows


def flag(text: str) -> str | None:
    """The flag the translator gives a sentence: arabizi, dialect or none."""
    if not needs_translation(text):
        return ARABIZI if is_arabizi(text) else None
    return DIALECT if is_dialect(text) else None


def table(rows: list[tuple[str, str]]) -> str:
    counts: Counter[tuple[str, str | None]] = Counter((label, flag(text)) for label, text in rows)
    totals = Counter(label for label, _ in rows)
    lines = ["| label | sentences | flagged arabizi | flagged dialect | not flagged |",
             "|---|---:|---:|---:|---:|"]
    for label in LABELS:
        lines.append(f"| {label} | {totals[label]} | {counts[label, ARABIZI]} | "
                     f"{counts[label, DIALECT]} | {counts[label, None]} |")
    lines.append("")
    lines.append("| flag | precision | recall |")
    lines.append("|---|---:|---:|")
    for name, label in ((ARABIZI, "arabizi"), (DIALECT, "dialect")):
        flagged = sum(n for (_, f), n in counts.items() if f == name)
        right = counts[label, name]
        precision = right / flagged if flagged else 0.0
        lines.append(f"| {name} | {precision:.3f} ({right}/{flagged}) | "
                     f"{right / totals[label]:.3f} ({right}/{totals[label]}) |")
    correct = sum(counts[label, {"arabizi": ARABIZI, "dialect": DIALECT}.get(label)]
                  for label in LABELS)
    lines.append("")
    lines.append(f"accuracy over all {len(rows)} sentences: {correct / len(rows):.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(table(read_list()) + "\n")
