"""Word alignments from the translation model's cross-attention.

The attention of every English token over the Arabic tokens comes from the generation that wrote
the translation (:meth:`~tarjama.Translator.translate_sentences_detailed`), at no extra decoding.
When no single generation in this run wrote it (a cached translation, one cut into pieces or
translated again), the model reads the sentence again with its translation forced as the output
(:meth:`~tarjama.backends.Seq2SeqBackend.generate_detailed` with ``targets``): one more decoder
pass per such sentence. Each English token's row is read by Shift-Att (Chen, Sun, Tu et al.,
EMNLP 2020): at the decoding step that takes the token as input, the step after the one that
predicted it, which aligns markedly better (see :func:`tarjama.backends.base.shift_att_steps`).
Tokens are summed into whitespace words (a sentencepiece token that starts with ``▁`` starts a
word) and each English word's row is normalised. Only sentences whose markup does not cover them
whole are aligned.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tarjama.backends import DetailedOutput, GenerationOptions, Seq2SeqBackend
from tarjama.documents.placement import WordAlignment, words
from tarjama.normalize import normalize_for_model

WORD_START = ("\u2581", "\u0120")  # sentencepiece's ▁, byte-level BPE's Ġ
#: Sentences aligned per forced pass.
ALIGN_BATCH = 16


def token_words(tokens: Sequence[str], count: int) -> list[int | None] | None:
    """The word each token belongs to (``None`` for special tokens such as ``</s>``), or ``None``
    when the tokens do not make ``count`` words."""
    owners: list[int | None] = []
    word = -1
    for token in tokens:
        if token.startswith("<") and token.endswith(">") and len(token) > 2:
            owners.append(None)
            continue
        if token.startswith(WORD_START) or word < 0:
            word += 1
        owners.append(word)
    return owners if word + 1 == count else None


def word_alignment(detail: DetailedOutput, source_words: int) -> WordAlignment | None:
    """The word alignment of one forced output, or ``None`` when its tokens cannot be matched to
    the words (the caller then aligns by position)."""
    if detail.attention is None:
        return None
    target_words = len(words(detail.text))
    targets = token_words(detail.tokens, target_words)
    sources = token_words(detail.source_tokens, source_words)
    if targets is None or sources is None:
        return None
    rows = [[0.0] * source_words for _ in range(target_words)]
    for row, target in zip(detail.attention, targets, strict=True):
        if target is None:
            continue
        for weight, source in zip(row, sources, strict=True):
            if source is not None:
                rows[target][source] += weight
    normalised = []
    for weights in rows:
        total = sum(weights)
        normalised.append(tuple(w / total for w in weights) if total > 0 else tuple(weights))
    return WordAlignment(tuple(normalised), source_words)


def generated_alignment(detail: DetailedOutput, source: str,
                        translation: str) -> WordAlignment | None:
    """The word alignment of ``source`` and its ``translation`` from the generation's ``detail``,
    or ``None`` when the generation's words are not those of the source and the translation
    (normalising merged words, a dual month name became one, the output was reworded after)."""
    if (len(words(normalize_for_model(source))) != len(words(source))
            or len(words(detail.text)) != len(words(translation))):
        return None
    return word_alignment(replace(detail, text=translation), len(words(source)))


def align(backend: Seq2SeqBackend, pairs: Sequence[tuple[str, str]]) -> list[WordAlignment | None]:
    """Word alignments of (Arabic sentence, its English translation) pairs; ``None`` for a pair
    that cannot be aligned (too long for the model, or words that normalising merged)."""
    results: list[WordAlignment | None] = [None] * len(pairs)
    todo = []
    for index, (source, target) in enumerate(pairs):
        model_input = normalize_for_model(source)
        fits = backend.count_tokens(model_input) <= backend.max_source_tokens
        if fits and len(words(model_input)) == len(words(source)) and words(target):
            todo.append((index, model_input, target))
    for first in range(0, len(todo), ALIGN_BATCH):
        chunk = todo[first:first + ALIGN_BATCH]
        details = backend.generate_detailed([text for _, text, _ in chunk], GenerationOptions(),
                                            attention=True, targets=[t for _, _, t in chunk])
        for (index, model_input, _), detail in zip(chunk, details, strict=True):
            results[index] = word_alignment(detail, len(words(model_input)))
    return results
