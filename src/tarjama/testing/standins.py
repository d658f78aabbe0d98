"""Stand-ins of every preset: the real checkpoints' configs and file layouts at tiny dimensions.

``tiny.py``'s models are made to be pleasant (English-only output, a short stop); a stand-in is made
to be *like* its preset's checkpoint: the same model type and class, special-token ids, vocabulary
layout and size semantics, position limit, tokenizer class and files, the same place for the
generation settings (``generation_config.json``, or ``config.json`` alone as older checkpoints
have it), activation and normalisation flags. Only the dimensions are tiny and the weights random,
so the output is noise, but every code path a real checkpoint takes is taken. The decoder is free
to emit every piece of its vocabulary: nothing is blocked, so a Marian stand-in writes source-side
pieces as the real models sometimes do.

The Hugging Face Hub cannot be reached where these were written: :data:`FIELD_SOURCES` says, per
field, whether a value comes from the model card, from a published file recalled from memory, or
from transformers' own classes (checked here). See ``docs/standins.md``.
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tarjama.testing.tiny import SEED, build_once, corpus, install_eos_clock, save_quietly

#: Bump whenever a change here changes the files a build writes, so old builds are rebuilt.
RECIPE_VERSION = 1
GENERATION_FILE = "generation_config.json"
CONFIG_ONLY = "config.json"

D_MODEL = 32
HEADS = 4
FFN_DIM = 64
SPM_VOCAB_SIZE = 1000
BPE_VOCAB_SIZE = 1000
# Random weights need a wide init: with the usual 0.02 every input gives the same output.
INIT_STD = 0.3

#: Where a value came from. Nothing could be checked against the Hub from here.
CARD = "model card (recalled)"
PUBLISHED = "published config/tokenizer file (recalled from memory, not checked against the Hub)"
TRANSFORMERS = "transformers' class for the model type (checked here)"
PRESET_TABLE = "tarjama's preset table"
TINY = "tiny on purpose (the real value is larger)"


@dataclass(frozen=True)
class StandIn:
    """What a preset's stand-in copies from the real checkpoint.

    ``config`` holds the real config.json fields that matter (dimensions excepted), ``generation``
    the generation settings and ``generation_in`` the file that holds them; ``layers`` is
    ``(encoder, decoder)`` at tiny scale, keeping the real asymmetry (DistilBART 12-6).
    """

    preset: str
    model_id: str
    family: str
    config: dict[str, object]
    generation: dict[str, object]
    generation_in: str
    max_positions: int | None
    layers: tuple[int, int] = (2, 2)
    tokenizer_config: dict[str, Any] = field(default_factory=dict)


MARIAN_COMMON: dict[str, object] = {
    "architectures": ["MarianMTModel"], "model_type": "marian", "normalize_before": False,
    "normalize_embedding": False, "scale_embedding": True, "static_position_embeddings": True,
    "add_final_layer_norm": False, "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
}
BART_COMMON: dict[str, object] = {
    "architectures": ["BartForConditionalGeneration"], "model_type": "bart",
    "activation_function": "gelu", "normalize_before": False, "normalize_embedding": True,
    "add_final_layer_norm": False, "scale_embedding": False, "static_position_embeddings": False,
    "bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2,
    "tie_word_embeddings": True, "force_bos_token_to_be_generated": True,
}
CNN_SETTINGS: dict[str, object] = {
    "num_beams": 4, "max_length": 142, "min_length": 56, "no_repeat_ngram_size": 3,
    "length_penalty": 2.0, "early_stopping": True,
}

STANDINS: tuple[StandIn, ...] = (
    StandIn("best", "Helsinki-NLP/opus-mt-tc-big-ar-en", "marian",
            {**MARIAN_COMMON, "activation_function": "relu"},
            {"num_beams": 4, "max_length": 512, "bad_words_ids": "pad", "forced_eos_token_id": 0},
            GENERATION_FILE, 512, (2, 2), {"model_max_length": 512}),
    StandIn("fast", "Helsinki-NLP/opus-mt-ar-en", "marian",
            {**MARIAN_COMMON, "activation_function": "swish"},
            {"num_beams": 4, "max_length": 512, "bad_words_ids": "pad", "forced_eos_token_id": 0},
            CONFIG_ONLY, 512, (2, 2), {"model_max_length": 512}),
    StandIn("distilbart", "sshleifer/distilbart-cnn-12-6", "bart",
            BART_COMMON, {**CNN_SETTINGS, "forced_eos_token_id": 2}, CONFIG_ONLY, 1024, (2, 1),
            {"model_max_length": 1024}),
    StandIn("bart-large", "facebook/bart-large-cnn", "bart",
            BART_COMMON, {**CNN_SETTINGS, "forced_bos_token_id": 0, "forced_eos_token_id": 2},
            GENERATION_FILE, 1024, (2, 2), {"model_max_length": 1024}),
    StandIn("pegasus", "google/pegasus-cnn_dailymail", "pegasus",
            {"architectures": ["PegasusForConditionalGeneration"], "model_type": "pegasus",
             "activation_function": "relu", "normalize_before": True, "normalize_embedding": False,
             "add_final_layer_norm": True, "scale_embedding": True,
             "static_position_embeddings": True, "pad_token_id": 0, "eos_token_id": 1,
             "decoder_start_token_id": 0, "tie_word_embeddings": True},
            {"num_beams": 8, "max_length": 128, "min_length": 32, "length_penalty": 0.8,
             "forced_eos_token_id": 1},
            CONFIG_ONLY, 1024, (2, 2), {"model_max_length": 1024}),
    StandIn("mt5-xlsum", "csebuetnlp/mT5_multilingual_XLSum", "mt5",
            {"architectures": ["MT5ForConditionalGeneration"], "model_type": "mt5",
             "feed_forward_proj": "gated-gelu", "tie_word_embeddings": False,
             "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0,
             "tokenizer_class": "T5Tokenizer", "relative_attention_num_buckets": 32},
            {}, CONFIG_ONLY, None, (2, 2), {"extra_ids": 0}),
)

_MARIAN_SOURCES = {
    "model_type / architectures": PUBLISHED,
    "</s> 0, <unk> 1, <pad> last in one joint vocab.json": PUBLISHED,
    "bos = eos = forced_eos = 0, pad = decoder_start = bad_words = last id": PUBLISHED,
    "vocab_size = len(vocab.json)": PUBLISHED,
    "max_position_embeddings 512, tokenizer model_max_length 512": PUBLISHED,
    "source.spm / target.spm / vocab.json, MarianTokenizer": PUBLISHED,
    "scale_embedding, static positions, no normalize_before, tied embeddings": PUBLISHED,
    "num_beams 4, max_length 512": PUBLISHED,
    "dimensions, layers": TINY,
}
_BART_SOURCES = {
    "model_type / architectures": PUBLISHED,
    "bos 0, pad 1, eos 2, decoder_start 2": PUBLISHED,
    "vocab_size 50264 = tokenizer size - 1 (<mask> outside the embeddings)": PUBLISHED,
    "max_position_embeddings 1024": PUBLISHED,
    "vocab.json / merges.txt, byte-level BPE": PUBLISHED,
    "gelu, no normalize_before, no scale_embedding, no final layer norm": PUBLISHED,
    "beams 4, max_length 142, min_length 56, no_repeat 3, length_penalty 2.0": PUBLISHED,
    "dimensions, layers": TINY,
}

#: Per preset, per field: where the stand-in's value came from.
FIELD_SOURCES: dict[str, dict[str, str]] = {
    "best": {**_MARIAN_SOURCES, "activation_function relu (transformer-big)": PUBLISHED,
             "settings in generation_config.json": PUBLISHED},
    "fast": {**_MARIAN_SOURCES, "activation_function swish": PUBLISHED,
             "settings in config.json only (a 2020 conversion)": PUBLISHED},
    "distilbart": {**_BART_SOURCES,
                   "force_bos_token_to_be_generated instead of forced_bos_token_id": PUBLISHED,
                   "settings in config.json only (no generation_config.json)": PUBLISHED,
                   "12 encoder / 6 decoder layers (kept as 2 / 1)": CARD},
    "bart-large": {**_BART_SOURCES, "forced_bos 0, forced_eos 2": PUBLISHED,
                   "settings in generation_config.json": PUBLISHED},
    "pegasus": {
        "model_type / architectures": PUBLISHED,
        "pad 0 = decoder_start, eos 1, <unk> 105: sentencepiece ids + 103 offset": TRANSFORMERS,
        "vocab_size = sentencepiece size + 103 (96103 for 96000 pieces)": PUBLISHED,
        "max_position_embeddings 1024, model_max_length 1024": PUBLISHED,
        "spiece.model, PegasusTokenizer, <n> between sentences": CARD,
        "relu, normalize_before, final layer norm, scale_embedding, sinusoids": PUBLISHED,
        "beams 8, max_length 128, min_length 32, length_penalty 0.8": PUBLISHED,
        "settings in config.json only": PUBLISHED,
        "dimensions, layers": TINY,
    },
    "mt5-xlsum": {
        "model_type mt5 / MT5ForConditionalGeneration, tokenizer_class T5Tokenizer": PUBLISHED,
        "pad 0 = decoder_start, eos 1, unk 2": TRANSFORMERS,
        "vocab_size padded above the sentencepiece size (250112 for 250100)": PUBLISHED,
        "no position embeddings (relative attention); 512-token input": CARD,
        "spiece.model, no extra ids": PUBLISHED,
        "gated-gelu, untied output layer": PUBLISHED,
        "no generation settings in the files; beams 4, no_repeat 2, 84 tokens": (
            f"{CARD}: passed to generate() in the card's example; kept in {PRESET_TABLE}"),
        "whitespace handling of the input": CARD,
        "dimensions, layers": TINY,
    },
}


def standin_for(preset: str) -> StandIn:
    """The stand-in recipe of ``preset``."""
    for standin in STANDINS:
        if standin.preset == preset:
            return standin
    raise KeyError(f"no stand-in for {preset!r}; stand-ins: {', '.join(s.preset for s in STANDINS)}")


def make_standins(directory: str | os.PathLike[str],
                  presets: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Build the stand-ins of ``presets`` (all by default) under ``directory``; reuse finished ones.

    Returns the folder of each, by preset name; see :func:`tarjama.testing.install_presets` to put
    them into an offline Hugging Face cache under their real Hub ids.
    """
    chosen = [standin_for(name) for name in presets] if presets else list(STANDINS)
    folders = {}
    for standin in chosen:
        target = Path(directory) / f"standin-{standin.preset}"
        build_once(target, _builder(standin), recipe=f"standins-{RECIPE_VERSION}")
        folders[standin.preset] = target
    return folders


