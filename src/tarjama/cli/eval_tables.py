"""``tarjama eval``'s tables beyond the scores: BLEU's parts, document intervals and compare-mt's
analyses. Figures are rounded here only; the JSON keeps them whole."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from tarjama.eval.metrics import DISPLAY_NAMES, METRIC_NAMES

if TYPE_CHECKING:
    from tarjama.eval.analysis import Analysis, SentenceBucket
    from tarjama.eval.run import EvalRun


def print_details(console: Console, run: EvalRun) -> None:
    """BLEU's parts per system; document-level intervals when the set has documents; then the
    analyses."""
    names = [r.system.name for r in run.results]
    table = Table("BLEU", *names, title="What BLEU is made of (13a tokens)")
    details = [r.bleu_details for r in run.results]
    if all(d is not None for d in details):
        for order in range(4):
            table.add_row(f"{order + 1}-gram precision",
                          *(f"{d.precisions[order]:.2f}" for d in details if d is not None))
        table.add_row("brevity penalty", *(f"{d.brevity_penalty:.4f}" for d in details if d))
        table.add_row("hypothesis length", *(str(d.hyp_len) for d in details if d))
        table.add_row("reference length", *(str(d.ref_len) for d in details if d))
        table.add_row("length ratio", *(f"{d.ratio:.4f}" for d in details if d))
        console.print(table)
    _print_documents(console, run)
    if run.analysis is not None:
        print_analysis(console, run.analysis)


def print_neural(console: Console, run: EvalRun) -> None:
    """Neural metrics (COMET): score, interval and the paired tests, with their signatures."""
    names = list(run.baseline.neural)
    if not names:
        return
    table = Table("system", "metric", "score", "Δ", "95% CI", "p (paired bs)", "p (AR)",
                  title="Neural metrics (mean of segment scores)")
    for result in run.results:
        for name in names:
            score, paired = result.neural[name]
            table.add_row(result.system.name, name, f"{score.score:.4f}",
                          "" if paired is None else f"{paired.difference:+.4f}",
                          _interval(score.interval, 4),
                          *(["baseline"] * 2 if paired is None else
                            [_p(paired.p_bootstrap, paired.significant),
                             _p(paired.p_ar, paired.significant)]))
    console.print(table)
    for name in names:
        console.print(f"{name}: {run.baseline.neural[name][0].signature}", highlight=False,
                      markup=False)


def print_confidence(console: Console, run: EvalRun) -> None:
    """For each system translated with confidence: how its confidence tracks sentence chrF2."""
    shown = [r for r in run.results if r.confidence is not None]
    if not shown:
        return
    table = Table("system", "segments", "Spearman ρ (segments)", "confidence bin", "mean chrF2",
                  title="Confidence against sentence chrF2 (least to most confident)",
                  caption="low_confidence: the segments below the threshold, their mean chrF2 "
                          "against the others'")
    for result in shown:
        view = result.confidence
        if view is None:
            continue
        rho = ("-" if view.spearman is None else f"{view.spearman:+.2f}") + f" ({view.segments})"
        for position, part in enumerate(view.bins):
            table.add_row(result.system.name if position == 0 else "",
                          str(part.segments), rho if position == 0 else "",
                          f"{part.low:.2f}-{part.high:.2f}", f"{part.mean_chrf:.1f}")
        flagged = "-" if view.flagged_chrf is None else f"{view.flagged_chrf:.1f}"
        others = "-" if view.others_chrf is None else f"{view.others_chrf:.1f}"
        table.add_row("", str(view.flagged), "", f"low_confidence (< {view.threshold})",
                      f"{flagged} / {others}", end_section=True)
    console.print(table)


def _p(value: float | None, significant: bool) -> str:
    return "-" if value is None else f"{value:.4f}" + (" *" if significant else "")


def _print_documents(console: Console, run: EvalRun) -> None:
    if not all(r.document_intervals for r in run.results):
        return
    table = Table("system", "metric", "95% CI (sentences)", "95% CI (documents)",
                  *(["p (documents)"] if len(run.results) > 1 else []),
                  title=f"Sentence against document bootstrap ({len(run.refset.documents)} "
                        f"documents, {run.n_bootstrap} resamples)")
    for result in run.results:
        intervals = result.document_intervals or {}
        for position, metric in enumerate(METRIC_NAMES):
            sentence = result.scores[metric].interval
            document = intervals[metric]
            row = [result.system.name if position == 0 else "", DISPLAY_NAMES[metric],
                   _interval(sentence), _interval(document.interval)]
            if len(run.results) > 1:
                row.append("baseline" if document.p_value is None else f"{document.p_value:.4f}")
            table.add_row(*row, end_section=position == len(METRIC_NAMES) - 1)
    console.print(table)


def _interval(interval: tuple[float, float] | None, places: int = 2) -> str:
    return "" if interval is None else f"[{interval[0]:.{places}f}, {interval[1]:.{places}f}]"


def _bucket_table(title: str, header: str, systems: Sequence[str],
                  buckets: Sequence[Sequence[SentenceBucket]], bleu: bool) -> Table:
    table = Table(header, *(["segments"] if bleu else []), *systems, title=title)
    for row in zip(*buckets, strict=True):
        cells = [f"{b.bleu:.4f}" if bleu and b.bleu is not None else str(b.segments) for b in row]
        table.add_row(row[0].bucket, *([str(row[0].segments)] if bleu else []), *cells)
    return table


def print_analysis(console: Console, analysis: Analysis) -> None:
    """compare-mt's analyses as tables, to 4 decimals as compare-mt prints them."""
    systems = analysis.systems
    names = [s.name for s in systems]
    overall = Table("", *names, title="compare-mt: aggregate scores (13a tokens)")
    overall.add_row("BLEU", *(f"{s.bleu:.4f}" for s in systems))
    overall.add_row("length ratio", *(f"{s.length_ratio:.4f}" for s in systems))
    console.print(overall)
    words = Table("frequency", "reference words", *names,
                  title=f"Word F-measure by frequency bucket (frequency: {analysis.frequency_source})")
    for index, bucket in enumerate(systems[0].word_accuracy):
        words.add_row(bucket.bucket, str(bucket.reference_words),
                      *(f"{s.word_accuracy[index].f_measure:.4f}" for s in systems))
    console.print(words)
    console.print(_bucket_table("BLEU by reference length (tokens)", "length", names,
                                [s.bleu_by_reference_length for s in systems], bleu=True))
    console.print(_bucket_table("Sentences by length difference (output - reference, tokens)",
                                "difference", names, [s.length_difference for s in systems],
                                bleu=False))
    console.print(_bucket_table("Sentences by sentence BLEU", "sentence BLEU", names,
                                [s.sentence_bleu_buckets for s in systems], bleu=False))
    for pair in analysis.pairs:
        for better, rows in ((pair.baseline, pair.ngrams_baseline_better),
                             (pair.system, pair.ngrams_system_better)):
            table = Table("n-gram", "score", pair.baseline, pair.system,
                          title=f"n-grams {better} matches more often ({pair.baseline} vs "
                                f"{pair.system}; top {len(rows)})")
            for row in rows:
                table.add_row(row.ngram, f"{row.score:.4f}", str(row.baseline), str(row.system))
            console.print(table)
        for better, sentences in ((pair.baseline, pair.sentences_baseline_better),
                                  (pair.system, pair.sentences_system_better)):
            table = Table("line", "Δ sentence BLEU", pair.baseline, pair.system,
                          title=f"Sentences where {better} is most ahead")
            for sentence in sentences:
                table.add_row(str(sentence.line), f"{sentence.difference:+.4f}",
                              f"{sentence.baseline:.4f}", f"{sentence.system:.4f}")
            console.print(table)
