"""How fast, and in how much memory, tarjama does its main job: an Arabic article in, a summary out.

An Arabic article of about 40 sentences (~1,000 words: consecutive sentences of NTREX-128 from
``../shared/data`` when present, else the shipped sample repeated) goes through the whole job on
randomly initialised models with the real default architectures, built here once:

* ``Helsinki-NLP/opus-mt-tc-big-ar-en``: MarianMT transformer-big, d_model 1024, 6+6 layers,
  16 heads, FFN 4096, ReLU, joint vocabulary of 61,100, beam 4;
* ``sshleifer/distilbart-cnn-12-6``: BART, d_model 1024, 12 encoder and 6 decoder layers,
  16 heads, FFN 4096, vocabulary 50,264, 1,024 positions, beam 4, no_repeat_ngram_size 3,
  length_penalty 2.0.

Their tokenizers are trained here on the reference data (sentencepiece for Marian, byte-level BPE
for BART), so token counts are realistic; the output report says how many tokens there were. The
vocabularies are filled to their real sizes with filler pieces that neither model may write: a
filler read back as text becomes several tokens, so a summary of 100 tokens would be read as ~400
by the next round, where a real model's English reads back as about as many tokens as it wrote.
Output lengths are forced equal in every variant through the models' own settings: each sentence's
translation is 1.2 times the article's mean source tokens per sentence (the model's ``min_length``,
and an end-of-sentence bias that ends it there), each summary call writes 100 tokens.

  (a) hand-wired transformers, as a notebook user writes it: the sentences through batched
      ``generate`` (16 at a time), then one summary ``generate`` of the whole translation
      truncated at 1,024 tokens;
  (b) tarjama with ``--backend torch`` for both models (``ModelSettings(..., backend="torch")`` for each);
  (c) tarjama's default path (both models on CTranslate2 int8).

(b) and (c) run what ``tarjama summarize`` runs, the translation cache included (a fresh one), with
the integrity guard in ``flag`` mode: it checks every sentence, but does not retry the noise a
random model writes. Each variant runs in its own process; its wall time counts everything from
the start of the process (imports, loading, tokenizing, generating) and its peak resident memory is
its own. The variants run in interleaved rounds (``_rounds.py``): every ratio is computed within a
round and reported as its median over the rounds, with its min-max. The one-time conversion to
CTranslate2 (and the measurement of its thread split) is timed on its own line and left out of the
ratios.

    python benchmarks/summarize_speed.py            # 3 rounds: ~25 minutes on 2 quiet cores
                                                    # (estimated: one round took ~7 minutes),
                                                    # 6 GB of disk
    python benchmarks/summarize_speed.py --rounds 1 # one round, as before
    python benchmarks/summarize_speed.py --quick    # small models, short article: a smoke test

The last line is ``ratios: c/a=X.XX c/b=X.XX rss_c/rss_b=X.XX``: c/a and c/b say how many times
faster (c) is than (a) and (b); rss_c/rss_b is (c)'s peak memory as a share of (b)'s; each is the
median over the rounds, and the line before it gives their min-max.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import _rounds

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SCALES = {
    "full": dict(marian=dict(d_model=1024, layers=6, heads=16, ffn=4096),
                 bart=dict(d_model=1024, encoder_layers=12, decoder_layers=6, heads=16, ffn=4096),
                 words=1000, summary_tokens=100),
    "quick": dict(marian=dict(d_model=256, layers=2, heads=4, ffn=1024),
                  bart=dict(d_model=256, encoder_layers=2, decoder_layers=1, heads=4, ffn=1024),
                  words=250, summary_tokens=30),
}
MARIAN_VOCAB = 61_100
BART_VOCAB = 50_264
MAX_POSITIONS = 1024
SPM_VOCAB = 8000
BPE_VOCAB = 16_000
OUTPUT_PER_SOURCE_TOKEN = 1.2
HF_BATCH = 16
# A logit bias the noise of a random model never beats: on the end-of-sentence token (so an output
# ends as soon as its minimum length allows), against Marian's pieces that are not English.
EOS_BIAS = 50.0
BLOCKED = -50.0
SEED = 7
VARIANTS = ("a", "b", "c")
NAMES = {
    "a": "hand-wired transformers (float32)",
    "b": "tarjama --backend torch",
    "c": "tarjama default (ctranslate2)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small models and a short article")
    parser.add_argument("--workdir", type=Path, help="keep the built models here (reused if there)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    _rounds.add_options(parser)
    args = parser.parse_args()
    scale = "quick" if args.quick else "full"
    if args.step:
        _child(args.step, args.workdir, scale)
        return
    rounds = _rounds.rounds_wanted(args)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tarjama-summarize-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        _run(workdir, scale, rounds)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(workdir: Path, scale: str, rounds: int) -> None:
    setup = _spawn(workdir, scale, "build").data
    print(f"article: {setup['sentences']} sentences, {setup['words']} words ({setup['origin']}); "
          f"{setup['source_tokens']} Marian source tokens; each translation forced to "
          f"{setup['translation_tokens']} tokens, each summary call to "
          f"{SCALES[scale]['summary_tokens']}; {os.cpu_count()} CPUs")
    print(f"models ({scale}): random opus-mt-tc-big-ar-en architecture "
          f"{setup['marian_parameters'] / 1e6:.0f} M parameters, random distilbart-cnn-12-6 "
          f"architecture {setup['bart_parameters'] / 1e6:.0f} M parameters; beams 4 and 4")
    from tarjama.translation.translator import output_budget

    shortest, length = setup["shortest_tokens"], setup["translation_tokens"]
    if output_budget(shortest, MAX_POSITIONS) < length:
        print(f"warning: the shortest sentence ({shortest} tokens) may get fewer than {length} "
              f"tokens")
    seconds = _spawn(workdir, scale, "convert").wall_s
    print(f"one-time conversion of both models to CTranslate2 int8 and thread measurement: "
          f"{seconds:.1f} s (not in the ratios)")
    results = _rounds.run_rounds(VARIANTS, lambda variant: _spawn(workdir, scale, variant), rounds,
                                 describe=_describe)
    print(_rounds.median_line("wall s, median (min-max)", results, lambda child: child.wall_s,
                              fmt=".1f"))
    _rounds.report(results, {
        "c/a": lambda r: r["a"].wall_s / r["c"].wall_s,
        "c/b": lambda r: r["b"].wall_s / r["c"].wall_s,
        "rss_c/rss_b": lambda r: r["c"].rss_mb / r["b"].rss_mb,
    })


def _describe(variant: str, child: _rounds.Child) -> str:
    return f"({variant}) {NAMES[variant]:<36} {child.rss_mb:>6.0f} MB  {child.data['note']}"


def _spawn(workdir: Path, scale: str, step: str) -> _rounds.Child:
    command = [sys.executable, __file__, "--step", step, "--workdir", str(workdir)]
    if scale == "quick":
        command.append("--quick")
    env = {**os.environ, "TARJAMA_CACHE": str(workdir / "tarjama-cache"),
           "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    return _rounds.spawn(command, env)


# --- children -------------------------------------------------------------------------------------

def _child(step: str, workdir: Path, scale: str) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    if step == "build":
        print(json.dumps(_build(workdir, scale)))
        return
    if step == "convert":
        _convert(workdir)
        return
    sentences = json.loads((workdir / "sentences.json").read_text(encoding="utf-8"))
    note = _hand_wired(workdir, sentences) if step == "a" else _tarjama(workdir, step)
    print(json.dumps({"note": note}))


def _folders(workdir: Path) -> tuple[Path, Path]:
    return workdir / "marian", workdir / "bart"


def _build(workdir: Path, scale: str) -> dict:
    """The article, both random models (reused if built for this scale) and their statistics."""
    settings = SCALES[scale]
    marker = workdir / "setup.json"
    if marker.is_file():
        setup = json.loads(marker.read_text(encoding="utf-8"))
        if setup["scale"] == scale:
            if "shortest_tokens" not in setup:  # built by an earlier version of this script
                setup["shortest_tokens"] = min(_marian_tokens(workdir / "marian", json.loads(
                    (workdir / "sentences.json").read_text(encoding="utf-8"))))
                marker.write_text(json.dumps(setup), encoding="utf-8")
            return setup
    from tarjama.segment import split_paragraphs

    arabic, english, origin, lines = _texts(settings["words"])
    article = "\n".join(lines) + "\n"
    (workdir / "article.txt").write_text(article, encoding="utf-8")
    sentences = [s.text for p in split_paragraphs(article) for s in p.sentences]
    (workdir / "sentences.json").write_text(json.dumps(sentences, ensure_ascii=False),
                                            encoding="utf-8")
    marian, bart = _folders(workdir)
    tokens = _build_marian(marian, settings["marian"], arabic, english, sentences)
    length = round(OUTPUT_PER_SOURCE_TOKEN * sum(tokens) / len(tokens))
    _set_generation(marian, min_length=length)
    _build_bart(bart, settings["bart"], english, settings["summary_tokens"])
    setup = {"scale": scale, "origin": origin, "sentences": len(sentences),
             "words": len(article.split()), "source_tokens": sum(tokens),
             "translation_tokens": length, "shortest_tokens": min(tokens),
             "marian_parameters": _parameters(marian), "bart_parameters": _parameters(bart)}
    marker.write_text(json.dumps(setup), encoding="utf-8")
    return setup


def _texts(words: int) -> tuple[list[str], list[str], str, list[str]]:
    """Arabic and English training text for the tokenizers, the article's origin and its lines."""
    from tarjama.testing.tiny import CORPUS_DIR

    arabic = (CORPUS_DIR / "arabic.txt").read_text(encoding="utf-8").splitlines()
    english = (CORPUS_DIR / "english.txt").read_text(encoding="utf-8").splitlines()
    ntrex = DATA / "ntrex128" / "newstest2019-ref.arb.txt"
    if ntrex.is_file():
        source = ntrex.read_text(encoding="utf-8").splitlines()
        arabic += source
        english += (DATA / "ntrex128" / "newstest2019-src.eng.txt").read_text(
            encoding="utf-8").splitlines()
        for name, language in (("arb_Arab.devtest", arabic), ("eng_Latn.devtest", english)):
            language += (DATA / "flores200" / name).read_text(encoding="utf-8").splitlines()
        origin = "NTREX-128 newstest2019, consecutive sentences from the first"
    else:
        sample = (REPO / "examples" / "article_ar.txt").read_text(encoding="utf-8").splitlines()
        source = [line for line in sample if line.strip()] * 20
        origin = "the shipped sample article, repeated"
    lines, count = [], 0
    for line in source:
        if count >= words:
            break
        lines.append(line)
        count += len(line.split())
    return arabic, english, f"{origin} {len(lines)} lines", lines