def _builder(standin: StandIn) -> Callable[[Path], None]:
    builders = {"marian": _build_marian, "bart": _build_bart, "pegasus": _build_pegasus,
                "mt5": _build_mt5}
    return lambda out: builders[standin.family](standin, out)


def _train_sentencepiece(lines: list[str], **ids: Any) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram",
        vocab_size=SPM_VOCAB_SIZE, hard_vocab_limit=False, character_coverage=1.0,
        num_threads=1, minloglevel=2, **ids)
    return model.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())
            if not (processor.is_control(i) or processor.is_unknown(i))]


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _random_model(model_class, config):
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        return model_class(config).eval()


def _save(model, out: Path, standin: StandIn, ids: dict[str, int]) -> None:
    """Save weights and config, and put the generation settings where the real checkpoint has them."""
    save_quietly(model, out)
    (out / GENERATION_FILE).unlink(missing_ok=True)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    # Only what the published file has: transformers would add its defaults to a saved config.
    config.update({key: value for key, value in standin.config.items()})
    generation = {key: (ids["pad"] if value == "pad" else value)
                  for key, value in standin.generation.items()}
    if "bad_words_ids" in generation:
        generation["bad_words_ids"] = [[generation["bad_words_ids"]]]
    if standin.generation_in == CONFIG_ONLY:
        config.update(generation)
    else:
        token_ids = {key: config[key] for key in ("bos_token_id", "eos_token_id", "pad_token_id",
                                                  "decoder_start_token_id") if key in config}
        _write_json(out / GENERATION_FILE, {**token_ids, **generation})
    _write_json(out / "config.json", config)


