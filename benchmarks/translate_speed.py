"""How fast, and in how much memory, tarjama translates compared with hand-wired code.

Builds a randomly initialised MarianMT with the real architecture of ``Helsinki-NLP/opus-mt-ar-en``
(``--arch base``: d_model 512, 6+6 layers, 8 heads, FFN 2048, vocabulary 62,802, tied embeddings,
76.8 M parameters) or of the default model ``opus-mt-tc-big-ar-en`` (``--arch big``: d_model 1024,
16 heads, FFN 4096, ReLU, vocabulary 61,100, 239 M parameters), and Arabic sentences of 8 to 60
tokens. Every output is forced to the same length (32 decoder steps), so every variant does the
same work. Each variant runs in its own process, which reports its sentences per second and its
peak resident memory; the variants run in interleaved rounds (``_rounds.py``: every ratio is
computed within a round and reported as its median over the rounds, with its min-max):

  (a) per-sentence HF ``generate`` (tokenize, generate, decode one sentence at a time)
  (b) HF batched, unsorted, 32 sentences per batch
  (c) raw CTranslate2 int8 ``translate_batch`` on pre-tokenized input, 32 per batch
  (d) tarjama's default path end to end: ``Translator(...).translate_sentences(texts)`` with the
      default backend (auto), batching, integrity guard and a fresh SQLite cache
  (e) (d) with the vocabulary shortlist (``Translator(..., shortlist=True)``, CTranslate2's
      ``use_vmap``). The random model has no parallel data to learn a map from, so the benchmark
      writes one of the default map's shape (``tarjama shortlist build``'s defaults: 4,000
      always-reachable target pieces plus 20 candidates per source piece); only its size matters
      for speed.
  (f) (d) with a 1,000-term glossary, names made consistent: the same 256 texts, each one
      sentence (``translate_documents(..., split=False)``, the texts as the lines of one
      document), so (f) adds to (d)'s work only what the glossary and the names' consistency do.
      ``--glossary names`` (the default) draws the terms as a glossary looks: every 1- or 2-word
      span of the sample corpus whose every word is in at most 1% of its lines (a name, a place,
      an organisation belongs to few news items; the news's common words, function words first,
      are in many: في in 67% of lines), the rest made-up names found in no text, as most of a
      real glossary's terms are absent from any one text. ``--glossary spans`` is session 24's
      dense glossary: random 1- or 2-word spans of the corpus, function words included, so nearly
      every sentence holds six terms and the renderings stand for most of its words. The note
      gives the units translated, the sentences with a term, the matches, how each term was
      applied, and the model inputs generated (see below).
  (g) (d) with confidence off (``confidence=False``): ``d/g`` is the speed the default
      confidence keeps (1.00: it costs nothing; the score comes out of the generation).

Before the table it prints the instruction set and GEMM backends CTranslate2 picked on this CPU
(its own log at load time, ``CT2_VERBOSE=1``), since the ratios depend on them.

On random weights the model never copies a glossary rendering, so every rendering in (f) replaces
the English words aligned to it, from the attention of the same generation: no sentence is
translated twice. (f)'s note prints how many terms went each way (inline, aligned, verbatim) and
how many model inputs it generated against (d)'s 256.

The weights are random, so the guard flags nearly every output; in (d) it runs in ``flag`` mode
(checks every sentence, no retries), because retrying noise would measure the noise, not the path.
Variant (a) is slow: it is timed on a subset (``--naive-sentences``) with the same length mix.
(a) and (b) run without the ``bad_words_ids`` and ``renormalize_logits`` settings of opus-mt's
generation config: they change no greedy output here and slow transformers down, so the HF
baselines are the fastest hand-wired code, not the slowest.

    python benchmarks/translate_speed.py                 # base, greedy, 3 rounds: ~2.5 min a
                                                         # round on 2 quiet cores (estimated from
                                                         # one-round rates); a busy machine takes
                                                         # many times longer (RESULTS.md)
    python benchmarks/translate_speed.py --beams 1,4     # beam 4 too (several times longer)
    python benchmarks/translate_speed.py --arch big
    python benchmarks/translate_speed.py --quick         # 96 sentences, 2 rounds, for development

The last line is ``ratios: d/a=X.XX d/b=X.XX d/c=X.XX rss_d/rss_b=X.XX e/b=X.XX f/d=X.XX d/g=X.XX``
(greedy, the medians over the rounds); the line before it gives their min-max.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import _rounds

ARCHS = {
    "base": dict(d_model=512, layers=6, heads=8, ffn=2048, vocab=62_802, activation="swish",
                 max_positions=512),
    "big": dict(d_model=1024, layers=6, heads=16, ffn=4096, vocab=61_100, activation="relu",
                max_positions=1024),
}
VARIANTS = ("a", "b", "c", "d", "e")
NAMES = {
    "a": "HF generate, one sentence at a time",
    "b": "HF batched (32, unsorted)",
    "c": "raw CTranslate2 int8 translate_batch (32)",
    "d": "tarjama default path, end to end",
    "e": "tarjama with the shortlist, end to end",
    "f": "(d) with a 1,000-term glossary and names",
    "g": "(d) without confidence",
}
#: (f): terms in the glossary, drawn from the corpus the sentences come from.
GLOSSARY_TERMS = 1000
#: (f) with ``--glossary names``: a term's words are each in at most this share of the corpus's
#: lines (one news item each).
NAME_LINE_SHARE = 0.01
GLOSSARIES = ("names", "spans")
# CTranslate2's own log lines, at load time, that name what it picked for this CPU.
CPU_LOG_MARKERS = ("CPU:", "Selected ISA", "backend", "Use Intel MKL")
BATCH = 32
MIN_TOKENS, MAX_TOKENS = 8, 60
SEED = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", choices=sorted(ARCHS), default="base")
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--naive-sentences", type=int, default=24,
                        help="sentences timed in (a), one generate call each (same length mix)")
    parser.add_argument("--out-tokens", type=int, default=32, help="decoder steps per sentence")
    parser.add_argument("--beams", default="1", help="beam sizes to time, comma-separated")
    parser.add_argument("--variants", default="abcdefg")
    parser.add_argument("--glossary", choices=GLOSSARIES, default="names",
                        help="(f)'s terms: names (as a glossary looks) or spans (dense: random "
                             "spans, function words included)")
    parser.add_argument("--quick", action="store_true",
                        help="for development: greedy only, 96 sentences, 8 in (a), 2 rounds")
    _rounds.add_options(parser)
    parser.add_argument("--workdir", type=Path, help="keep the built model here (reused if there)")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--beam", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.sentences, args.naive_sentences, args.beams = 96, 8, "1"
    if args.variant:
        _child(args)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tarjama-bench-"))
    try:
        _run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path) -> None:
    started = time.perf_counter()
    setup = _spawn(args, workdir, "build").data
    print(f"model: random MarianMT, {args.arch} architecture, {setup['parameters'] / 1e6:.1f} M "
          f"parameters, vocabulary {setup['vocab']:,}; {args.sentences} sentences of "
          f"{setup['min_tokens']}-{setup['max_tokens']} tokens (mean {setup['mean_tokens']:.1f}), "
          f"{args.out_tokens} decoder steps each; {os.cpu_count()} CPUs")
    for line in _cpu_report(workdir):
        print(f"ctranslate2: {line}")
    beams = [int(b) for b in args.beams.split(",")]
    runs = [_run_id(variant, beam) for beam in beams for variant in args.variants]
    results = _rounds.run_rounds(
        runs, lambda run: _spawn(args, workdir, *_parse_run_id(run)), _rounds.rounds_wanted(args),
        describe=_describe)
    print(_rounds.median_line("sent/s, median (min-max)", results, lambda child: child.data["rate"]))
    for beam in beams[1:]:
        if ratios := _ratios(beam, args.variants):
            _rounds.report(results, ratios, prefix=f"beam {beam}", warn=False)
    print(f"total wall time {time.perf_counter() - started:.0f} s")
    if ratios := _ratios(beams[0], args.variants):
        _rounds.report(results, ratios)


def _run_id(variant: str, beam: int) -> str:
    return variant if beam == 1 else f"{variant}@beam{beam}"


def _parse_run_id(run: str) -> tuple[str, int]:
    variant, _, beam = run.partition("@beam")
    return variant, int(beam or 1)


def _describe(run: str, child: _rounds.Child) -> str:
    variant, beam = _parse_run_id(run)
    note = f"  {child.data['note']}" if child.data.get("note") else ""
    return (f"({variant}) {NAMES[variant]:<40} beam {beam} {child.data['sentences']:>4} sent "
            f"{child.data['rate']:>7.2f} sent/s {child.rss_mb:>6.0f} MB{note}")


def _ratios(beam: int, variants: str) -> dict[str, Callable[[_rounds.Round], float]]:
    """Each ratio within one round: (d) and (e) against the baselines run minutes before or after
    them. Only the ratios of variants that ran (``--variants``)."""
    def rate(variant: str) -> Callable[[_rounds.Round], float]:
        return lambda r: r[_run_id(variant, beam)].data["rate"]

    def over(top: str, bottom: str) -> Callable[[_rounds.Round], float]:
        return lambda r: rate(top)(r) / rate(bottom)(r)

    def rss(r: _rounds.Round) -> float:
        return r[_run_id("d", beam)].rss_mb / r[_run_id("b", beam)].rss_mb

    ratios = {"d/a": over("d", "a"), "d/b": over("d", "b"), "d/c": over("d", "c"),
              "rss_d/rss_b": rss, "e/b": over("e", "b"), "f/d": over("f", "d"),
              "d/g": over("d", "g")}
    return {name: ratio for name, ratio in ratios.items()
            if set(name.replace("rss_", "").split("/")) <= set(variants)}


def _cpu_report(workdir: Path) -> list[str]:
    """What CTranslate2 says, when it loads the model, about the CPU and the kernels it picked."""
    command = [sys.executable, "-c", "import ctranslate2, sys; ctranslate2.Translator(sys.argv[1])",
               (workdir / "ct2-path.txt").read_text(encoding="utf-8")]
    result = subprocess.run(command, capture_output=True, text=True,
                            env={**os.environ, "CT2_VERBOSE": "1"})
    lines = [line.rpartition("] ")[2].strip() for line in result.stderr.splitlines()]
    return [line for line in lines if any(marker in line for marker in CPU_LOG_MARKERS)]


def _spawn(args: argparse.Namespace, workdir: Path, variant: str, beam: int = 1) -> _rounds.Child:
    command = [sys.executable, __file__, "--variant", variant, "--beam", str(beam),
               "--arch", args.arch, "--sentences", str(args.sentences),
               "--naive-sentences", str(args.naive_sentences), "--out-tokens", str(args.out_tokens),
               "--workdir", str(workdir), "--glossary", args.glossary]
    env = {**os.environ, "TARJAMA_CACHE": str(workdir / "tarjama-cache"),
           "TOKENIZERS_PARALLELISM": "false"}
    return _rounds.spawn(command, env)


# --- children -------------------------------------------------------------------------------------

def _child(args: argparse.Namespace) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    workdir = args.workdir
    if args.variant == "build":
        print(json.dumps(_build(args, workdir)))
        return
    data = json.loads((workdir / "sentences.json").read_text(encoding="utf-8"))
    texts, tokens = data["texts"], data["tokens"]
    if args.variant == "a":
        # Every k-th sentence: the same length mix as the whole set.
        step = max(1, len(texts) // args.naive_sentences)
        texts, tokens = texts[::step][:args.naive_sentences], tokens[::step][:args.naive_sentences]
    run = {"a": _hf_naive, "b": _hf_batched, "c": _ct2_raw, "d": _tarjama,
           "e": _tarjama_shortlist, "f": _tarjama_glossary,
           "g": _tarjama_without_confidence}[args.variant]
    if args.variant == "f":
        run = functools.partial(_tarjama_glossary, glossary_kind=args.glossary)
    seconds, note = run(workdir, texts, tokens, args.beam, args.out_tokens)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"sentences": len(texts), "seconds": seconds, "rate": len(texts) / seconds,
                      "rss_mb": rss_mb, "note": note}))


def _build(args: argparse.Namespace, workdir: Path) -> dict:
    """The random model (reused if built), its tokenizer, the sentences and the CTranslate2 copy."""
    model_dir = workdir / f"marian-{args.arch}"
    arch = ARCHS[args.arch]
    if not (model_dir / "model.safetensors").is_file():
        _build_model(model_dir, arch, workdir)
    from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece

    tokenizer = MarianSentencePiece(model_dir)
    texts, tokens = _sentences(tokenizer, args.sentences)
    (workdir / "sentences.json").write_text(json.dumps({"texts": texts, "tokens": tokens},
                                                       ensure_ascii=False), encoding="utf-8")
    from tarjama.backends.ctranslate2.convert import ensure_converted
    from tarjama.models import TRANSLATION, resolve_model

    # Converted once, here, with tarjama's own conversion: (c) and (d) load the same files.
    source = resolve_model(str(model_dir), TRANSLATION)
    converted = ensure_converted(source, "int8")
    (workdir / "ct2-path.txt").write_text(str(converted), encoding="utf-8")
    _write_shortlist(converted, tokenizer)
    lengths = [len(t) for t in tokens]
    config = json.loads((model_dir / "config.json").read_text())
    return {"parameters": json.loads((model_dir / "parameters.json").read_text())["parameters"],
            "vocab": config["vocab_size"], "min_tokens": min(lengths), "max_tokens": max(lengths),
            "mean_tokens": sum(lengths) / len(lengths)}


def _build_model(model_dir: Path, arch: dict, workdir: Path) -> None:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    from tarjama.testing import make_models

    # The tiny models' sentencepiece files tokenize real Arabic; the vocabulary is padded with
    # synthetic pieces to the real size, so the embeddings and the output layer have their real
    # shape. <pad> stays last, as in opus-mt (CTranslate2's converter relies on it).
    tiny = make_models(workdir / "tiny").marian
    scratch = model_dir.with_name(model_dir.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(tiny / name, scratch / name)
    vocab = json.loads((tiny / "vocab.json").read_text(encoding="utf-8"))
    vocab.pop("<pad>")
    for number in range(arch["vocab"] - 1 - len(vocab)):
        vocab[f"▁synthetic{number}"] = len(vocab)
    vocab["<pad>"] = pad = len(vocab)
    (scratch / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    MarianTokenizer(str(scratch / "source.spm"), str(scratch / "target.spm"),
                    str(scratch / "vocab.json"), source_lang="ar", target_lang="en",
                    model_max_length=arch["max_positions"]).save_pretrained(scratch)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=arch["d_model"], encoder_layers=arch["layers"],
        decoder_layers=arch["layers"], encoder_attention_heads=arch["heads"],
        decoder_attention_heads=arch["heads"], encoder_ffn_dim=arch["ffn"],
        decoder_ffn_dim=arch["ffn"], max_position_embeddings=arch["max_positions"],
        activation_function=arch["activation"], scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True, pad_token_id=pad,
        decoder_start_token_id=pad, bos_token_id=0, eos_token_id=0, forced_eos_token_id=0)
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    # The real model's generation settings (opus-mt-ar-en's generation_config.json).
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]], bos_token_id=0, decoder_start_token_id=pad, eos_token_id=0,
        forced_eos_token_id=0, max_length=512, num_beams=4, pad_token_id=pad,
        renormalize_logits=True)
    model.save_pretrained(scratch)
    parameters = sum(p.numel() for p in model.parameters())
    (scratch / "parameters.json").write_text(json.dumps({"parameters": parameters}))
    shutil.rmtree(model_dir, ignore_errors=True)
    os.replace(scratch, model_dir)


def _write_shortlist(converted: Path, tokenizer) -> None:
    """A map of the real one's shape over this model's vocabulary, saved where (e) finds it."""
    from tarjama.backends.ctranslate2.vmap import DEFAULT_PER_SOURCE, DEFAULT_SIZE, Shortlist, save_shortlist

    rng = random.Random(SEED)
    pieces = [p for p in tokenizer.vocab if p not in ("</s>", "<unk>", "<pad>")]
    shortlist = Shortlist(
        frequent=tuple(pieces[:DEFAULT_SIZE]),
        candidates={p: tuple(rng.sample(pieces, DEFAULT_PER_SOURCE)) for p in pieces})
    save_shortlist(shortlist, converted)


def _sentences(tokenizer, count: int) -> tuple[list[str], list[list[str]]]:
    """``count`` distinct Arabic sentences of MIN_TOKENS..MAX_TOKENS tokens, uniformly mixed."""
    from tarjama.testing.tiny import CORPUS_DIR

    words = (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").split()
    rng = random.Random(SEED)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        target = rng.randint(MIN_TOKENS, MAX_TOKENS)
        start = rng.randrange(len(words))
        end = start + 1
        while end < len(words) and len(tokenizer.encode(" ".join(words[start:end + 1]))) <= target:
            end += 1
        text = " ".join(words[start:end])
        if len(tokenizer.encode(text)) >= MIN_TOKENS and text not in seen:
            seen.add(text)
            texts.append(text)
    return texts, [tokenizer.encode(text) for text in texts]


def _model_dir(workdir: Path) -> Path:
    [model_dir] = [p for p in workdir.glob("marian-*") if not p.name.endswith(".partial")]
    return model_dir


def _hf_load(workdir: Path):
    import torch
    import transformers
    from transformers import MarianMTModel, MarianTokenizer

    transformers.logging.set_verbosity_error()
    model_dir = _model_dir(workdir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    # The fastest hand-wired HF: without the two logits processors of opus-mt's config, which
    # change no greedy output here and cost transformers several milliseconds a step.
    model.generation_config.bad_words_ids = None
    model.generation_config.renormalize_logits = False
    return torch, MarianTokenizer.from_pretrained(model_dir), model


def _hf_naive(workdir: Path, texts, tokens, beam: int, steps: int):
    torch, tokenizer, model = _hf_load(workdir)
    settings = dict(num_beams=beam, min_new_tokens=steps, max_new_tokens=steps)

    def one(text: str) -> str:
        batch = tokenizer([text], return_tensors="pt")
        with torch.inference_mode():
            return tokenizer.batch_decode(model.generate(**batch, **settings),
                                          skip_special_tokens=True)[0]

    one(texts[0])
    started = time.perf_counter()
    for text in texts:
        one(text)
    return time.perf_counter() - started, ""


def _hf_batched(workdir: Path, texts, tokens, beam: int, steps: int):
    torch, tokenizer, model = _hf_load(workdir)
    settings = dict(num_beams=beam, min_new_tokens=steps, max_new_tokens=steps)

    def run(batch_texts: list[str]) -> list[str]:
        batch = tokenizer(batch_texts, return_tensors="pt", padding=True)
        with torch.inference_mode():
            return tokenizer.batch_decode(model.generate(**batch, **settings),
                                          skip_special_tokens=True)

    run(texts[:1])
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        run(texts[start:start + BATCH])
    return time.perf_counter() - started, ""


def _ct2_raw(workdir: Path, texts, tokens, beam: int, steps: int):
    import ctranslate2

    path = (workdir / "ct2-path.txt").read_text(encoding="utf-8")
    translator = ctranslate2.Translator(path, device="cpu", compute_type="int8")
    settings = dict(beam_size=beam, min_decoding_length=steps, max_decoding_length=steps)
    translator.translate_batch(tokens[:1], **settings)
    started = time.perf_counter()
    for start in range(0, len(tokens), BATCH):
        translator.translate_batch(tokens[start:start + BATCH], **settings)
    return time.perf_counter() - started, ""


def _tarjama(workdir: Path, texts, tokens, beam: int, steps: int, shortlist: bool = False,
             confidence: bool = True):
    from tarjama.backends import GenerationOptions
    from tarjama.translation import Translator

    # One step more than the others: the model's forced end-of-sentence token is the last step in
    # transformers, and tarjama's CTranslate2 backend leaves it out (see _settings there), so this
    # is the same `steps` decoder steps.
    options = GenerationOptions(num_beams=beam, min_new_tokens=steps + 1, max_new_tokens=steps + 1)
    translator = Translator(str(_model_dir(workdir)), generation=options, guard="flag",
                            cache=workdir / "bench-cache" / f"{os.getpid()}.sqlite3",
                            shortlist=shortlist, confidence=confidence)
    translator.translate_sentences(["جملة."])
    started = time.perf_counter()
    results = translator.translate_sentences_flagged(texts)
    seconds = time.perf_counter() - started
    flagged = sum(1 for _, flags in results if flags)
    b = translator.backend
    return seconds, f"[{b.name} {b.compute_type}; {flagged} flagged]"


def _tarjama_shortlist(workdir: Path, texts, tokens, beam: int, steps: int):
    return _tarjama(workdir, texts, tokens, beam, steps, shortlist=True)


def _tarjama_without_confidence(workdir: Path, texts, tokens, beam: int, steps: int):
    return _tarjama(workdir, texts, tokens, beam, steps, confidence=False)


def _tarjama_glossary(workdir: Path, texts, tokens, beam: int, steps: int,
                      glossary_kind: str = "names"):
    """(d) with a glossary of GLOSSARY_TERMS terms, through ``translate_documents`` (where names
    are made consistent), the texts as the lines of one document, each line one sentence."""
    from tarjama.backends import GenerationOptions
    from tarjama.translation import Translator

    glossary = _name_glossary() if glossary_kind == "names" else _span_glossary()
    options = GenerationOptions(num_beams=beam, min_new_tokens=steps + 1, max_new_tokens=steps + 1)
    translator = Translator(str(_model_dir(workdir)), generation=options, guard="flag",
                            cache=workdir / "bench-cache" / f"{os.getpid()}.sqlite3",
                            glossary=glossary)
    translator.translate_sentences(["جملة."])
    generated = _count_generated(translator)
    started = time.perf_counter()
    [result] = translator.translate_documents(["\n".join(texts)], split=False)
    seconds = time.perf_counter() - started
    assert [s.source for s in result.sentences] == texts
    with_terms = sum(1 for s in result.sentences if s.terms)
    matches = sum(len(s.terms) for s in result.sentences)
    methods = Counter(use.method for s in result.sentences for use in s.terms)
    # The glossary's and the names' own work, apart from the model's: matching every sentence and
    # making one document's names consistent, timed again on the same texts.
    from tarjama.terms.names import consistent_names

    started = time.perf_counter()
    for sentence in result.sentences:
        glossary.protect(sentence.source)
    consistent_names([s.source for s in result.sentences], [s.translation for s in result.sentences])
    own = time.perf_counter() - started
    tally = translator.tally
    return seconds, (f"[{glossary_kind}: {len(result.sentences)} units, {with_terms} with terms, "
                     f"{matches} matches ({matches / max(with_terms, 1):.1f} a sentence with terms); "
                     f"inline copied {tally.inline_copied}/{tally.inline_tried}; terms inline "
                     f"{methods['inline']}, aligned {methods['aligned']}, verbatim {methods['verbatim']}; "
                     f"{generated[0]} inputs generated; matching and names {own:.3f} s]")


def _count_generated(translator) -> list[int]:
    """A counter of the model inputs the translator's backend generates from now on."""
    count = [0]
    real = translator.backend.generate_scored

    def generate_scored(batches):
        def counted():
            for batch in batches:
                count[0] += len(batch[0])
                yield batch
        return real(counted())

    translator.backend.generate_scored = generate_scored
    return count