def _train_sentencepiece(lines: list[str]) -> bytes:
    import io

    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram",
        vocab_size=SPM_VOCAB, hard_vocab_limit=False, character_coverage=1.0, num_threads=2,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2)
    return model.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())
            if not (processor.is_control(i) or processor.is_unknown(i))]


def _build_marian(out: Path, arch: dict, arabic: list[str], english: list[str],
                  sentences: list[str]) -> list[int]:
    """The random opus-mt-tc-big-ar-en; returns the source tokens of each sentence."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    source, target = _train_sentencepiece(arabic), _train_sentencepiece(english)
    (out / "source.spm").write_bytes(source)
    (out / "target.spm").write_bytes(target)
    # Laid out like opus-mt: </s> 0, <unk> 1, the pieces, filler to the real size, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(source) + _pieces(target):
        vocab.setdefault(piece, len(vocab))
    english_pieces = {vocab[piece] for piece in _pieces(target)}
    while len(vocab) < MARIAN_VOCAB - 1:
        vocab[f"▁filler{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = pad = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json"),
                    source_lang="ar", target_lang="en",
                    model_max_length=MAX_POSITIONS).save_pretrained(out)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=arch["d_model"], encoder_layers=arch["layers"],
        decoder_layers=arch["layers"], encoder_attention_heads=arch["heads"],
        decoder_attention_heads=arch["heads"], encoder_ffn_dim=arch["ffn"],
        decoder_ffn_dim=arch["ffn"], max_position_embeddings=MAX_POSITIONS,
        activation_function="relu", scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, pad_token_id=pad, decoder_start_token_id=pad, bos_token_id=0,
        eos_token_id=0, forced_eos_token_id=0)
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias.fill_(BLOCKED)
        model.final_logits_bias[0, sorted(english_pieces)] = 0.0
        model.final_logits_bias[0, 0] = EOS_BIAS
    # opus-mt-tc-big-ar-en's own generation settings.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]], bos_token_id=0, decoder_start_token_id=pad, eos_token_id=0,
        forced_eos_token_id=0, max_length=512, num_beams=4, pad_token_id=pad,
        renormalize_logits=True)
    model.save_pretrained(out)
    return _marian_tokens(out, sentences)


def _marian_tokens(folder: Path, sentences: list[str]) -> list[int]:
    from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece

    tokenizer = MarianSentencePiece(folder)
    return [len(tokenizer.encode(sentence)) for sentence in sentences]


def _build_bart(out: Path, arch: dict, english: list[str], summary_tokens: int) -> None:
    """The random distilbart-cnn-12-6, with its tokenizer's vocabulary filled to the real size."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.train_from_iterator(english, trainers.BpeTrainer(
        vocab_size=BPE_VOCAB, special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    trained = json.loads(bpe.to_str())["model"]
    vocab = dict(trained["vocab"])
    while len(vocab) < BART_VOCAB - 1:
        vocab[f"filler{len(vocab)}"] = len(vocab)
    vocab["<mask>"] = len(vocab)
    BartTokenizer(vocab=vocab, merges=[tuple(m) for m in trained["merges"]],
                  model_max_length=MAX_POSITIONS).save_pretrained(out)
    config = BartConfig(
        vocab_size=len(vocab), d_model=arch["d_model"], encoder_layers=arch["encoder_layers"],
        decoder_layers=arch["decoder_layers"], encoder_attention_heads=arch["heads"],
        decoder_attention_heads=arch["heads"], encoder_ffn_dim=arch["ffn"],
        decoder_ffn_dim=arch["ffn"], max_position_embeddings=MAX_POSITIONS, bos_token_id=0,
        pad_token_id=1, eos_token_id=2, decoder_start_token_id=2, forced_bos_token_id=0,
        forced_eos_token_id=2)
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config).eval()
    with torch.no_grad():
        model.final_logits_bias.fill_(BLOCKED)
        model.final_logits_bias[0, :len(trained["vocab"])] = 0.0
        model.final_logits_bias[0, 2] = EOS_BIAS
    # distilbart-cnn-12-6's own generation settings, but for min_length: transformers counts the
    # decoder start token in it, so every summary call writes summary_tokens tokens.
    model.generation_config = GenerationConfig(
        bos_token_id=0, decoder_start_token_id=2, eos_token_id=2, forced_bos_token_id=0,
        forced_eos_token_id=2, pad_token_id=1, num_beams=4, max_length=142,
        min_length=summary_tokens, no_repeat_ngram_size=3, length_penalty=2.0, early_stopping=True)
    model.save_pretrained(out)


