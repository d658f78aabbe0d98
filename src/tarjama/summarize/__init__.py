"""English summaries of whole articles, chunked so nothing is cut."""
from tarjama.summarize.chunking import Chunk, chunk_units
from tarjama.summarize.result import ChunkSummary, Summary
from tarjama.summarize.summarizer import Summarizer

__all__ = ["Chunk", "ChunkSummary", "Summarizer", "Summary", "chunk_units"]