def _build_marian(standin: StandIn, out: Path) -> None:
    import warnings

    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    source = _train_sentencepiece(corpus("arabic.txt"), unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    target = _train_sentencepiece(corpus("english.txt"), unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    (out / "source.spm").write_bytes(source)
    (out / "target.spm").write_bytes(target)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(source) + _pieces(target):
        vocab.setdefault(piece, len(vocab))
    pad = vocab.setdefault("<pad>", len(vocab))
    _write_json(out / "vocab.json", vocab)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"),
                                    str(out / "vocab.json"), source_lang="ar", target_lang="en",
                                    **standin.tokenizer_config)
    tokenizer.save_pretrained(out)
    encoder, decoder = standin.layers
    config = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=D_MODEL,
        encoder_layers=encoder, decoder_layers=decoder, encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS, encoder_ffn_dim=FFN_DIM, decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=_positions(standin), init_std=INIT_STD,
        pad_token_id=pad, decoder_start_token_id=pad, bos_token_id=0, eos_token_id=0,
        forced_eos_token_id=0, **_model_fields(standin))
    model = _random_model(MarianMTModel, config)
    # Without it a random decoder runs to the 512-token limit on every sentence; nothing is blocked.
    install_eos_clock(model, model.model.decoder, 0, blocked=[])
    _save(model, out, standin, {"pad": pad})


