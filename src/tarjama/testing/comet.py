"""A tiny COMET-shaped model: a random 2-layer XLM-R encoder with its own small SentencePiece
vocabulary and COMET's regression head, saved as COMET saves a checkpoint
(``checkpoints/model.ckpt`` and ``hparams.yaml``), so tests run the real loading and scoring code."""
from __future__ import annotations

import io
from pathlib import Path

TEXT = ("The cat sat on the mat.", "Some animals approach cars.", "A dog ran in the park.",
        "هذه جملة عربية قصيرة.", "Numbers 1 2 3 and words.")
SEED = 0


def _encoder(folder: Path) -> None:
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaTokenizer

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(TEXT * 20), model_writer=model,
                                   vocab_size=60, model_type="unigram", character_coverage=1.0,
                                   hard_vocab_limit=False, minloglevel=2)
    pieces = spm.SentencePieceProcessor(model_proto=model.getvalue())
    # XLM-R's layout: <s> <pad> </s> <unk>, the pieces, then <mask>.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(pieces.id_to_piece(i), pieces.get_score(i)) for i in range(pieces.get_piece_size())
              if not pieces.is_control(i) and not pieces.is_unknown(i)]
    vocab.append(("<mask>", 0.0))
    tokenizer = XLMRobertaTokenizer(vocab=vocab)
    tokenizer.save_pretrained(folder)
    XLMRobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=37, max_position_embeddings=130,
                     pad_token_id=tokenizer.pad_token_id).save_pretrained(folder)


def make_tiny_comet(folder: Path) -> Path:
    """Build the model under ``folder`` (reused when built) and return the COMET folder."""
    import pytorch_lightning
    import torch
    import yaml
    from comet.models import RegressionMetric

    checkpoint = folder / "checkpoints" / "model.ckpt"
    if checkpoint.is_file():
        return folder
    encoder = folder / "encoder"
    encoder.mkdir(parents=True, exist_ok=True)
    _encoder(encoder)
    torch.manual_seed(SEED)
    model = RegressionMetric(encoder_model="XLM-RoBERTa", pretrained_model=str(encoder),
                             load_pretrained_weights=False, hidden_sizes=[16], layer="mix",
                             layer_transformation="softmax", pool="avg")
    hparams = {**dict(model.hparams), "class_identifier": "regression_metric"}
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": model.state_dict(),
                "pytorch-lightning_version": pytorch_lightning.__version__,
                "hyper_parameters": dict(model.hparams)}, checkpoint)
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    return folder