def _corpus_spans() -> list[list[str]]:
    """The corpus's lines as words, punctuation stripped."""
    from tarjama.testing.tiny import corpus

    return [[word.strip(".،؛:!؟\"«»()") for word in line.split()] for line in corpus("arabic.txt")]


def _arabic_word(word: str) -> bool:
    return bool(word) and word.isalpha() and any("\u0600" <= c <= "\u06ff" for c in word)


def _name_glossary():
    """GLOSSARY_TERMS terms as a glossary looks: the corpus's 1- and 2-word spans whose every word
    is in at most NAME_LINE_SHARE of its lines, then made-up names that occur in no text."""
    from tarjama.terms.arabic import fold_word
    from tarjama.terms.glossary import Glossary, Term

    lines = _corpus_spans()
    in_lines = Counter(word for words in lines for word in set(words))
    specific = {word for word, count in in_lines.items()
                if _arabic_word(word) and count <= NAME_LINE_SHARE * len(lines)}
    terms = list(dict.fromkeys(" ".join(words[i:i + size]) for words in lines
                               for size in (1, 2) for i in range(len(words) - size + 1)
                               if set(words[i:i + size]) <= specific))
    rng = random.Random(SEED)
    random_order = rng.sample(terms, len(terms))[:GLOSSARY_TERMS]
    known = {fold_word(word) for words in lines for word in words}
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    made_up: list[str] = []
    while len(random_order) + len(made_up) < GLOSSARY_TERMS:
        name = "ال" + "".join(rng.choice(letters) for _ in range(rng.randint(4, 6)))
        if fold_word(name) not in known and name not in made_up:
            made_up.append(name)
    return Glossary(Term(arabic, f"Term{k:04d}")
                    for k, arabic in enumerate(random_order + made_up))


def _span_glossary():
    """Dense: GLOSSARY_TERMS random 1- and 2-word spans of the corpus, function words and all,
    so nearly every sentence holds several terms."""
    from tarjama.terms.glossary import Glossary, Term
    from tarjama.testing.tiny import CORPUS_DIR

    words = (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").split()
    rng = random.Random(SEED)
    terms: dict[str, Term] = {}
    while len(terms) < GLOSSARY_TERMS:
        start = rng.randrange(len(words) - 1)
        arabic = " ".join(words[start:start + rng.choice((1, 2))]).strip(".،؛:!؟\"«»()")
        if arabic and any("\u0600" <= c <= "\u06ff" for c in arabic) and " ".join(
                arabic.split()) == arabic and arabic.replace(" ", "").isalpha():
            terms.setdefault(arabic, Term(arabic, f"Term{len(terms):04d}"))
    return Glossary(terms.values())


if __name__ == "__main__":
    main()
