"""Tiny random models that load and run exactly like the real ones, built offline in seconds.

``marian-tiny`` has the files, token ids and generation settings of ``Helsinki-NLP/opus-mt-ar-en``;
``summarizer-tiny`` those of ``sshleifer/distilbart-cnn-12-6`` with a 128-token input limit. Their
tokenizers are trained here on the corpus shipped in ``corpus/``; their weights are random, so what
they write is noise, but it is deterministic, non-empty, English-vocabulary noise whose length
varies with the input. torch, transformers, sentencepiece and tokenizers are imported only while a
model is built.
"""
from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: Bump whenever a change here changes the files a build writes, so old builds are rebuilt.
RECIPE_VERSION = 1
MARKER_NAME = "tarjama-tiny.json"
MARIAN_DIR = "marian-tiny"
SUMMARIZER_DIR = "summarizer-tiny"
CORPUS_DIR = Path(__file__).with_name("corpus")
SEED = 1234

D_MODEL = 32
LAYERS = 2
HEADS = 4
FFN_DIM = 64
# Random weights need a wide init: with the usual 0.02 every input gives the same output.
INIT_STD = 0.3
SPM_VOCAB_SIZE = 1000
BPE_VOCAB_SIZE = 1000
MARIAN_MAX_POSITIONS = 512
SUMMARIZER_MAX_POSITIONS = 128

# The end-of-sentence clock (see install_eos_clock): two residual dimensions carry sin and cos of
# the decoder position at frequency 1/10000**(CLOCK_DIM/16), the one Marian's sinusoids use there.
CLOCK_DIM = 7
CLOCK_GAIN = 4.0
CLOCK_WEIGHT = 4.0
EOS_BIAS = 12.0
BLOCKED_LOGIT = -100.0

STAMPED_PACKAGES = ("torch", "transformers", "tokenizers", "sentencepiece")


@dataclass(frozen=True)
class TinyModels:
    """Folders of the tiny models, each loadable with ``from_pretrained``."""

    marian: Path
    summarizer: Path


def make_models(directory: str | os.PathLike[str]) -> TinyModels:
    """Build the tiny models under ``directory``, or reuse them if they are already there.

    A folder is reused when its marker says it was finished by this recipe under the same versions
    of torch, transformers, tokenizers and sentencepiece; otherwise it is rebuilt in a scratch folder
    and moved into place, so an interrupted build never looks complete.
    """
    directory = Path(directory)
    models = TinyModels(marian=directory / MARIAN_DIR, summarizer=directory / SUMMARIZER_DIR)
    build_once(models.marian, _build_marian)
    build_once(models.summarizer, _build_summarizer)
    return models


def _stamp(recipe: int | str) -> str:
    versions = {name: metadata.version(name) for name in STAMPED_PACKAGES}
    return json.dumps({"recipe": recipe, **versions}, indent=2, sort_keys=True) + "\n"


def build_once(target: Path, build: Callable[[Path], None], recipe: int | str = RECIPE_VERSION) -> None:
    """Run ``build`` into a scratch folder and move it to ``target``, unless ``target`` is finished.

    Finished means its marker names ``recipe`` and the installed versions of the packages that
    write the files; an interrupted build never looks finished.
    """
    stamp = _stamp(recipe)
    marker = target / MARKER_NAME
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return
    scratch = target.with_name(f".{target.name}.{os.getpid()}.partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    build(scratch)
    (scratch / MARKER_NAME).write_text(stamp, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(scratch, target)


def corpus(name: str) -> list[str]:
    """The lines of a shipped corpus file (``arabic.txt``, ``english.txt``)."""
    return (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()


def _train_sentencepiece(lines: list[str]) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=SPM_VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        # identity keeps decode(encode(text)) == text; the corpus is already clean.
        normalization_rule_name="identity",
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=model)
    return [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]


def _build_marian(out: Path) -> None:
    import warnings

    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    source = _train_sentencepiece(corpus("arabic.txt"))
    target = _train_sentencepiece(corpus("english.txt"))
    (out / "source.spm").write_bytes(source)
    (out / "target.spm").write_bytes(target)

    # Joint vocabulary laid out like opus-mt: </s> 0, <unk> 1, the pieces, <pad> last. CTranslate2's
    # Marian converter relies on <pad> being last: it drops it and starts from a zero embedding.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(source) + _pieces(target):
        vocab.setdefault(piece, len(vocab))
    pad = vocab.setdefault("<pad>", len(vocab))
    eos = vocab["</s>"]
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=2), encoding="utf-8")

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            str(out / "source.spm"),
            str(out / "target.spm"),
            str(out / "vocab.json"),
            source_lang="ar",
            target_lang="en",
            model_max_length=MARIAN_MAX_POSITIONS,
        )
    tokenizer.save_pretrained(out)

    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=D_MODEL,
        encoder_layers=LAYERS,
        decoder_layers=LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN_DIM,
        decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=MARIAN_MAX_POSITIONS,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        init_std=INIT_STD,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        bos_token_id=eos,
        eos_token_id=eos,
        forced_eos_token_id=eos,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = MarianMTModel(config).eval()
    target_pieces = set(_pieces(target)) | {"</s>"}
    blocked = [i for piece, i in vocab.items() if piece not in target_pieces]
    install_eos_clock(model, model.model.decoder, eos, blocked)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=eos,
        decoder_start_token_id=pad,
        eos_token_id=eos,
        forced_eos_token_id=eos,
        max_length=MARIAN_MAX_POSITIONS,
        num_beams=4,
        pad_token_id=pad,
        renormalize_logits=True,
    )
    save_quietly(model, out)


