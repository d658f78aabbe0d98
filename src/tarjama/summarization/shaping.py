"""Turning a generated summary into what the reader asked for: sentences, bullets, a headline."""
from __future__ import annotations

import re
from dataclasses import replace

from tarjama.segment import split_paragraphs
from tarjama.summarization.options import BULLETS, HEADLINE, SummaryOptions
from tarjama.summarization.result import Summary

_SPACE = re.compile(r"\s+")


def summary_sentences(text: str) -> list[str]:
    """The sentences of a summary (tarjama's segmenter), each on one line."""
    return [_SPACE.sub(" ", s.text).strip() for p in split_paragraphs(text) for s in p.sentences]


def fit_words(sentences: list[str], limit: int | None) -> list[str]:
    """The leading sentences that fit in ``limit`` words together.

    When even the first sentence is longer, its first ``limit`` words are kept: the user asked for
    at most that many words.
    """
    if limit is None:
        return sentences
    kept, words = [], 0
    for sentence in sentences:
        size = len(sentence.split())
        if words + size > limit:
            break
        kept.append(sentence)
        words += size
    if not kept and sentences:
        kept = [" ".join(sentences[0].split()[:limit])]
    return kept


def shape_summary(summary: Summary, options: SummaryOptions, text: str | None = None) -> Summary:
    """``summary`` with its text (or ``text``, e.g. its translation) split, trimmed and formatted."""
    sentences = summary_sentences(summary.text if text is None else text)
    if options.form == HEADLINE:
        sentences = sentences[:1]
    sentences = fit_words(sentences, options.word_limit)
    if options.form == BULLETS:
        shaped = "\n".join(f"- {sentence}" for sentence in sentences)
    else:
        shaped = " ".join(sentences)
    return replace(summary, text=shaped, sentences=tuple(sentences))
