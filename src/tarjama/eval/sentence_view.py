"""The report's sentence view: every segment's hypotheses beside the reference, matched n-grams
shaded, sortable by score difference and searchable — plain HTML and inline JavaScript, no CDN.

A hypothesis word is shaded by the longest n-gram (up to 4) it belongs to that the reference also
holds, counts clipped as BLEU clips them (longest n-grams are matched first). Words are sacrebleu's
13a tokens found back in the text as written; a token that cannot be found (13a rewrites a few
entities) is left unshaded.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from tarjama.eval.analysis import MAX_ORDER, Tokens, ngram_counts, tokenize

if TYPE_CHECKING:
    from tarjama.eval.run import EvalRun

STYLE = """
.sv-controls { display: flex; gap: 1rem; align-items: center; margin: .6rem 0; flex-wrap: wrap; }
.sv-controls input { width: 22rem; padding: .3rem .5rem; }
table.sv { width: 100%; table-layout: fixed; font-size: .88em; }
table.sv td { overflow-wrap: anywhere; }
table.sv col.n { width: 3.4rem; } table.sv col.d { width: 5.2rem; }
.sv .score { display: block; color: #666; font-size: .8em; }
.sv .m1, .sv-legend .m1 { background: #fff3b0; } .sv .m2, .sv-legend .m2 { background: #ffe066; }
.sv .m3, .sv-legend .m3 { background: #c6e48b; } .sv .m4, .sv-legend .m4 { background: #7bc96f; }
.sv td.up { color: #0a7d2c; } .sv td.down { color: #b00020; }
.sv-legend span { padding: 0 .3rem; margin-right: .3rem; }
"""

SCRIPT = """
(function () {
  var table = document.getElementById('sv-table');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById('sv-search');
  var order = document.getElementById('sv-order');
  var count = document.getElementById('sv-count');
  function apply() {
    var query = search.value.toLowerCase();
    var key = order.value, sorted = rows.slice();
    if (key !== 'line') {
      var parts = key.split(':'), field = parts[0], sign = parts[1] === 'asc' ? 1 : -1;
      sorted.sort(function (a, b) {
        var d = (parseFloat(a.dataset[field]) - parseFloat(b.dataset[field])) * sign;
        return d !== 0 ? d : parseInt(a.dataset.line, 10) - parseInt(b.dataset.line, 10);
      });
    }
    var shown = 0;
    sorted.forEach(function (row) {
      var hit = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
      row.style.display = hit ? '' : 'none';
      if (hit) { shown += 1; }
      body.appendChild(row);
    });
    count.textContent = shown + ' of ' + rows.length + ' segments';
  }
  search.addEventListener('input', apply);
  order.addEventListener('change', apply);
  // A link can open the view sorted and searched: report.html#sentences&sort=bleu1:asc&q=word
  var wanted = new URLSearchParams(location.hash.slice(1));
  if (wanted.get('sort')) { order.value = wanted.get('sort'); }
  if (wanted.get('q')) { search.value = wanted.get('q'); }
  apply();
  if (wanted.has('sentences')) { document.getElementById('sentences').scrollIntoView(); }
})();
"""


def _key(name: str) -> str:
    """A neural metric's name as the key of a row's data attribute: lowercase letters and digits,
    after an ``n`` that keeps it apart from the keys of BLEU and chrF."""
    return "n" + "".join(c for c in name.lower() if c.isascii() and c.isalnum())


def doc_label(doc_id: str) -> str:
    """A URL's page title (FLORES uses source URLs as document ids); other ids as they are."""
    if "://" not in doc_id:
        return doc_id
    from urllib.parse import unquote

    path = doc_id.rstrip("/")
    title = path.split("/wiki/", 1)[1] if "/wiki/" in path else path.rsplit("/", 1)[-1]
    return unquote(title).replace("_", " ")


def match_levels(hypothesis: Tokens, reference: Tokens) -> list[int]:
    """For each hypothesis token, the longest matched n-gram (0: none) it belongs to."""
    levels = [0] * len(hypothesis)
    available = ngram_counts(reference)
    for n in range(MAX_ORDER, 0, -1):
        counts = available[n - 1].copy()
        for start in range(len(hypothesis) - n + 1):
            gram = hypothesis[start:start + n]
            if counts[gram] > 0:
                counts[gram] -= 1
                for index in range(start, start + n):
                    levels[index] = max(levels[index], n)
    return levels


def highlighted(text: str, reference: str) -> str:
    """``text`` as escaped HTML, its matched words wrapped in ``<span class="mN">``."""
    tokens = tokenize(text)
    levels = match_levels(tokens, tokenize(reference))
    parts, position = [], 0
    for token, level in zip(tokens, levels, strict=True):
        found = text.find(token, position)
        if found < 0:
            continue
        parts.append(html.escape(text[position:found]))
        word = html.escape(token)
        parts.append(f'<span class="m{level}">{word}</span>' if level else word)
        position = found + len(token)
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def sentence_view(run: EvalRun) -> str:
    """The section: controls, legend and one row per segment."""
    refset = run.refset
    reference = refset.references[0]
    results = run.results
    has_docs = refset.doc_ids is not None
    bleu = ([s.sentence_bleu for s in run.analysis.systems] if run.analysis is not None else None)
    chrf = [r.sentence_chrf for r in results]
    # Neural metrics (COMET): each system's segment scores, by the metric's data-attribute key.
    neural = {_key(name): (name.upper() if name == "comet" else name,
                           [r.neural[name][0].segments for r in results])
              for name in results[0].neural}
    options = ['<option value="line">line</option>']
    for index in range(1, len(results)):
        name = html.escape(results[index].system.name)
        fields = ([(f"bleu{index}", "sentence BLEU")] if bleu else []) + [(f"chrf{index}", "chrF2")]
        fields += [(f"{key}{index}", html.escape(label)) for key, (label, _) in neural.items()]
        for field, label in fields:
            options.append(f'<option value="{field}:desc">Δ {label} {name} - baseline, largest '
                           'first</option>')
            options.append(f'<option value="{field}:asc">Δ {label} {name} - baseline, smallest '
                           'first</option>')
    if len(results) == 1:
        options.append('<option value="chrf0:asc">chrF2, lowest first</option>')
        options += [f'<option value="{key}0:asc">{html.escape(label)}, lowest first</option>'
                    for key, (label, _) in neural.items()]
    head = ["line", *(["document"] if has_docs else []),
            *(f"Δ {html.escape(r.system.name)}" for r in results[1:]), "reference",
            *(html.escape(r.system.name) for r in results)]
    rows = []
    for index, ref_line in enumerate(reference):
        data: dict[str, float] = {"line": index + 1}
        cells = [f'<td class="num">{index + 1}</td>']
        if has_docs and refset.doc_ids is not None:
            doc_id = refset.doc_ids[index]
            cells.append(f'<td title="{html.escape(doc_id)}"><small>'
                         f"{html.escape(doc_label(doc_id))}</small></td>")
        for system in range(len(results)):
            data[f"chrf{system}"] = chrf[system][index]
            for key, (_, scores) in neural.items():
                data[f"{key}{system}"] = round(scores[system][index] - (
                    scores[0][index] if system else 0.0), 6)
            if system == 0:
                continue
            data[f"chrf{system}"] = round(chrf[system][index] - chrf[0][index], 4)
            if bleu is not None:
                delta = bleu[system][index] - bleu[0][index]
                data[f"bleu{system}"] = round(delta, 4)
            else:
                delta = chrf[system][index] - chrf[0][index]
            shade = "up" if delta > 0 else "down" if delta < 0 else ""
            cells.append(f'<td class="num {shade}">{delta:+.1f}</td>')
        cells.append(f'<td dir="auto">{html.escape(ref_line)}</td>')
        for system, result in enumerate(results):
            score = (f"sBLEU {bleu[system][index]:.1f} · " if bleu is not None else "") + \
                f"chrF2 {chrf[system][index]:.1f}" + "".join(
                    f" · {html.escape(label)} {scores[system][index]:.3f}"
                    for label, scores in neural.values())
            cells.append(f'<td dir="auto"><span class="score">{score}</span>'
                         f"{highlighted(result.system.hypotheses[index], ref_line)}</td>")
        attributes = " ".join(f'data-{key}="{value}"' for key, value in data.items())
        rows.append(f"<tr {attributes}>{''.join(cells)}</tr>")
    delta_cols = len(results) - 1
    colgroup = ('<colgroup><col class="n">' + ('<col class="d">' if has_docs else "")
                + '<col class="d">' * delta_cols + "<col>" * (1 + len(results)) + "</colgroup>")
    legend = ('<p class="sv-legend">Matched with the reference: '
              + "".join(f'<span class="m{n}">{n}-gram</span>' for n in range(1, MAX_ORDER + 1))
              + " (a word is shaded by the longest matched n-gram it is part of). Δ: "
              + ("compare-mt's sentence BLEU" if bleu is not None else "sentence chrF2")
              + " of the system minus the baseline's.</p>")
    controls = ('<div class="sv-controls"><input id="sv-search" type="search" '
                'placeholder="Search the sentences…" aria-label="search the sentences">'
                f'<label>Sort: <select id="sv-order">{"".join(options)}</select></label>'
                '<span id="sv-count"></span></div>')
    return (f'<h2 id="sentences">Sentences</h2>{legend}{controls}'
            f'<table class="sv" id="sv-table">{colgroup}<thead><tr>'
            + "".join(f"<th>{h}</th>" for h in head)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<script>{SCRIPT}</script>")
