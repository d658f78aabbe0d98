"""Abstractive English summaries of whole articles, however long."""
from __future__ import annotations

from tarjama import __version__
from tarjama.batching import plan_batches
from tarjama.backends import GenerationOptions, Seq2SeqBackend, load_backend
from tarjama.models import DEFAULT_SUMMARIZER, SUMMARIZATION, resolve_model
from tarjama.segment import split_paragraphs
from tarjama.summarize.chunking import chunk_units
from tarjama.summarize.result import ChunkSummary, Summary

# Beam search over long inputs is memory-hungry; a few chunks at a time is plenty.
SUMMARY_BATCH_SIZE = 4


class Summarizer:
    """Summarizes English text with a seq2seq model (a preset, a Hub id or a local folder).

    Text longer than the model's input limit is never cut: it is split at sentence boundaries into
    chunks that fit, each chunk is summarized, and the joined summaries are summarized again until
    one summary is left.
    """

    def __init__(self, model: str = DEFAULT_SUMMARIZER, *, revision: str | None = None,
                 backend: str = "auto", device: str = "auto", compute_type: str = "auto",
                 num_beams: int | None = None):
        source = resolve_model(model, SUMMARIZATION, revision)
        # Only the torch backend runs summarizers for now.
        self.backend: Seq2SeqBackend = load_backend(
            source, "torch" if backend == "auto" else backend, device, compute_type)
        self.options = GenerationOptions(num_beams=num_beams, **self._length_cap())

    def _length_cap(self) -> dict[str, int]:
        # A summary must be well under the input limit, or the summaries of two chunks would not
        # fit one chunk of the next round and the rounds would never end.
        cap = self.backend.max_source_tokens // 2
        own = self.backend.default_max_length
        if own is None or own > cap:
            return {"max_new_tokens": cap}
        return {}

    @property
    def signature(self) -> str:
        """Everything needed to reproduce a summary."""
        b = self.backend
        beams = self.options.num_beams or b.default_num_beams
        return (f"model:{b.source.label}|backend:{b.name}|device:{b.device}|compute:{b.compute_type}"
                f"|beams:{beams}|limit:{b.max_source_tokens}|tarjama:{__version__}")

    def summarize(self, text: str) -> Summary:
        """Summarize an English text of any length."""
        units = [s.text for p in split_paragraphs(text) for s in p.sentences]
        sentence_count = len(units)
        if not units:
            return Summary("", (), 0, self.signature)
        limit = self.backend.max_source_tokens
        record: list[ChunkSummary] = []
        round_number = 0
        while True:
            round_number += 1
            chunks = chunk_units(units, self.backend.count_tokens, limit)
            outputs = self._generate([chunk.text for chunk in chunks])
            record += [ChunkSummary(round_number, c.first, c.last, c.tokens, o)
                       for c, o in zip(chunks, outputs)]
            if len(chunks) == 1:
                return Summary(outputs[0], tuple(record), sentence_count, self.signature)
            units = outputs

    def _generate(self, texts: list[str]) -> list[str]:
        lengths = [self.backend.count_tokens(text) for text in texts]
        outputs = [""] * len(texts)
        for batch in plan_batches(lengths, max_batch_size=SUMMARY_BATCH_SIZE):
            for index, output in zip(batch, self.backend.generate([texts[i] for i in batch],
                                                                  self.options)):
                outputs[index] = output.strip()
        return outputs
