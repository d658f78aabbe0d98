"""Coverage of a vocabulary shortlist, measured on a stand-in for opus-mt-tc-big-ar-en's vocabulary.

The real model cannot be downloaded here, so its vocabulary is imitated: separate SentencePiece
unigram models for Arabic (``source.spm``) and English (``target.spm``) of up to 32,000 pieces each,
joined into one vocabulary (``vocab.json``), which is how that model's tokenizer is built (sizes
recalled, not read from the model: ~32k per side, ~61k joint). They are trained on the sets the
shortlist is built from (NTREX-128 and TICO-19 of ``../shared/data``), far less text than the real
tokenizer saw, so the pieces are closer to whole words. A tiny random MarianMT carries the
vocabulary, because ``tarjama shortlist build`` needs a model to save the map beside; then the
command runs exactly as a user runs it on the real model, held out on FLORES-200 devtest:

    python benchmarks/shortlist_standin.py [--size 4000 --per-source 20] [--workdir DIR] [--data DIR]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BUILD_SETS = [("ntrex128/newstest2019-ref.arb.txt", "ntrex128/newstest2019-src.eng.txt"),
              ("tico19/tico19-test.ar", "tico19/tico19-test.en")]
HELDOUT = ("flores200/arb_Arab.devtest", "flores200/eng_Latn.devtest")
SIDE_VOCAB = 32_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", help="always-reachable pieces (default: the command's)")
    parser.add_argument("--per-source", help="pieces per source piece (default: the command's)")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--data", type=Path, default=DATA, help=f"the data sets (default {DATA})")
    args = parser.parse_args()
    data = args.data
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tarjama-standin-"))
    model = workdir / "standin-marian"
    if not (model / "config.json").is_file():
        _build_standin(model, data)
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    print(f"stand-in vocabulary: {len(vocab):,} pieces (source.spm {_spm_size(model / 'source.spm'):,}, "
          f"target.spm {_spm_size(model / 'target.spm'):,}), trained on the build sets", flush=True)
    command = [sys.executable, "-m", "tarjama", "shortlist", "build", "--model", str(model),
               *(["--size", args.size] if args.size else []),
               *(["--per-source", args.per_source] if args.per_source else []),
               "--heldout", ":".join(str(data / p) for p in HELDOUT)]
    for arabic, english in BUILD_SETS:
        command += ["--data", f"{data / arabic}:{data / english}"]
    env = {**os.environ, "TARJAMA_CACHE": str(workdir / "cache")}
    sys.exit(subprocess.run(command, env=env).returncode)


def _lines(data: Path, relative: str) -> list[str]:
    return (data / relative).read_text(encoding="utf-8").splitlines()


def _train(lines: list[str]) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram",
        vocab_size=SIDE_VOCAB, hard_vocab_limit=False, character_coverage=1.0,
        bos_id=-1, eos_id=-1, unk_id=0, minloglevel=2)
    return model.getvalue()


def _spm_size(path: Path) -> int:
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=str(path)).get_piece_size()


def _build_standin(model: Path, data: Path) -> None:
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    model.mkdir(parents=True, exist_ok=True)
    for name, side in (("source.spm", 0), ("target.spm", 1)):
        (model / name).write_bytes(_train([line for pair in BUILD_SETS for line in _lines(data, pair[side])]))
    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source.spm", "target.spm"):
        processor = sentencepiece.SentencePieceProcessor(model_file=str(model / name))
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab.pop("<unk>")
    vocab = {"</s>": 0, "<unk>": 1, **{p: i + 2 for i, p in enumerate(p for p in vocab if p != "</s>")}}
    vocab["<pad>"] = pad = len(vocab)
    (model / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    MarianTokenizer(str(model / "source.spm"), str(model / "target.spm"), str(model / "vocab.json"),
                    source_lang="ar", target_lang="en").save_pretrained(model)
    config = MarianConfig(vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
                          encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                          decoder_ffn_dim=32, max_position_embeddings=512, pad_token_id=pad,
                          decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0)
    torch.manual_seed(0)
    MarianMTModel(config).eval().save_pretrained(model)


if __name__ == "__main__":
    main()
