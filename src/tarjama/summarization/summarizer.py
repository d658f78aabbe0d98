"""Abstractive summaries of whole articles, however long."""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tarjama._checks import checked
from tarjama.backends import GenerationOptions, Seq2SeqBackend
from tarjama.backends.settings import ModelSettings
from tarjama.batching import DEFAULT_BATCH_TOKENS, plan_batches
from tarjama.errors import GenerationError
from tarjama.models import DEFAULT_SUMMARIZER, SUMMARIZATION, recognize_preset
from tarjama.segment import SEGMENTER_VERSION, split_paragraphs
from tarjama.signature import Signature, model_fields, version_fields
from tarjama.summarization.chunking import chunk_units
from tarjama.summarization.model_input import model_input
from tarjama.summarization.options import SummaryOptions
from tarjama.summarization.result import ChunkSummary, Summary
from tarjama.summarization.settings import SummarizerSettings
from tarjama.summarization.shaping import shape_summary

# PEGASUS trained on CNN/DailyMail writes this piece between sentences.
_PEGASUS_NEWLINE = "<n>"
# What a model may raise on an input it cannot take (an id outside its embeddings, a length its
# positions do not cover) or on a device that fails; anything else is a bug to show.
_GENERATION_FAILURES = (RuntimeError, IndexError, ValueError)

#: Padded input tokens times beams of one batch of chunks: the same budget as a translation
#: batch's (see tarjama.batching), two full chunks of BART at beam 4. Memory then stays flat with
#: the length of the text: benchmarks/summarize_memory.py measures it at 10,000 and 100,000 words.
SUMMARY_BATCH_TOKENS = DEFAULT_BATCH_TOKENS
SUMMARY_MAX_BATCH_SIZE = 64

logger = logging.getLogger("tarjama")


