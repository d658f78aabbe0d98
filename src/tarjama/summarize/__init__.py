"""Summaries of whole articles, chunked so nothing is cut, with controls and a faithfulness check."""
from tarjama.summarize.chunking import Chunk, chunk_units
from tarjama.summarize.faithfulness import Flag, unsupported
from tarjama.summarize.options import (
    BULLETS, FORMS, HEADLINE, HEADLINE_MAX_WORDS, PARAGRAPH, SummaryOptions,
)
from tarjama.summarize.result import ChunkSummary, Summary
from tarjama.summarize.shaping import shape_summary, summary_sentences
from tarjama.summarize.summarizer import Summarizer

__all__ = [
    "BULLETS",
    "FORMS",
    "HEADLINE",
    "HEADLINE_MAX_WORDS",
    "PARAGRAPH",
    "Chunk",
    "ChunkSummary",
    "Flag",
    "Summarizer",
    "Summary",
    "SummaryOptions",
    "chunk_units",
    "shape_summary",
    "summary_sentences",
    "unsupported",
]