def _positions(standin: StandIn) -> int:
    if standin.max_positions is None:
        raise ValueError(f"the {standin.family} stand-in needs max_positions")
    return standin.max_positions


def _model_fields(standin: StandIn) -> dict[str, Any]:
    """The config fields the transformers class takes as arguments (architectures is saved later)."""
    skipped = {"architectures", "model_type", "tokenizer_class", "force_bos_token_to_be_generated"}
    return {key: value for key, value in standin.config.items() if key not in skipped}


def _train_bpe() -> tuple[dict[str, int], list[str]]:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=BPE_VOCAB_SIZE,
                                  special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    bpe.train_from_iterator(corpus("english.txt"), trainer)
    trained = json.loads(bpe.to_str())["model"]
    vocab = dict(trained["vocab"])
    vocab["<mask>"] = len(vocab)
    merges = [" ".join(m) if isinstance(m, list) else m for m in trained["merges"]]
    return vocab, merges


def _build_bart(standin: StandIn, out: Path) -> None:
    from transformers import BartConfig, BartForConditionalGeneration

    vocab, merges = _train_bpe()
    _write_json(out / "vocab.json", vocab)
    (out / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    _write_json(out / "tokenizer_config.json", standin.tokenizer_config)
    encoder, decoder = standin.layers
    config = BartConfig(
        # As in the CNN checkpoints: <mask>, the tokenizer's last token, has no embedding.
        vocab_size=len(vocab) - 1, d_model=D_MODEL, encoder_layers=encoder,
        decoder_layers=decoder, encoder_attention_heads=HEADS, decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN_DIM, decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=_positions(standin), init_std=INIT_STD,
        **_model_fields(standin))
    _save(_random_model(BartForConditionalGeneration, config), out, standin, {})


def _build_pegasus(standin: StandIn, out: Path) -> None:
    from transformers import AutoTokenizer, PegasusConfig, PegasusForConditionalGeneration

    spm = _train_sentencepiece(corpus("english.txt"), pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
                               user_defined_symbols=["<n>"])
    (out / "spiece.model").write_bytes(spm)
    _write_json(out / "tokenizer_config.json",
                {**standin.tokenizer_config, "tokenizer_class": "PegasusTokenizer"})
    tokenizer = AutoTokenizer.from_pretrained(out)
    encoder, decoder = standin.layers
    config = PegasusConfig(
        vocab_size=len(tokenizer), d_model=D_MODEL, encoder_layers=encoder,
        decoder_layers=decoder, encoder_attention_heads=HEADS, decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN_DIM, decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=_positions(standin), init_std=INIT_STD,
        **_model_fields(standin))
    _save(_random_model(PegasusForConditionalGeneration, config), out, standin, {})


def _build_mt5(standin: StandIn, out: Path) -> None:
    from transformers import AutoTokenizer, MT5Config, MT5ForConditionalGeneration

    lines = corpus("arabic.txt") + corpus("english.txt")
    spm = _train_sentencepiece(lines, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    (out / "spiece.model").write_bytes(spm)
    _write_json(out / "tokenizer_config.json",
                {**standin.tokenizer_config, "tokenizer_class": "T5Tokenizer"})
    tokenizer = AutoTokenizer.from_pretrained(out)
    encoder, decoder = standin.layers
    config = MT5Config(
        # mT5 pads its embeddings above the tokenizer's size (250112 for 250100 pieces).
        vocab_size=-(-len(tokenizer) // 64) * 64 + 64, d_model=D_MODEL, d_kv=D_MODEL // HEADS,
        d_ff=FFN_DIM, num_layers=encoder, num_decoder_layers=decoder, num_heads=HEADS,
        initializer_factor=INIT_STD * 30, **_model_fields(standin))
    _save(_random_model(MT5ForConditionalGeneration, config), out, standin, {})

