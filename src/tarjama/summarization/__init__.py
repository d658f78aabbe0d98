"""Summaries of whole articles, chunked so nothing is cut, with controls and a faithfulness check."""
from tarjama.summarization.chunking import Chunk, chunk_units
from tarjama.summarization.faithfulness import Flag, unsupported
from tarjama.summarization.options import (
    BULLETS,
    FORMS,
    HEADLINE,
    HEADLINE_MAX_WORDS,
    PARAGRAPH,
    SummaryOptions,
)
from tarjama.summarization.result import ChunkSummary, Summary
from tarjama.summarization.settings import SummarizerSettings
from tarjama.summarization.shaping import shape_summary, summary_sentences
from tarjama.summarization.summarizer import Summarizer

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
    "SummarizerSettings",
    "Summary",
    "SummaryOptions",
    "chunk_units",
    "shape_summary",
    "summary_sentences",
    "unsupported",
]
