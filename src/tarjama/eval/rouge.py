"""ROUGE of English summaries with Google's ``rouge-score`` package, with bootstrap intervals.

The scores are ``rouge_score.rouge_scorer.RougeScorer`` F-measures, averaged over documents and
multiplied by 100. For ROUGE-Lsum each summary is split into sentences with tarjama's segmenter and
the sentences put on separate lines, which is what ROUGE-Lsum reads; rouge-score's own tokenizer
(lowercased ASCII letters and digits) does the rest, so it suits English summaries only. The 95%
interval is a percentile bootstrap over documents (resampled with a seeded numpy generator, so it
is reproducible); the point score is the plain mean. rouge-score and nltk are imported only here,
when scores are computed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from tarjama._checks import checked
from tarjama.errors import InputError
from tarjama.eval.metrics import require_references
from tarjama.segment import SEGMENTER_VERSION, split_paragraphs
from tarjama.signature import Signature
from tarjama.textio import loads_jsonl, read_lines

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 12345
CONFIDENCE = 0.95


@dataclass(frozen=True)
class RougeScore:
    """One ROUGE variant over a corpus: mean F-measure, its 95% interval, P, R (all x100).

    ``low`` and ``high`` are ``None`` when the bootstrap was turned off (``n_bootstrap=0``).
    """

    name: str
    score: float
    low: float | None
    high: float | None
    precision: float
    recall: float
    signature: str

    def to_record(self) -> dict[str, object]:
        """The JSON form: score, interval, precision, recall and signature."""
        return {"score": self.score, "low": self.low, "high": self.high,
                "precision": self.precision, "recall": self.recall, "signature": self.signature}


def rouge_signature(*, nrefs: int, stem: bool, n_bootstrap: int, seed: int) -> str:
    """The settings that reproduce a ROUGE score, sacrebleu style."""
    return str(Signature.of(
        [("nrefs", nrefs), ("stem", "yes" if stem else "no"), ("lsum-split", "yes"),
         ("bootstrap", n_bootstrap), ("seed", seed), ("segmenter", SEGMENTER_VERSION),
         ("version", metadata.version("rouge-score"))], name="rouge"))


def lines_of_sentences(summary: str) -> str:
    """The summary's sentences one per line, the form ROUGE-Lsum expects."""
    return "\n".join(s.text for p in split_paragraphs(summary) for s in p.sentences)


@checked
def score_summaries(hypotheses: Sequence[str], references: Sequence[Sequence[str]], *,
                    stem: bool = True, n_bootstrap: int = DEFAULT_BOOTSTRAP,
                    seed: int = DEFAULT_SEED) -> dict[str, RougeScore]:
    """ROUGE-1, -2, -L and -Lsum of ``hypotheses`` against one or more reference sets.

    Each reference set is a list aligned with the hypotheses; with several, each document is scored
    against the reference that gives the highest F-measure (``RougeScorer.score_multi``).
    ``n_bootstrap`` resamples of the documents give the 95% intervals; 0 gives none.
    """
    import numpy as np
    from rouge_score import rouge_scorer

    require_references(references)
    for number, reference in enumerate(references, 1):
        if len(reference) != len(hypotheses):
            raise InputError(f"{len(hypotheses)} summaries but reference set {number} has "
                             f"{len(reference)}; they must be aligned")
    if not hypotheses:
        raise InputError("no summaries to score")
    if n_bootstrap < 0:
        raise InputError(f"the number of bootstrap samples cannot be negative ({n_bootstrap})")
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    # (document, rouge type, precision/recall/fmeasure)
    table = np.array([
        [tuple(scores[name]) for name in ROUGE_TYPES]
        for scores in (scorer.score_multi([lines_of_sentences(r[i]) for r in references],
                                          lines_of_sentences(hypothesis))
                       for i, hypothesis in enumerate(hypotheses))
    ]) * 100
    mean = table.mean(axis=0)
    bounds = _bootstrap(table[:, :, 2], n_bootstrap, seed)
    signature = rouge_signature(nrefs=len(references), stem=stem, n_bootstrap=n_bootstrap,
                                seed=seed)
    low, high = ([None] * len(ROUGE_TYPES),) * 2 if bounds is None else bounds
    return {name: RougeScore(name, _round(mean[k, 2]), _round_bound(low[k]), _round_bound(high[k]),
                             _round(mean[k, 0]), _round(mean[k, 1]), signature)
            for k, name in enumerate(ROUGE_TYPES)}