def _build_summarizer(out: Path) -> None:
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB_SIZE,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(corpus("english.txt"), trainer)
    trained = json.loads(bpe.to_str())["model"]
    vocab = dict(trained["vocab"])
    vocab["<mask>"] = len(vocab)  # last, as in BART's own vocabulary
    tokenizer = BartTokenizer(
        vocab=vocab,
        # Pairs work at runtime; transformers annotates merges as strings only.
        merges=[tuple(merge) for merge in trained["merges"]],  # type: ignore[misc]
        model_max_length=SUMMARIZER_MAX_POSITIONS,
    )
    tokenizer.save_pretrained(out)

    bos, pad, eos = (vocab[token] for token in specials[:3])
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=D_MODEL,
        encoder_layers=LAYERS,
        decoder_layers=LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN_DIM,
        decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=SUMMARIZER_MAX_POSITIONS,
        init_std=INIT_STD,
        bos_token_id=bos,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        # Accepted at runtime (a generation setting); BartConfig's typed signature omits it.
        forced_bos_token_id=bos,  # type: ignore[call-arg]
        forced_eos_token_id=eos,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = BartForConditionalGeneration(config).eval()
    with torch.no_grad():
        # BART's positions are learned; give its decoder the sinusoid Marian's has built in.
        positions = model.model.decoder.embed_positions
        frequency = 10000 ** (-CLOCK_DIM / (D_MODEL // 2))
        steps = torch.arange(positions.num_embeddings - positions.offset, dtype=torch.float32)
        positions.weight[positions.offset :, CLOCK_DIM] = torch.sin(steps * frequency)
        positions.weight[positions.offset :, CLOCK_DIM + D_MODEL // 2] = torch.cos(steps * frequency)
        positions.weight[: positions.offset, [CLOCK_DIM, CLOCK_DIM + D_MODEL // 2]] = 0
    # Lone bytes of the byte-level alphabet decode to control characters or U+FFFD: not English.
    unprintable = [
        i for token, i in vocab.items()
        if not (text := tokenizer.convert_tokens_to_string([token])).isprintable() or "\ufffd" in text
    ]
    blocked = [bos, pad, vocab["<unk>"], vocab["<mask>"], *unprintable]
    install_eos_clock(model, model.model.decoder, eos, blocked)
    model.generation_config = GenerationConfig(
        bos_token_id=bos,
        decoder_start_token_id=eos,
        eos_token_id=eos,
        forced_bos_token_id=bos,
        forced_eos_token_id=eos,
        pad_token_id=pad,
        num_beams=4,
        max_length=40,
        min_length=5,
        no_repeat_ngram_size=3,
        length_penalty=2.0,
        early_stopping=True,
    )
    save_quietly(model, out)


def save_quietly(model, out: Path) -> None:
    """``save_pretrained`` without its progress bar, which is noise in a build that takes a second."""
    from transformers.utils import logging

    enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        model.save_pretrained(out)
    finally:
        if enabled:
            logging.enable_progress_bar()


def install_eos_clock(model, decoder, eos: int, blocked: list[int]) -> None:
    """Make a random model stop after a few dozen tokens, at a step that depends on the input.

    A random decoder never chooses end-of-sentence, or chooses it at once. So two residual
    dimensions are kept free of every token embedding and sublayer output: they carry only the
    sinusoid of the decoder position (sin minus cos rises from -1 at the first step), amplified by
    the layer norms. The end-of-sentence embedding, which is also the output projection, reads their
    difference; its logit then climbs step by step until it beats the noise of the other tokens.
    Tokens that are not English pieces (Arabic pieces of the joint vocabulary, <unk>, <pad>) get a
    blocking logit bias, so the noise is English.
    """
    import torch

    sin_dim, cos_dim = CLOCK_DIM, CLOCK_DIM + D_MODEL // 2
    clock = [sin_dim, cos_dim]
    with torch.no_grad():
        embeddings = model.get_input_embeddings().weight
        embeddings[:, clock] = 0
        embeddings[eos, sin_dim] = CLOCK_WEIGHT
        embeddings[eos, cos_dim] = -CLOCK_WEIGHT
        for layer in decoder.layers:
            for projection in (layer.self_attn.out_proj, layer.encoder_attn.out_proj, layer.fc2):
                projection.weight[clock, :] = 0
                projection.bias[clock] = 0
        for norm in decoder.modules():
            if isinstance(norm, torch.nn.LayerNorm):
                norm.weight[clock] = CLOCK_GAIN
        model.final_logits_bias[0, blocked] = BLOCKED_LOGIT
        model.final_logits_bias[0, eos] = EOS_BIAS
