"""A model's own tokenizer on the ``tokenizers`` library alone, without transformers or torch.

transformers 5 runs the tokenizers of BART, PEGASUS and mT5 on the ``tokenizers`` library (those
given as ``vocab.json`` + ``merges.txt`` or ``spiece.model`` are converted when loaded). The
conversion to CTranslate2 saves that very tokenizer as ``tokenizer.json`` beside the converted
model (see :mod:`tarjama.backends.ctranslate2.convert`), so the tokens here are transformers' by
construction; a test checks ids and decoded text against transformers.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tarjama.backends.base import USE_TORCH, read_model_json
from tarjama.backends.ctranslate2.convert import DECODING_FILE, TOKENIZER_FILE
from tarjama.errors import BackendUnavailableError

# transformers' clean_up_tokenization, applied after decoding where its tokenizer applies it.
_CLEAN_UP = ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
             (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"))


class SavedTokenizer:
    """Tokens in, tokens out, with the ``tokenizer.json`` saved in a converted model's folder."""

    def __init__(self, converted: Path):
        from tokenizers import Tokenizer

        path = converted / TOKENIZER_FILE
        if not path.is_file():
            raise BackendUnavailableError(
                f"{converted} has no {TOKENIZER_FILE}: the model's tokenizer is not one the "
                "tokenizers library runs", USE_TORCH)
        self.tokenizer = Tokenizer.from_file(str(path))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.vocab: dict[str, int] = self.tokenizer.get_vocab(with_added_tokens=True)
        decoding = read_model_json(converted / DECODING_FILE)
        self._clean_up = bool(decoding.get("clean_up_tokenization_spaces"))

    def encode(self, text: str) -> list[str]:
        """The model's input tokens for ``text``, its special tokens included."""
        return self.tokenizer.encode(text).tokens

    def encode_target(self, text: str) -> list[str]:
        """The tokens of ``text`` as an output of the model, without special tokens."""
        return self.tokenizer.encode(text, add_special_tokens=False).tokens

    def decode(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens dropped, as transformers' ``decode`` gives it."""
        ids = [self.vocab[token] for token in tokens if token in self.vocab]
        text = self.tokenizer.decode(ids, skip_special_tokens=True)
        if self._clean_up:
            for spaced, joined in _CLEAN_UP:
                text = text.replace(spaced, joined)
        return text