def _bootstrap(f1, n_bootstrap: int, seed: int):
    """Percentile bounds of the mean of each column of ``f1`` (documents x measures), or ``None``."""
    import numpy as np

    if n_bootstrap == 0:
        return None
    rng = np.random.default_rng(seed)
    means = np.array([f1[rng.integers(0, len(f1), len(f1))].mean(axis=0)
                      for _ in range(n_bootstrap)])
    tail = 100 * (1 - CONFIDENCE) / 2
    return np.percentile(means, [tail, 100 - tail], axis=0)


def _round(value) -> float:
    return round(float(value), 4)


def _round_bound(value) -> float | None:
    return None if value is None else _round(value)


@dataclass(frozen=True)
class SummaryFile:
    """Summaries read from a file; ``ids`` is set when the file is JSONL with an ``id`` per record."""

    name: str
    summaries: tuple[str, ...]
    ids: tuple[str, ...] | None = None


def read_summaries(path: str | Path) -> SummaryFile:
    """Read one summary per line, or JSONL records ``{"id": ..., "summary": ...}``.

    A file whose first non-blank line starts with ``{`` is read as JSONL; ids are optional, but
    either every record has one or none does.
    """
    lines = read_lines(path)
    name = str(path)
    first = next((line for line in lines if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return SummaryFile(name, tuple(lines))
    records = loads_jsonl("\n".join(lines), name, _summary_problem)
    with_id = sum("id" in record for record in records)
    if with_id not in (0, len(records)):
        raise InputError(f'{name}: {len(records) - with_id} of {len(records)} records have no "id"; '
                         "give every record an id, or none")
    summaries = tuple(record["summary"] for record in records)
    if not with_id:
        return SummaryFile(name, summaries)
    ids = tuple(str(record["id"]) for record in records)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"{name}: duplicate ids {_some(duplicates)}; each summary needs its own id")
    return SummaryFile(name, summaries, ids)


def _summary_problem(record: Any) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("summary"), str):
        return 'expected a JSON object with a "summary" string'
    return None


def align_summaries(hypotheses: SummaryFile,
                    references: Sequence[SummaryFile]) -> tuple[list[str], list[list[str]]]:
    """Hypotheses and reference sets in the same order: by id when both files have ids, else by
    position (then they must have the same number of summaries)."""
    require_references(references)
    aligned = []
    for reference in references:
        if hypotheses.ids is not None and reference.ids is not None:
            by_id = dict(zip(reference.ids, reference.summaries, strict=True))
            only_hyp = [i for i in hypotheses.ids if i not in by_id]
            only_ref = sorted(set(reference.ids) - set(hypotheses.ids))
            if only_hyp or only_ref:
                raise InputError(
                    f"{hypotheses.name} and {reference.name} have different ids: "
                    f"{len(only_hyp)} only in {hypotheses.name} {_some(only_hyp)}, "
                    f"{len(only_ref)} only in {reference.name} {_some(only_ref)}")
            aligned.append([by_id[i] for i in hypotheses.ids])
        else:
            if len(reference.summaries) != len(hypotheses.summaries):
                raise InputError(
                    f"{hypotheses.name} has {len(hypotheses.summaries)} summaries but "
                    f"{reference.name} has {len(reference.summaries)}; they must be aligned (or "
                    'both JSONL with an "id" per record)')
            aligned.append(list(reference.summaries))
    return list(hypotheses.summaries), aligned


def _some(items: Sequence[str], shown: int = 3) -> str:
    listed = ", ".join(repr(item) for item in items[:shown])
    return f"({listed}{', ...' if len(items) > shown else ''})"
