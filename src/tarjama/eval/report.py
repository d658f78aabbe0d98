"""The report of an evaluation run: ``report.html`` (self-contained) and ``results.json``.

The HTML embeds its plots as base64 PNG and its style inline, so it opens from disk, offline, and
can be mailed as one file. Every text from the data is escaped; Arabic cells are right-to-left.
"""
from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from tarjama._checks import checked
from tarjama.eval.metrics import DISPLAY_NAMES, LOWER_IS_BETTER, METRIC_NAMES
from tarjama.eval.sentence_view import STYLE as SENTENCE_VIEW_STYLE
from tarjama.eval.sentence_view import doc_label, sentence_view
from tarjama.eval.significance import SIGNIFICANCE_LEVEL, PairedResult
from tarjama.eval.systems import flag_summary
from tarjama.textio import write_text_atomic

if TYPE_CHECKING:
    # Types only: run.py imports this module (lazily) to show a run in a notebook.
    from tarjama.eval.analysis import Analysis, SentenceBucket
    from tarjama.eval.run import EvalRun, SystemResult

REPORT_HTML = "report.html"
RESULTS_JSON = "results.json"
PLOT_DPI = 110
# Colour-blind-safe (Okabe-Ito) colours, one per system.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 1200px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { border: 1px solid #ddd; padding: .35rem .6rem; vertical-align: top; text-align: left; }
th { background: #f4f4f4; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.ci { color: #666; font-size: .85em; } .p { font-size: .8em; color: #666; display: block; }
.sig { color: #0a7d2c; font-weight: 600; } .ns { color: #a15c00; }
table.worst { width: 100%; table-layout: fixed; font-size: .9em; }
table.worst col.n { width: 3.2rem; } table.worst col.doc { width: 9rem; }
table.worst col.score { width: 4.2rem; }
table.worst td { overflow-wrap: anywhere; }
td[dir=rtl] { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Arial", sans-serif;
              font-size: 1.05em; text-align: right; }
code { font-size: .85em; background: #f6f6f6; padding: 0 .2rem; overflow-wrap: anywhere; }
img { max-width: 100%; }
.wide { overflow-x: auto; }  /* a table wider than the page scrolls, not the page */
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .35em; border-radius: 2px; }
"""


@checked
def write_report(run: EvalRun, directory: str | Path) -> tuple[Path, Path]:
    """Write ``report.html`` and ``results.json`` into ``directory``; return their paths."""
    folder = Path(directory)
    html_path, json_path = folder / REPORT_HTML, folder / RESULTS_JSON
    write_text_atomic(json_path, json.dumps(run.to_record(), indent=2, ensure_ascii=False) + "\n")
    write_text_atomic(html_path, render_html(run))
    return html_path, json_path


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def render_html(run: EvalRun) -> str:
    """The whole report as one HTML document."""
    refset = run.refset
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>tarjama evaluation: {_e(refset.name)}</title>"
        f"<style>{STYLE}{SENTENCE_VIEW_STYLE}</style></head><body>",
        f"<h1>Evaluation on {_e(refset.name)}</h1>",
        f'<p class="meta">{_e(_meta_line(run))}</p>',
        _scores_section(run),
        _length_section(run),
        _distribution_section(run),
        _confidence_section(run),
        _details_section(run),
        *([_analysis_section(run.analysis)] if run.analysis is not None else []),
        *(_worst_section(run, index) for index in range(len(run.results))),
        sentence_view(run),
        _flags_section(run),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _meta_line(run: EvalRun) -> str:
    refset = run.refset
    items = [f"{len(refset)} segments", f"{len(refset.references)} reference"
             + ("s" if len(refset.references) > 1 else "")]
    if refset.documents:
        items.append(f"{len(refset.documents)} documents")
    items.append(f"{len(run.results)} system" + ("s" if len(run.results) > 1 else ""))
    if run.n_bootstrap > 1:
        items.append(f"95% intervals from {run.n_bootstrap} bootstrap resamples (seed {run.seed})")
    if run.n_trials:
        items.append(f"approximate randomization with {run.n_trials} trials")
    from tarjama._version import __version__

    items.append(f"tarjama {__version__}")
    return " · ".join(items)


def _system_label(run: EvalRun, index: int) -> str:
    result = run.results[index]
    swatch = f'<span class="swatch" style="background:{_colour(index)}"></span>'
    role = " <em>(baseline)</em>" if index == 0 and len(run.results) > 1 else ""
    origin = (f'<span class="p">translated: <code>{_e(result.system.signature)}</code></span>'
              if result.system.translated else "")
    return f"{swatch}{_e(result.system.name)}{role}{origin}"


def _score_cell(result: SystemResult, metric: str) -> str:
    score = result.scores[metric]
    paired = result.paired[metric] if result.paired is not None else None
    return _cell(f"{score.score:.2f}", score.interval, paired, ".2f")


def _neural_cell(result: SystemResult, metric: str) -> str:
    score, paired = result.neural[metric]
    return _cell(f"{score.score:.4f}", score.interval, paired, ".4f")


def _cell(text: str, interval: tuple[float, float] | None, paired: PairedResult | None,
          digits: str) -> str:
    """A score with its interval and, but for the baseline, its p-values and verdict."""
    cell = text
    if interval is not None:
        cell += f' <span class="ci">[{interval[0]:{digits}}, {interval[1]:{digits}}]</span>'
    if paired is not None:
        values = []
        if paired.p_bootstrap is not None:
            values.append(f"bs p={paired.p_bootstrap:.4f}")
        if paired.p_ar is not None:
            values.append(f"AR p={paired.p_ar:.4f}")
        verdict = ('<span class="sig">significant</span>' if paired.significant
                   else '<span class="ns">not significant</span>')
        cell += f'<span class="p">{_e(", ".join(values))}: {verdict}</span>'
    return f'<td class="num">{cell}</td>'


# The report's styles for the classes of the scores table, scoped to it inside a notebook.
NOTEBOOK_STYLE = """
.tarjama-eval .ci { color: #666; font-size: .85em; }
.tarjama-eval .p { font-size: .8em; color: #666; display: block; }
.tarjama-eval .sig { color: #0a7d2c; font-weight: 600; } .tarjama-eval .ns { color: #a15c00; }
.tarjama-eval td.num { text-align: right; white-space: nowrap; }
.tarjama-eval .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .35em; }
.tarjama-eval .wide { overflow-x: auto; }
"""


def notebook_html(run: EvalRun) -> str:
    """The run as a notebook shows it: what was measured, then the scores and signatures."""
    return (f'<div class="tarjama-eval"><style>{NOTEBOOK_STYLE}</style>'
            f"<p><b>Evaluation on {_e(run.refset.name)}</b><br><small>{_e(_meta_line(run))}"
            f"</small></p>{scores_html(run)}</div>")


def _scores_section(run: EvalRun) -> str:
    return f"<h2>Scores</h2>{scores_html(run)}"


def scores_html(run: EvalRun) -> str:
    """The scores table (intervals, p-values), its notes and the signatures, as HTML."""
    neural = neural_names(run)
    header = "".join(f"<th>{_e(DISPLAY_NAMES[m])}{' (lower is better)' if m in LOWER_IS_BETTER else ''}</th>"
                     for m in METRIC_NAMES) + "".join(f"<th>{_e(_neural_label(m))}</th>"
                                                      for m in neural)
    rows = "".join(f"<tr><td>{_system_label(run, i)}</td>"
                   + "".join(_score_cell(r, m) for m in METRIC_NAMES)
                   + "".join(_neural_cell(r, m) for m in neural) + "</tr>"
                   for i, r in enumerate(run.results))
    notes = []
    if run.n_bootstrap > 1:
        notes.append("Brackets: 95% bootstrap interval (sacrebleu: mean ± half the 2.5–97.5 "
                     "percentile range of the resampled scores).")
    if len(run.results) > 1:
        notes.append(f"p-values compare each system with the baseline: sacrebleu's paired "
                     f"bootstrap (bs) and approximate randomization (AR); significant means "
                     f"p &lt; {SIGNIFICANCE_LEVEL} in every test run.")
    signatures = []
    baseline = run.baseline
    for metric in METRIC_NAMES:
        score = baseline.scores[metric]
        lines = [score.signature]
        if score.interval_signature:
            lines.append(score.interval_signature)
        tested = run.results[1].paired if len(run.results) > 1 else None
        if baseline.paired is None and tested is not None:
            paired = tested[metric]
            if paired.ar_signature:
                lines.append(paired.ar_signature)
        codes = "<br>".join(f"<code>{_e(line)}</code>" for line in dict.fromkeys(lines))
        signatures.append(f"<tr><th>{_e(DISPLAY_NAMES[metric])}</th><td>{codes}</td></tr>")
    for name in neural:
        signature = baseline.neural[name][0].signature
        signatures.append(f"<tr><th>{_e(_neural_label(name))}</th><td><code>{_e(signature)}"
                          "</code></td></tr>")
    return (f"<div class=\"wide\"><table><tr><th>system</th>{header}</tr>{rows}</table></div>"
            + "".join(f"<p>{note}</p>" for note in notes)
            + f"<h3>Signatures</h3><table>{''.join(signatures)}</table>")


def neural_names(run: EvalRun) -> list[str]:
    """The neural metrics (COMET) the run scored, in their order."""
    return list(run.baseline.neural)


def _neural_label(name: str) -> str:
    return name.upper() if name == "comet" else name


def _png(figure) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PLOT_DPI, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="plot" src="data:image/png;base64,{encoded}">'


def length_plot(run: EvalRun) -> str:
    """BLEU and chrF2 per length bucket, one bar per system, as an ``<img>`` tag."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.2), layout="constrained")
    labels = [f"{b.label}\n({len(b.indices)} seg.)" for b in run.buckets]
    count = len(run.results)
    width = 0.8 / count
    for axis, metric in zip(figure.subplots(1, 2), ("bleu", "chrf"), strict=True):
        for index, result in enumerate(run.results):
            positions = [n + (index - (count - 1) / 2) * width for n in range(len(labels))]
            values = [b.scores[metric] for b in result.by_length]
            axis.bar(positions, values, width, label=result.system.name, color=_colour(index))
        axis.set_xticks(range(len(labels)), labels)
        axis.set_title(f"{DISPLAY_NAMES[metric]} by {run.length_measure}")
        axis.set_ylabel(DISPLAY_NAMES[metric])
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
    _legend(figure, count)
    return _png(figure)


def distribution_plot(run: EvalRun) -> str:
    """Histogram and box plot of sentence-level chrF2 for every system, as an ``<img>`` tag."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.2), layout="constrained")
    histogram, boxes = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    bins = list(range(0, 105, 5))
    for index, result in enumerate(run.results):
        histogram.hist(result.sentence_chrf, bins=bins, histtype="step", linewidth=1.8,
                       color=_colour(index), label=result.system.name)
    histogram.set_xlabel("sentence chrF2")
    histogram.set_ylabel("segments")
    histogram.set_title("Distribution of sentence-level chrF2")
    histogram.grid(alpha=0.3)
    plot = boxes.boxplot([r.sentence_chrf for r in run.results], showmeans=True,
                         patch_artist=True, widths=0.6)
    for index, patch in enumerate(plot["boxes"]):
        patch.set_facecolor(_colour(index))
        patch.set_alpha(0.45)
    boxes.set_xticks(range(1, len(run.results) + 1),
                     [_wrap(r.system.name) for r in run.results], fontsize="small")
    boxes.set_ylabel("sentence chrF2 (triangle: mean)")
    boxes.set_title("Per system")
    boxes.grid(axis="y", alpha=0.3)
    _legend(figure, len(run.results))
    return _png(figure)


def _legend(figure, systems: int) -> None:
    handles, labels = figure.axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=min(systems, 4),
                  frameon=False)


def _wrap(name: str, width: int = 22) -> str:
    """A long system name over several lines, broken after ``.``, ``-``, ``/`` or ``_`` where it
    can be, so tick labels do not run into each other."""
    lines: list[str] = []
    while len(name) > width:
        cut = max(name.rfind(mark, 0, width) for mark in ".-/_ ") + 1 or width
        lines.append(name[:cut])
        name = name[cut:]
    return "\n".join([*lines, name])


def _length_section(run: EvalRun) -> str:
    header = "".join(f"<th>{_e(b.label)} words<br><small>{len(b.indices)} segments</small></th>"
                     for b in run.buckets)
    rows = "".join(
        f"<tr><td>{_system_label(run, i)}</td>"
        + "".join(f'<td class="num">{b.scores["bleu"]:.1f} / {b.scores["chrf"]:.1f}</td>'
                  for b in r.by_length) + "</tr>"
        for i, r in enumerate(run.results))
    return (f"<h2>Scores by length ({_e(run.length_measure)})</h2>{length_plot(run)}"
            f"<table><tr><th>BLEU / chrF2</th>{header}</tr>{rows}</table>")


def _distribution_section(run: EvalRun) -> str:
    import statistics

    rows = "".join(
        f"<tr><td>{_system_label(run, i)}</td>"
        f'<td class="num">{statistics.fmean(r.sentence_chrf):.1f}</td>'
        f'<td class="num">{statistics.median(r.sentence_chrf):.1f}</td>'
        f'<td class="num">{sum(s < 30 for s in r.sentence_chrf)}</td></tr>'
        for i, r in enumerate(run.results))
    return (f"<h2>Sentence-level chrF2</h2>{distribution_plot(run)}"
            "<table><tr><th>system</th><th>mean</th><th>median</th><th>segments below 30</th></tr>"
            f"{rows}</table>")


def confidence_plot(run: EvalRun) -> str:
    """Sentence chrF2 against confidence, one colour per translated system, as an ``<img>``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4.2), layout="constrained")
    axis = figure.subplots()
    thresholds = set()
    for index, result in enumerate(run.results):
        if result.confidence is None or result.system.confidence is None:
            continue
        pairs = [(c, s) for c, s in zip(result.system.confidence, result.sentence_chrf,
                                        strict=True) if c is not None]
        axis.scatter([c for c, _ in pairs], [s for _, s in pairs], s=12, alpha=0.6,
                     color=_colour(index), label=result.system.name)
        thresholds.add(result.confidence.threshold)
    for threshold in thresholds:
        axis.axvline(threshold, color="grey", linestyle="--", linewidth=1)
    axis.set_xlim(0, 1)
    axis.set_xlabel("confidence (dashed: the low_confidence threshold)")
    axis.set_ylabel("sentence chrF2")
    axis.grid(alpha=0.3)
    _legend(figure, len(run.results))
    return _png(figure)


def _confidence_section(run: EvalRun) -> str:
    """Confidence against sentence chrF2, for the systems this run translated with it."""
    shown = [(i, r.confidence) for i, r in enumerate(run.results) if r.confidence is not None]
    if not shown:
        return ""
    rows = []
    for index, view in shown:
        rho = "–" if view.spearman is None else f"{view.spearman:+.2f}"
        bins = " · ".join(f"{b.low:.2f}–{b.high:.2f}: {b.mean_chrf:.1f} ({b.segments})"
                          for b in view.bins)
        flagged = "–" if view.flagged_chrf is None else f"{view.flagged_chrf:.1f}"
        others = "–" if view.others_chrf is None else f"{view.others_chrf:.1f}"
        rows.append(f"<tr><td>{_system_label(run, index)}</td><td class=\"num\">{view.segments}"
                    f"</td><td class=\"num\">{rho}</td><td>{_e(bins)}</td>"
                    f"<td class=\"num\">{view.flagged}: {flagged} / {others}</td></tr>")
    return ("<h2>Confidence against sentence chrF2</h2>"
            "<p>Whether the model's own confidence tracks the references on this set: Spearman's "
            "ρ between the two, the mean chrF2 of equal-sized bins from the least to the most "
            "confident segments, and the segments flagged <code>low_confidence</code> (their "
            "mean chrF2 against the others'). See docs/confidence.md.</p>"
            f"{confidence_plot(run)}<div class=\"wide\"><table><tr><th>system</th><th>segments</th>"
            "<th>Spearman ρ</th><th>confidence bin: mean chrF2 (segments)</th>"
            "<th>low_confidence: segments: mean chrF2 / the others'</th></tr>"
            f"{''.join(rows)}</table></div>")


def _worst_section(run: EvalRun, index: int) -> str:
    worst = run.worst_sentences(index)
    has_docs = run.refset.doc_ids is not None
    has_source = run.refset.sources is not None
    neural = neural_names(run)
    segment_scores = [run.results[index].neural[name][0].segments for name in neural]
    cols = ['<col class="n">', *(['<col class="doc">'] if has_docs else []),
            *['<col class="score">'] * (1 + len(neural))]
    head = ["line", *(["document"] if has_docs else []), "chrF2",
            *(_e(_neural_label(name)) for name in neural),
            *(["source (Arabic)"] if has_source else []), "reference", "hypothesis"]
    rows = []
    for sentence in worst:
        cells = [f'<td class="num">{sentence.line}</td>']
        if has_docs:
            assert sentence.doc_id is not None, "a set with document ids gives every line one"
            cells.append(f'<td title="{_e(sentence.doc_id)}"><small>'
                         f"{_e(doc_label(sentence.doc_id))}</small></td>")
        cells.append(f'<td class="num">{sentence.chrf:.1f}</td>')
        cells += [f'<td class="num">{scores[sentence.line - 1]:.3f}</td>' for scores in segment_scores]
        if has_source:
            cells.append(f'<td dir="rtl" lang="ar">{_e(sentence.source)}</td>')
        # dir="auto": an output left in Arabic must still read right to left.
        cells.append('<td dir="auto">' + "<hr>".join(_e(r) for r in sentence.references) + "</td>")
        cells.append(f'<td dir="auto">{_e(sentence.hypothesis)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    colgroup = "<colgroup>" + "".join(cols) + "<col>" * (len(head) - len(cols)) + "</colgroup>"
    return (f"<h2>The {len(worst)} worst sentences: {_system_label(run, index)}</h2>"
            f'<p>Lowest sentence-level chrF2 first.</p><table class="worst">{colgroup}'
            f"<tr>{''.join(f'<th>{h}</th>' for h in head)}</tr>{''.join(rows)}</table>")


def _flags_section(run: EvalRun) -> str:
    rows = []
    for index, result in enumerate(run.results):
        summary = flag_summary(result.system)
        if summary is None:
            text = "not translated in this run (output read from a file)"
        elif not summary["counts"]:
            text = "none"
        else:
            counts = ", ".join(f"{flag}: {n}" for flag, n in sorted(summary["counts"].items()))
            lines = ", ".join(str(n) for n in summary["flagged_lines"][:50])
            more = " …" if len(summary["flagged_lines"]) > 50 else ""
            text = f"{counts} (lines {lines}{more})"
        rows.append(f"<tr><td>{_system_label(run, index)}</td><td>{_e(text)}</td></tr>")
    return ("<h2>Integrity-guard flags</h2><table><tr><th>system</th><th>flags</th></tr>"
            f"{''.join(rows)}</table>")


def _details_section(run: EvalRun) -> str:
    """BLEU's parts per system, and the document bootstrap beside the sentence bootstrap."""
    names = "".join(f"<th>{_system_label(run, i)}</th>" for i in range(len(run.results)))
    rows = []
    details = [r.bleu_details for r in run.results]
    if all(d is not None for d in details):
        def row(label: str, cells: list[str]) -> str:
            return f"<tr><th>{label}</th>" + "".join(f'<td class="num">{c}</td>' for c in cells) + "</tr>"

        present = [d for d in details if d is not None]
        rows += [row(f"{n + 1}-gram precision", [f"{d.precisions[n]:.2f}" for d in present])
                 for n in range(4)]
        rows += [row("brevity penalty", [f"{d.brevity_penalty:.4f}" for d in present]),
                 row("hypothesis length", [str(d.hyp_len) for d in present]),
                 row("reference length", [str(d.ref_len) for d in present]),
                 row("length ratio", [f"{d.ratio:.4f}" for d in present])]
    section = (f"<h2>What BLEU is made of</h2><table><tr><th>13a tokens</th>{names}</tr>"
               f"{''.join(rows)}</table>")
    if all(r.document_intervals for r in run.results):
        body = []
        for index, result in enumerate(run.results):
            intervals = result.document_intervals or {}
            for metric in METRIC_NAMES:
                sentence, document = result.scores[metric].interval, intervals[metric]
                p = "" if document.p_value is None else f"{document.p_value:.4f}"
                body.append(f"<tr><td>{_system_label(run, index)}</td><td>{_e(DISPLAY_NAMES[metric])}"
                            f'</td><td class="num">{_interval(sentence)}</td>'
                            f'<td class="num">{_interval(document.interval)}</td>'
                            f'<td class="num">{p}</td></tr>')
        section += (f"<h2>Documents: {len(run.refset.documents)} resampled whole</h2>"
                    "<p>The sentence bootstrap treats sentences as independent; a news article's "
                    "sentences are not, so resampling whole documents gives the honest, usually "
                    "wider interval. p: paired bootstrap over documents against the baseline.</p>"
                    "<table><tr><th>system</th><th>metric</th><th>95% CI, sentences</th>"
                    f"<th>95% CI, documents</th><th>p (documents)</th></tr>{''.join(body)}</table>")
    return section


def _interval(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f"[{interval[0]:.2f}, {interval[1]:.2f}]"


def _bucket_rows(buckets: list[tuple[SentenceBucket, ...]], bleu: bool) -> str:
    rows = []
    for row in zip(*buckets, strict=True):
        cells = [f"{b.bleu:.4f}" if bleu and b.bleu is not None else str(b.segments) for b in row]
        rows.append(f"<tr><th>{_e(row[0].bucket)}</th>"
                    + (f'<td class="num">{row[0].segments}</td>' if bleu else "")
                    + "".join(f'<td class="num">{c}</td>' for c in cells) + "</tr>")
    return "".join(rows)


def _analysis_section(analysis: Analysis) -> str:
    """compare-mt's analyses as tables."""
    systems = analysis.systems
    names = "".join(f"<th>{_e(s.name)}</th>" for s in systems)
    parts = ["<h2>compare-mt analyses (13a tokens)</h2>",
             f"<table><tr><th></th>{names}</tr><tr><th>BLEU</th>"
             + "".join(f'<td class="num">{s.bleu:.4f}</td>' for s in systems)
             + "</tr><tr><th>length ratio</th>"
             + "".join(f'<td class="num">{s.length_ratio:.4f}</td>' for s in systems)
             + "</tr></table>",
             f"<h3>Word F-measure by frequency bucket (frequency: {_e(analysis.frequency_source)})"
             f"</h3><table><tr><th>frequency</th><th>reference words</th>{names}</tr>"]
    for index, bucket in enumerate(systems[0].word_accuracy):
        parts.append(f"<tr><th>{_e(bucket.bucket)}</th><td class=\"num\">{bucket.reference_words}</td>"
                     + "".join(f'<td class="num">{s.word_accuracy[index].f_measure:.4f}</td>'
                               for s in systems) + "</tr>")
    parts.append("</table>")
    parts.append(f"<h3>BLEU by reference length</h3><table><tr><th>tokens</th><th>segments</th>"
                 f"{names}</tr>{_bucket_rows([s.bleu_by_reference_length for s in systems], True)}"
                 "</table>")
    parts.append(f"<h3>Sentences by length difference (output - reference)</h3><table><tr>"
                 f"<th>tokens</th>{names}</tr>"
                 f"{_bucket_rows([s.length_difference for s in systems], False)}</table>")
    parts.append(f"<h3>Sentences by sentence BLEU</h3><table><tr><th>sentence BLEU</th>{names}"
                 f"</tr>{_bucket_rows([s.sentence_bleu_buckets for s in systems], False)}</table>")
    for pair in analysis.pairs:
        for better, rows in ((pair.baseline, pair.ngrams_baseline_better),
                             (pair.system, pair.ngrams_system_better)):
            body = "".join(f"<tr><td>{_e(r.ngram)}</td><td class=\"num\">{r.score:.4f}</td>"
                           f'<td class="num">{r.baseline}</td><td class="num">{r.system}</td></tr>'
                           for r in rows)
            parts.append(f"<h3>n-grams {_e(better)} matches more often</h3><table><tr>"
                         f"<th>n-gram</th><th>score</th><th>{_e(pair.baseline)}</th>"
                         f"<th>{_e(pair.system)}</th></tr>{body}</table>")
    return "".join(parts)
