"""Which way of guaranteeing a glossary's rendering holds: placeholders the model copies, or the
aligned span replaced after translation (docs/glossary.md).

For each model (the tiny random Marian of the tests and the stand-ins of the Marian presets, on
torch and CTranslate2) and each sentence of tarjama's sample news corpus that holds a term of a
name glossary (every word of 5+ letters of the corpus's first 40 lines that starts with ال, given
a made-up rendering such as "Name0007"):

- inline: the term replaced in the input by its rendering, which the model must copy: the share of
  sentences whose output holds every rendering;
- attention argmax: the sentence translated as it is, with the cross-attention of
  ``generate_detailed(attention=True)``; an output token belongs to the term when its strongest
  attention is on one of the term's source tokens: the share of terms with such tokens in one
  contiguous run (a span that could be replaced), and the share with none at all;
- tarjama: the translator's own path (inline; a rendering not copied replaces the English words
  aligned to it in the same generation; the verbatim pass where no alignment can be had): how
  many terms went each way, and the share of sentences whose output holds every rendering.

    python benchmarks/glossary_methods.py [--lines 40]
"""
from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from tarjama.terms.arabic import folded_words
from tarjama.terms.glossary import Glossary, Term, has_rendering
from tarjama.testing import make_models, make_standins
from tarjama.testing.tiny import corpus


def _glossary(lines: list[str]) -> Glossary:
    words = sorted({word for line in lines for word, _, _ in folded_words(line)
                    if word.startswith("ال") and len(word) >= 5})
    return Glossary(Term(word, f"Name{k:04d}") for k, word in enumerate(words))


def _aligned(backend, text: str, glossary: Glossary) -> tuple[int, int, int]:
    """(terms, terms with a contiguous aligned span, terms with no aligned token)."""
    [detail] = backend.generate_detailed([text], _options(), attention=True)
    matches = glossary.find(text)
    if not matches or not detail.attention:
        return len(matches), 0, len(matches)
    # Source tokens of each match: the tokens of the text before it and of the match itself.
    spans = []
    for match in matches:
        first = backend.count_tokens(text[:match.start]) - 1  # without the end of sentence
        inside = backend.count_tokens(text[match.start:match.end]) - 1
        spans.append((first, first + inside))
    strongest = [max(range(len(row)), key=row.__getitem__) for row in detail.attention]
    contiguous = empty = 0
    for first, last in spans:
        rows = [i for i, source in enumerate(strongest) if first <= source < last]
        if not rows:
            empty += 1
        elif rows == list(range(rows[0], rows[-1] + 1)):
            contiguous += 1
    return len(spans), contiguous, empty


def _options():
    from tarjama.models import GenerationOptions

    return GenerationOptions(num_beams=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=40)
    args = parser.parse_args()
    from tarjama.translation import Translator

    lines = [line for line in corpus("arabic.txt")[:args.lines] if line.strip()]
    glossary = _glossary(lines)
    lines = [line for line in lines if glossary.find(line)]
    work = Path(tempfile.mkdtemp(prefix="glossary-methods-"))
    models = {"marian-tiny": make_models(work / "tiny").marian}
    models.update({f"stand-in {name}": path for name, path in
                   make_standins(work / "standins", ("best", "fast")).items()})
    print(f"{len(lines)} sentences with terms; glossary of {len(glossary)} names")
    print("| model | backend | inline: renderings copied | attention argmax: contiguous span | "
          "attention argmax: no token | tarjama: terms inline / aligned / verbatim | "
          "tarjama: renderings in output |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, path in models.items():
        for backend in ("torch", "ctranslate2"):
            translator = Translator(str(path), backend=backend, num_beams=1, guard="off",
                                    compute_type="float32")
            protected = [glossary.protect(line) for line in lines]
            outputs = translator.backend.generate([p.text for p in protected], _options())
            copied = sum(has_rendering(o, p) for o, p in zip(outputs, protected, strict=True))
            terms = contiguous = empty = 0
            for line in lines:
                t, c, e = _aligned(translator.backend, line, glossary)
                terms, contiguous, empty = terms + t, contiguous + c, empty + e
            with_glossary = Translator(str(path), backend=backend, num_beams=1, guard="off",
                                       compute_type="float32", glossary=glossary)
            results = with_glossary.translate_sentences_detailed(lines)
            held = sum(has_rendering(o.translation, p)
                       for o, p in zip(results, protected, strict=True))
            methods = Counter(use.method for out in results for use in out.terms)
            ways = " / ".join(str(methods[m]) for m in ("inline", "aligned", "verbatim"))
            print(f"| {name} | {backend} | {copied}/{len(lines)} | {contiguous}/{terms} | "
                  f"{empty}/{terms} | {ways} | {held}/{len(lines)} |", flush=True)


if __name__ == "__main__":
    main()