def _set_generation(folder: Path, **settings: int) -> None:
    path = folder / "generation_config.json"
    generation = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**generation, **settings}, indent=2), encoding="utf-8")


def _parameters(folder: Path) -> int:
    from safetensors import safe_open

    total = 0
    with safe_open(str(folder / "model.safetensors"), "np") as weights:
        for name in weights.keys():  # noqa: SIM118 (safe_open is not iterable)
            shape = weights.get_slice(name).get_shape()
            count = 1
            for size in shape:
                count *= size
            total += count
    return total


def _convert(workdir: Path) -> None:
    from tarjama.backends.ctranslate2.convert import ensure_converted
    from tarjama.backends.ctranslate2.threads import cpu_threads
    from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model

    marian, bart = _folders(workdir)
    # The thread split is measured once per machine and model copy, like the conversion, so it
    # is timed here too (a few seconds), not in (c).
    cpu_threads(ensure_converted(resolve_model(str(marian), TRANSLATION), "int8"), "int8",
                queued=True)
    cpu_threads(ensure_converted(resolve_model(str(bart), SUMMARIZATION), "int8"), "int8")


def _hand_wired(workdir: Path, sentences: list[str]) -> str:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    marian, bart = _folders(workdir)
    tokenizer = AutoTokenizer.from_pretrained(marian)
    model = AutoModelForSeq2SeqLM.from_pretrained(marian).eval()
    translations: list[str] = []
    with torch.inference_mode():
        for start in range(0, len(sentences), HF_BATCH):
            batch = tokenizer(sentences[start:start + HF_BATCH], return_tensors="pt", padding=True)
            translations += tokenizer.batch_decode(model.generate(**batch, max_new_tokens=512),
                                                   skip_special_tokens=True)
    summary_tokenizer = AutoTokenizer.from_pretrained(bart)
    summarizer = AutoModelForSeq2SeqLM.from_pretrained(bart).eval()
    text = " ".join(translations)
    inputs = summary_tokenizer([text], truncation=True, max_length=MAX_POSITIONS,
                               return_tensors="pt")
    with torch.inference_mode():
        output = summarizer.generate(**inputs)
    summary = summary_tokenizer.decode(output[0], skip_special_tokens=True)
    total = len(summary_tokenizer(text).input_ids)
    return (f"[1 summary call; summarizer input {inputs.input_ids.shape[1]} of {total} tokens; "
            f"summary {len(summary.split())} words]")


def _tarjama(workdir: Path, variant: str) -> str:
    from tarjama import ModelSettings, TranslatorSettings
    from tarjama.pipeline import Pipeline

    marian, bart = _folders(workdir)
    cache = workdir / f"translations-{variant}.sqlite3"
    for leftover in workdir.glob(f"{cache.name}*"):
        leftover.unlink()
    text = (workdir / "article.txt").read_text(encoding="utf-8")
    backend = "torch" if variant == "b" else "auto"
    pipeline = Pipeline(TranslatorSettings.of(str(marian), backend=backend, cache=cache, guard="flag"),
                        ModelSettings(str(bart), backend=backend))
    result = pipeline.summarize(text)
    summary = result.summary
    assert result.translation is not None
    flagged = sum(1 for sentence in result.translation.sentences if sentence.flags)
    backend = summary.signature.split("|backend:")[1].split("|")[0]
    return (f"[{len(summary.chunks)} summary calls in {summary.rounds} rounds; {backend}; "
            f"{flagged} sentences flagged by the guard]")


if __name__ == "__main__":
    main()
