"""``tarjama shortlist build``: learn a model's vocabulary shortlist from parallel text.

The map is saved beside the model's CTranslate2 copy; ``tarjama translate --shortlist`` uses it.
With ``--heldout`` the command also measures the map's coverage on parallel text it did not learn
from, which says how often the shortlist could cost a word.
"""
from __future__ import annotations

from typing import Annotated

import typer

from tarjama.backends.ctranslate2.vmap import DEFAULT_PER_SOURCE, DEFAULT_SIZE
from tarjama.cli._common import (
    ComputeTypeOpt,
    DeviceOpt,
    ModelOpt,
    RevisionOpt,
    emit,
    err_console,
    reports_errors,
)
from tarjama.errors import InputError
from tarjama.models import DEFAULT_TRANSLATION_MODEL

PAIR_SEPARATOR = ":"
PairsOpt = Annotated[list[str], typer.Option(
    "--data", help="Parallel text as ARABIC_FILE:ENGLISH_FILE, one sentence per line; repeatable.")]
HeldoutOpt = Annotated[list[str] | None, typer.Option(
    "--heldout", help="Parallel text to measure coverage on, as ARABIC_FILE:ENGLISH_FILE; repeatable.")]

app = typer.Typer(help="Vocabulary shortlists: faster CPU translation with CTranslate2.",
                  no_args_is_help=True)


@app.command("build")
@reports_errors
def build(
    data: PairsOpt,
    heldout: HeldoutOpt = None,
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    size: Annotated[int, typer.Option(
        "--size", min=0, help="Target pieces always reachable: half the target model's most "
                              "probable, half the most frequent in the data.")] = DEFAULT_SIZE,
    per_source: Annotated[int, typer.Option(
        "--per-source", min=0, help="Target pieces each source piece adds, besides the ones spelt "
                                    "the same.")] = DEFAULT_PER_SOURCE,
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
) -> None:
    """Build a model's vocabulary shortlist from parallel text and report its coverage."""
    from tarjama.backends.ctranslate2.backend import install_shortlist
    from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece
    from tarjama.backends.ctranslate2.vmap import (
        build_shortlist,
        measure_coverage,
        model_vocabularies,
        shortlist_id,
    )
    from tarjama.models import TRANSLATION, resolve_model

    source = resolve_model(model, TRANSLATION, revision)
    tokenizer = MarianSentencePiece(source.path)
    pairs = [pair for spec in data for pair in _read_pairs(tokenizer, spec)]
    shortlist = build_shortlist(pairs, size, per_source, model_vocabularies(tokenizer))
    path = install_shortlist(source, shortlist, device, compute_type)
    mapped = sum(1 for targets in shortlist.candidates.values() if targets)
    lines = [f"model: {source.label}",
             f"built from: {len(pairs)} sentence pairs ({', '.join(data)})",
             f"size: {len(shortlist.frequent)} always-reachable target pieces "
             f"({shortlist.probable} the target model's most probable, "
             f"{len(shortlist.frequent) - shortlist.probable} the most frequent in the data) "
             f"+ up to {per_source} per source piece ({mapped} source pieces mapped, "
             f"{shortlist.copies} of them also to the target piece spelt the same)",
             f"saved: {path} (shortlist:{shortlist_id(path.parent)})"]
    for spec in heldout or []:
        held = _read_pairs(tokenizer, spec)
        coverage = measure_coverage(shortlist, held)
        lines.append(f"held-out coverage on {spec} ({coverage.sentences} sentences): "
                     f"{coverage.mean:.2%} per sentence, {coverage.pieces:.2%} of all pieces, "
                     f"{coverage.complete:.1%} of sentences fully covered")
    emit("\n".join(lines) + "\n", None)
    err_console.print("translate with it: tarjama translate --shortlist")


def _read_pairs(tokenizer, spec: str):
    from tarjama.backends.ctranslate2.vmap import tokenize_pairs
    from tarjama.textio import read_text

    arabic, separator, english = spec.rpartition(PAIR_SEPARATOR)
    if not separator or not arabic or not english:
        raise InputError(f"{spec!r} is not ARABIC_FILE{PAIR_SEPARATOR}ENGLISH_FILE")
    sources, targets = read_text(arabic).splitlines(), read_text(english).splitlines()
    if len(sources) != len(targets):
        raise InputError(f"{arabic} has {len(sources)} lines but {english} has {len(targets)}; "
                         "parallel files have one translation per line")
    return tokenize_pairs(tokenizer, sources, targets)
