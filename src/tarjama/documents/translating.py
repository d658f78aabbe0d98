"""Translating a document's blocks: the sentences of all blocks go to the translator together,
and each block's marks are placed back on its translation."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tarjama.documents.alignment import align, generated_alignment
from tarjama.documents.blocks import Block
from tarjama.documents.literal import keep_latin, latin_spans
from tarjama.documents.placement import TranslatedSpan, place
from tarjama.language import NOT_ARABIC, check_language
from tarjama.segment import split_sentences
from tarjama.translation import ProgressCallback, TranslatedSentence, Translator

# The segmenter reads a line break as the end of a paragraph; inside a block it is only a space.
_LINE_BREAKS = str.maketrans({c: " " for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


@dataclass(frozen=True)
class TranslatedBlocks:
    """Each block's translation (``None``: the block has no Arabic and stays exactly as it was),
    and every sentence translated, in order, for reports and JSONL."""

    blocks: tuple[Block | None, ...]
    sentences: tuple[TranslatedSentence, ...]


def has_arabic(text: str) -> bool:
    """Whether ``text`` has any Arabic letter (Persian and Urdu do not count)."""
    return check_language(text).arabic_letters > 0


def translate_blocks(blocks: Sequence[Block], translator: Translator,
                     progress: ProgressCallback | None = None) -> TranslatedBlocks:
    """Translate every block with Arabic in it; a sentence is translated whole, whatever markup it
    holds, and the markup is put back on the English words aligned to the Arabic it covered (a
    mark over Latin text on that text, written as in the source: see
    :mod:`tarjama.documents.literal`).

    Only a sentence that a mark starts or ends inside needs its words aligned; its alignment
    comes from the attention of the generation that translated it, and from a forced pass over
    its translation only when no single generation in this call wrote it (a cached sentence, one
    cut into pieces or translated again)."""
    todo = [i for i, block in enumerate(blocks) if has_arabic(block.text)]
    texts = [blocks[i].text.translate(_LINE_BREAKS) for i in todo]
    spans = [split_sentences(text) for text in texts]
    flat = [sentence.text for sentence_spans in spans for sentence in sentence_spans]
    cut = [_cut_by_marks(blocks[index], sentence.start, sentence.end)
           for index, sentence_spans in zip(todo, spans, strict=True) for sentence in sentence_spans]
    outputs = iter(translator.translate_sentences_detailed(
        flat, progress, attention=[k for k, wanted in enumerate(cut) if wanted]))
    wanted = iter(cut)
    results: list[Block | None] = [None] * len(blocks)
    sentences: list[TranslatedSentence] = []
    pending: list[tuple[int, Block, list[TranslatedSpan], int]] = []  # ..., its first sentence
    pairs: list[tuple[str, str]] = []
    where: list[tuple[int, int]] = []
    for number, (index, text, sentence_spans) in enumerate(zip(todo, texts, spans, strict=True)):
        block = Block(text, blocks[index].marks, blocks[index].parts)
        translated: list[TranslatedSpan] = []
        first = len(sentences)
        changed = False
        for position, sentence in enumerate(sentence_spans):
            out = next(outputs)
            needs_alignment = next(wanted) and NOT_ARABIC not in out.flags
            sentences.append(out.placed(number, position, sentence.text))
            changed = changed or NOT_ARABIC not in out.flags
            alignment = (generated_alignment(out.detail, sentence.text, out.translation)
                         if needs_alignment and out.detail is not None else None)
            translated.append(TranslatedSpan(sentence.start, sentence.end, out.translation,
                                             alignment))
            if needs_alignment and alignment is None:
                where.append((len(pending), position))
                pairs.append((sentence.text, out.translation))
        if changed:
            pending.append((index, block, translated, first))
    if pairs:
        for (slot, position), alignment in zip(where, align(translator.backend, pairs), strict=True):
            spans_of = pending[slot][2]
            spans_of[position] = TranslatedSpan(spans_of[position].start, spans_of[position].end,
                                                spans_of[position].translation, alignment)
    for index, block, translated, first in pending:
        for position, span in enumerate(translated):
            if latin_spans(block, span.start, span.end):
                translated[position] = keep_latin(block, span)
                sentences[first + position] = replace(sentences[first + position],
                                                      translation=translated[position].translation)
        results[index] = place(block, translated)
    return TranslatedBlocks(tuple(results), tuple(sentences))


def _cut_by_marks(block: Block, start: int, end: int) -> bool:
    """Whether a mark starts or ends strictly inside ``text[start:end]``: only then do the words
    of the sentence need aligning."""
    return any(start < mark.start < end or start < mark.end < end for mark in block.marks)
