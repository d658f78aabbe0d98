"""How much the document formats add to translating the same article as plain text.

The sample article (examples/article_ar.txt, copied ``--copies`` times with each copy's sentences
made distinct, so the translator's repeat detection does not shorten any variant) is written as
``.txt``, ``.html``, ``.docx``, ``.srt`` and ``.md`` by examples/make_documents.py, markup inside
sentences and all, each with the same text (the Word file without the example's table, header and
footer), so every variant gives the model the same sentences: each child counts the texts its
model was given (``model inputs``; the page's headline is both its ``<title>`` and its ``<h1>``,
one input). Each variant translates its file end to end in its own process, on the
random MarianMT of opus-mt-ar-en's real architecture that benchmarks/translate_speed.py builds
(76.8 M parameters, vocabulary 62,802), with CTranslate2 int8 and the model's beam of 4; every
output is forced to the same number of decoder steps, so every variant does the same model work:

  txt   read_text + Translator.translate + the text out
  html  Document.open + translate (sentences, forced-decoding alignment where markup sits inside
        a sentence, placement) + the page written back; likewise docx, srt and md

No cache (each process starts cold and translates everything), guard in ``flag`` mode (the
random model's output is noise; retrying noise would measure the noise). Variants run in
interleaved rounds (``_rounds.py``). The target: the format work adds at most 10%, i.e. every
ratio below is at most 1.10. The last line is ``ratios: html/txt=… docx/txt=… srt/txt=… md/txt=…``,
times relative to the text's (the median over rounds; above 1 is slower).

    python benchmarks/documents_speed.py            # 3 rounds
    python benchmarks/documents_speed.py --quick    # 2 rounds, 2 copies
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _rounds

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("txt", "html", "docx", "srt", "md")
STEPS = 32
SUFFIXES = ("ي", "ة", "ن")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of the article (8 "
                                                              "sentences each, after the headline)")
    parser.add_argument("--quick", action="store_true", help="2 copies, 2 rounds")
    _rounds.add_options(parser)
    parser.add_argument("--workdir", type=Path, help="keep the built model here (reused if there)")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.copies = 2
    if args.variant:
        _child(args)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tarjama-docbench-"))
    try:
        _run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path) -> None:
    started = time.perf_counter()
    setup = _spawn(args, workdir, "build").data
    print(f"model: random MarianMT, opus-mt-ar-en architecture, {setup['parameters'] / 1e6:.1f} M "
          f"parameters; article x{args.copies}: {setup['sentences']} sentences, {STEPS} decoder "
          f"steps each, beam 4; {os.cpu_count()} CPUs")
    results = _rounds.run_rounds(
        list(VARIANTS), lambda variant: _spawn(args, workdir, variant), _rounds.rounds_wanted(args),
        describe=lambda variant, child: (
            f"({variant:<4}) {child.data['sentences']:>4} sent {child.data['inputs']:>4} model "
            f"inputs ({child.data['tokens']} tokens, {child.data['forced']} forced) "
            f"{child.data['seconds']:>7.2f} s"))
    print(_rounds.median_line("seconds, median (min-max)", results,
                              lambda child: child.data["seconds"]))
    print(f"total wall time {time.perf_counter() - started:.0f} s")

    def over_text(variant: str):
        return lambda r: r[variant].data["seconds"] / r["txt"].data["seconds"]

    _rounds.report(results, {f"{v}/txt": over_text(v) for v in VARIANTS[1:]})


def _spawn(args: argparse.Namespace, workdir: Path, variant: str) -> _rounds.Child:
    command = [sys.executable, __file__, "--variant", variant, "--workdir", str(workdir),
               "--copies", str(args.copies)]
    env = {**os.environ, "TARJAMA_CACHE": str(workdir / "tarjama-cache"),
           "TOKENIZERS_PARALLELISM": "false"}
    return _rounds.spawn(command, env)


def _child(args: argparse.Namespace) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    workdir = args.workdir
    if args.variant == "build":
        print(json.dumps(_build(args, workdir)))
        return
    from tarjama.documents import Document
    from tarjama.models import GenerationOptions
    from tarjama.textio import read_text
    from tarjama.translation import Translator

    options = GenerationOptions(min_new_tokens=STEPS + 1, max_new_tokens=STEPS + 1)
    translator = Translator(str(workdir / "marian-base"), generation=options, guard="flag",
                            cache=False)
    translator.translate_sentences(["جملة."])
    sent = _count_model_inputs(translator.backend)
    source = workdir / "docs" / f"article_ar.{args.variant}"
    started = time.perf_counter()
    if args.variant == "txt":
        result = translator.translate(read_text(source))
        sentences = len(result.sentences)
        (workdir / "out.txt").write_text(result.text, encoding="utf-8")
    else:
        done = Document.open(source).translate(translator)
        sentences = len(done.sentences)
        done.save(workdir / f"out.{args.variant}")
    seconds = time.perf_counter() - started
    backend = translator.backend
    print(json.dumps({"sentences": sentences, "seconds": seconds, "inputs": len(sent["generated"]),
                      "tokens": sum(backend.count_tokens(text) for text in sent["generated"]),
                      "forced": len(sent["forced"])}))


def _count_model_inputs(backend) -> dict[str, list[str]]:
    """The texts ``backend`` is given from now on: generated (``generate_scored``) and forced
    (``generate_detailed`` with targets, the alignment pass), so every variant can be seen to
    give the model the same work. Only the texts are kept; they are counted after the timing."""
    sent: dict[str, list[str]] = {"generated": [], "forced": []}
    scored, detailed = backend.generate_scored, backend.generate_detailed

    def generate_scored(batches):
        def seen():
            for batch in batches:
                sent["generated"].extend(batch[0])
                yield batch
        return scored(seen())

    def generate_detailed(texts, options, **keywords):
        sent["forced" if keywords.get("targets") is not None else "generated"].extend(texts)
        return detailed(texts, options, **keywords)

    backend.generate_scored, backend.generate_detailed = generate_scored, generate_detailed
    return sent


def _build(args: argparse.Namespace, workdir: Path) -> dict:
    """The model (translate_speed.py's builder, reused if built) and the article in each format."""
    speed = _load_script(REPO / "benchmarks" / "translate_speed.py", "translate_speed")
    model_dir = workdir / "marian-base"
    if not (model_dir / "model.safetensors").is_file():
        speed._build_model(model_dir, speed.ARCHS["base"], workdir)
    make = _load_script(REPO / "examples" / "make_documents.py", "make_documents")
    title, body = make.paragraphs()
    # Every variant carries the same text, so every variant gives the model the same sentences:
    # the headline ends with a full stop, since a subtitle track groups its cues into sentences
    # by their ends alone (without it the headline would run on into the first sentence), and the
    # Word file has no table, header or footer (the example's; text the others do not have).
    title += "."
    paragraphs = [_distinct(paragraph, copy) for copy in range(args.copies) for paragraph in body]
    folder = workdir / "docs"
    folder.mkdir(exist_ok=True)
    make.write_html(title, paragraphs, folder)
    make.write_markdown(title, paragraphs, folder)
    make.write_subtitles([title, *paragraphs], folder)
    make.write_docx(title, paragraphs, folder, extras=False)
    (folder / "article_ar.txt").write_text("\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    from tarjama.segment import split_paragraphs

    text = (folder / "article_ar.txt").read_text(encoding="utf-8")
    parameters = json.loads((model_dir / "parameters.json").read_text())["parameters"]
    return {"parameters": parameters,
            "sentences": sum(len(p.sentences) for p in split_paragraphs(text))}


def _distinct(paragraph: str, copy: int) -> str:
    """The paragraph with the first word of each sentence changed for copy ``copy`` (one letter
    added), so no sentence repeats another copy's (the translator translates a repeated sentence
    once)."""
    if copy == 0:
        return paragraph
    from tarjama.segment import split_sentences

    suffix = SUFFIXES[(copy - 1) % len(SUFFIXES)] * ((copy + 2) // 3)
    for sentence in reversed(split_sentences(paragraph)):
        space = paragraph.find(" ", sentence.start, sentence.end)
        end = sentence.end if space < 0 else space
        paragraph = paragraph[:end] + suffix + paragraph[end:]
    return paragraph


def _load_script(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
