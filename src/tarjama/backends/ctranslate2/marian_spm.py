"""MarianMT's tokenizer on sentencepiece alone, without transformers (and so without torch).

It gives the same tokens as ``transformers.MarianTokenizer`` for a model with one joint vocabulary
(every OPUS-MT model tarjama presets): source pieces from ``source.spm``, looked up in
``vocab.json`` (a piece missing there becomes ``<unk>``), then ``</s>``; outputs are decoded with
``target.spm``, special tokens dropped. A test checks token-for-token equality with transformers.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from tarjama.backends.base import USE_TORCH, read_model_json
from tarjama.errors import BackendUnavailableError
from tarjama.models.integrity import load_sentencepiece, require_files

EOS = "</s>"
UNK = "<unk>"
PAD = "<pad>"
SPIECE_UNDERLINE = "\u2581"
SPECIAL_TOKENS = frozenset({EOS, UNK, PAD})
REQUIRED_FILES = ("source.spm", "target.spm", "vocab.json")
_SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in sorted(SPECIAL_TOKENS)) + ")")


class MarianSentencePiece:
    """Tokens in, tokens out, for a MarianMT folder with ``source.spm``, ``target.spm``, ``vocab.json``.

    A missing or unreadable file raises :class:`tarjama.errors.DamagedModelError` naming it.
    """

    def __init__(self, folder: Path):
        require_files(folder, (REQUIRED_FILES,))
        config = read_model_json(folder / "tokenizer_config.json")
        if config.get("separate_vocabs"):
            raise BackendUnavailableError(
                f"{folder}: MarianMT models with separate vocabularies are not supported by the "
                "ctranslate2 backend", USE_TORCH)
        self.vocab: dict[str, int] = read_model_json(folder / "vocab.json")
        self.source = load_sentencepiece(folder / "source.spm")
        self.target = load_sentencepiece(folder / "target.spm")

    def encode(self, text: str) -> list[str]:
        """The model's input tokens for ``text``, ``</s>`` included."""
        tokens: list[str] = []
        # Like transformers, special tokens written in the text stay tokens of their own.
        for segment in _SPECIAL_SPLIT.split(text):
            if segment in SPECIAL_TOKENS:
                tokens.append(segment)
                continue
            # A multilingual target model takes its language as a >>xx<< prefix, kept as one token.
            if segment.startswith(">>") and (end := segment.find("<<")) != -1:
                tokens.append(segment[:end + 2])
                segment = segment[end + 2:]
            pieces = self.source.encode(segment, out_type=str)
            tokens.extend(piece if piece in self.vocab else UNK for piece in pieces)
        tokens.append(EOS)
        return tokens

    def encode_target(self, text: str) -> list[str]:
        """The tokens of ``text`` as an output of the model (``target.spm``), without ``</s>``."""
        return [piece if piece in self.vocab else UNK
                for piece in self.target.encode(text, out_type=str)]

    def decode(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens dropped, as ``MarianTokenizer.decode`` gives it.

        The vocabulary is shared, so the decoder may emit a source-side piece (an Arabic piece) that
        ``target.spm`` does not know; ``decode_pieces`` leaves such a piece as it is, its ``▁``
        included. Transformers then turns every remaining ``▁`` into a space, and so do we.
        """
        text = self.target.decode_pieces([t for t in tokens if t not in SPECIAL_TOKENS])
        return text.replace(SPIECE_UNDERLINE, " ").strip()