class Summarizer:
    """Summarizes text with a seq2seq model (a preset, a Hub id or a local folder).

    ``model`` is a model (a preset such as ``distilbart``, a Hub id or a local folder), a
    :class:`~tarjama.ModelSettings`, or the whole
    :class:`~tarjama.summarization.settings.SummarizerSettings`; any field of those settings may be
    given as a keyword, read as :meth:`SummarizerSettings.of
    <tarjama.summarization.settings.SummarizerSettings.of>` reads it
    (``Summarizer("distilbart", device="cpu", num_beams=2)``). The settings are kept as
    :attr:`settings`.

    Text longer than the model's input limit is never cut: it is split at sentence boundaries
    into as few chunks as fit, of about equal size, each chunk is summarized (all chunks of a
    round in batches of a fixed memory budget), and the joined summaries are summarized again
    until one summary is left.
    Generation settings are the model's own (its ``generation_config``), then the preset's (see
    :data:`tarjama.models.PRESETS`) when the model is a preset's model, whether named by preset,
    Hub id or local copy (:func:`tarjama.models.recognize_preset`), then the ones given here.

    Raises :class:`~tarjama.errors.InputError` for an unknown setting or a bad choice (before any
    model loads), :class:`~tarjama.errors.ModelNotAvailableError` when the model cannot be found,
    and :class:`~tarjama.errors.BackendUnavailableError` when the backend named cannot run it.
    """

    @checked
    def __init__(self, model: str | ModelSettings | SummarizerSettings = DEFAULT_SUMMARIZER,
                 **keywords: Any):
        self.settings = SummarizerSettings.of(model, **keywords)
        self.backend: Seq2SeqBackend = self.settings.model.load(SUMMARIZATION)
        preset = recognize_preset(self.settings.model.model, SUMMARIZATION)
        self.preset = preset.name if preset else None
        self._reads_arabic = preset is not None and preset.source_language == "ar"
        recommended = preset.generation if preset else GenerationOptions()
        asked = self.settings.generation
        self.options = GenerationOptions(
            num_beams=_first(asked.num_beams, recommended.num_beams),
            max_new_tokens=self._length_cap(_first(asked.max_new_tokens,
                                                   recommended.max_new_tokens)),
            min_new_tokens=_first(asked.min_new_tokens, recommended.min_new_tokens),
            no_repeat_ngram_size=_first(asked.no_repeat_ngram_size,
                                        recommended.no_repeat_ngram_size),
            length_penalty=_first(asked.length_penalty, recommended.length_penalty))

    def _length_cap(self, asked: int | None) -> int | None:
        # A chunk summary must be well under the input limit, or the summaries of two chunks would
        # not fit one chunk of the next round and the rounds would never end.
        cap = self.backend.max_source_tokens // 2
        own = asked or self.backend.default_max_length
        return cap if own is None or own > cap else asked

    @property
    def max_input_tokens(self) -> int:
        """The most tokens the model reads at once; longer texts are summarized in chunks."""
        return self.backend.max_source_tokens

    @property
    def signature(self) -> str:
        """Everything needed to reproduce a summary."""
        b = self.backend
        beams = self.options.num_beams or b.default_num_beams
        settings = [(key, value) for key, value in self.options.overrides().items()
                    if key != "num_beams"]
        preset = [("preset", self.preset)] if self.preset else []
        return str(Signature.of((*model_fields(b, beams), *preset, ("limit", b.max_source_tokens),
                                 *settings, *version_fields(SEGMENTER_VERSION))))

    @checked
    def summarize(self, text: str, options: SummaryOptions | None = None) -> Summary:
        """Summarize a text of any length: a paragraph, bullets or a headline, as ``options`` say
        (by default the settings' :attr:`~SummarizerSettings.options`).

        Raises :class:`~tarjama.errors.GenerationError` when the model writes an empty summary or
        fails on a chunk."""
        options = options or self.settings.options
        return shape_summary(self.draft(text, options), options)

    @checked
    def draft(self, text: str, options: SummaryOptions | None = None) -> Summary:
        """The summary as the model wrote it, before it is split into sentences and formatted.

        ``options`` set its length (by default the settings' ones); see
        :func:`tarjama.summarization.shape_summary` for the rest.
        """
        options = options or self.settings.options
        units = [model_input(s.text, reads_arabic=self._reads_arabic)
                 for p in split_paragraphs(text) for s in p.sentences]
        sentence_count = len(units)
        signature = self.signature + options.signature_part()
        model = self.backend.source.label
        if not units:
            return Summary("", (), 0, signature, model)
        final = self._final_options(units, options)
        limit = self.backend.max_source_tokens
        record: list[ChunkSummary] = []
        round_number = 0
        while True:
            round_number += 1
            lead_only = options.lead_only and round_number == 1
            # The lead is as much of the article as fits; other chunks are evened out.
            chunks = chunk_units(units, self.backend.count_tokens, limit, even=not lead_only)
            omitted = 0
            if lead_only and len(chunks) > 1:
                # A first sentence too long for the model comes in pieces: it is not all read.
                partial = chunks[1].first == chunks[0].last
                omitted = sentence_count - chunks[0].last - 1 + partial
                chunks = chunks[:1]
            last_round = len(chunks) == 1
            outputs = self._generate([chunk.text for chunk in chunks],
                                     final if last_round else self.options)
            record += [ChunkSummary(round_number, c.first, c.last, c.tokens, o)
                       for c, o in zip(chunks, outputs, strict=True)]
            if last_round:
                if not outputs[0]:
                    raise GenerationError(f"the summarizer {model} wrote an empty summary; try "
                                          "another summarization model", model)
                return Summary(outputs[0], tuple(record), sentence_count, signature, model,
                               truncated=omitted > 0, omitted_sentences=omitted)
            units = [output for output in outputs if output]
            if not units:
                raise GenerationError(f"the summarizer {model} wrote only empty summaries; try "
                                      "another summarization model", model)

    def _final_options(self, units: list[str], options: SummaryOptions) -> GenerationOptions:
        """Generation settings of the last round, which writes the summary the reader gets.

        Words become tokens at the rate the model's tokenizer cuts this very text into tokens.
        """
        limit = options.word_limit
        if limit is None and options.min_words is None:
            return self.options
        overhead = self.backend.count_tokens("")
        tokens = sum(self.backend.count_tokens(unit) - overhead for unit in units)
        words = sum(len(unit.split()) for unit in units)
        per_word = max(tokens / max(words, 1), 1.0)
        most = self.backend.max_source_tokens
        if limit is not None:
            most = min(math.ceil(limit * per_word), most)
        # 0 overrides a model's own min_length that would not fit under a short limit.
        least = min(math.ceil((options.min_words or 0) * per_word), most)
        return replace(self.options, max_new_tokens=most, min_new_tokens=least)

    def _generate(self, texts: list[str], options: GenerationOptions) -> list[str]:
        # The chunks of a round go to the model in batches of a fixed memory budget, so a book
        # costs no more memory than an article: each batch is summarized and let go before the
        # next (the CTranslate2 backend queues one more, so that its workers never wait).
        lengths = [self.backend.count_tokens(text) for text in texts]
        beams = options.num_beams or self.backend.default_num_beams
        batches = summary_batches(lengths, beams)
        outputs: list[str] = [""] * len(texts)
        try:
            generated = self.backend.generate_batches(
                ([texts[i] for i in batch], options) for batch in batches)
            for batch, batch_outputs in zip(batches, generated, strict=True):
                for index, output in zip(batch, batch_outputs, strict=True):
                    outputs[index] = " ".join(output.replace(_PEGASUS_NEWLINE, " ").split())
        except _GENERATION_FAILURES as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            label = self.backend.source.label
            raise GenerationError(
                f"the summarizer {label} failed on a chunk of up to {max(lengths)} tokens "
                f"({type(err).__name__}: {reason}); try another summarization model or backend",
                label) from err
        return outputs


def summary_batches(lengths: Sequence[int], beams: int,
                    budget: int = SUMMARY_BATCH_TOKENS) -> list[list[int]]:
    """The chunks (by index, of ``lengths`` tokens each) that go to the model together: as many as
    fit ``budget`` padded tokens times beams, at least one, and never more than
    :data:`SUMMARY_MAX_BATCH_SIZE`."""
    return plan_batches(lengths, max(1, budget // max(beams, 1)), SUMMARY_MAX_BATCH_SIZE)


def _first(asked: Any, recommended: Any) -> Any:
    """What the user asked for, else what the preset recommends (``None``: the model's own)."""
    return recommended if asked is None else asked
