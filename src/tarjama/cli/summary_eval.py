"""``tarjama eval --task summary``: ROUGE of summaries against reference summaries."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tarjama.cli._common import stdout_console, write_stdout
from tarjama.errors import InputError
from tarjama.eval.rouge import DEFAULT_BOOTSTRAP


def run_summary_eval(hyp: Sequence[Path] | None, refs: Sequence[Path] | None,
                     format: str = "table", *, n_bootstrap: int = DEFAULT_BOOTSTRAP,
                     src: Path | None = None, set_: str | None = None,
                     model: Sequence[str] | None = None) -> None:
    """Score the summaries of one ``hyp`` file against ``refs``; print a table or JSON (``format``).

    Each file holds one summary per line, or JSONL records ``{"id", "summary"}`` (matched by id
    when both sides have ids). ``n_bootstrap`` resamples give the 95% intervals (0: none).
    ``src``, ``set_`` and ``model`` belong to translation scoring and are refused when given.
    """
    from tarjama.eval.rouge import align_summaries, read_summaries, score_summaries

    given = [name for name, value in (("--src", src), ("--set", set_), ("--model", model)) if value]
    if given:
        raise InputError(f"--task summary scores summary files; {', '.join(given)} "
                         "belongs to translation scoring: give --hyp FILE and --ref FILE")
    if not hyp or len(hyp) != 1:
        raise InputError("--task summary scores one --hyp FILE of summaries at a time; make them "
                         "with `tarjama summarize`")
    if not refs:
        raise InputError("no reference given; pass --ref FILE of reference summaries")
    hypotheses, references = align_summaries(read_summaries(hyp[0]),
                                             [read_summaries(path) for path in refs])
    scores = score_summaries(hypotheses, references, n_bootstrap=n_bootstrap)
    if format == "json":
        record = {name: score.to_record() for name, score in scores.items()}
        write_stdout(json.dumps(record, indent=2) + "\n")
        return
    from rich.table import Table

    signature = next(iter(scores.values())).signature
    table = Table("metric", "F1", "95% CI", "P", "R",
                  title=f"{len(hypotheses)} summaries, ROUGE F-measure x100", caption=signature)
    for name, score in scores.items():
        interval = "-" if score.low is None else f"[{score.low:.2f}, {score.high:.2f}]"
        table.add_row(name, f"{score.score:.2f}", interval, f"{score.precision:.2f}",
                      f"{score.recall:.2f}")
    stdout_console(soft_wrap=True).print(table)
