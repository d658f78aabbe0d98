"""Arabic to English translation of whole documents, sentence by sentence, in batches.

The path of a sentence: split it if it is too long for the model, look it up in the cache, batch
what is missing by length, generate, check each output with the integrity guard, retry what the
guard flags once with stricter settings, store each batch in the cache as soon as it is done, and
join the pieces of each sentence again.
"""
from __future__ import annotations

import contextlib
import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tarjama.backends import GenerationOptions, Seq2SeqBackend
from tarjama.backends.settings import ModelSettings
from tarjama.batching import DEFAULT_BATCH_TOKENS, DEFAULT_MAX_BATCH_SIZE, plan_batches
from tarjama.cache_paths import model_fingerprint
from tarjama.errors import CacheError, InputError
from tarjama.language import NOT_ARABIC, needs_translation
from tarjama.models import DEFAULT_TRANSLATION_MODEL, TRANSLATION
from tarjama.normalize import arabic_digits_to_western, normalize_for_model
from tarjama.segment import SEGMENTER_VERSION, split_long_sentence, split_paragraphs, split_to_fit
from tarjama.signature import Signature, model_fields, version_fields
from tarjama.translation import guard
from tarjama.translation.cache import (
    DEFAULT_BUSY_TIMEOUT,
    Entry,
    TranslationCache,
    default_cache_path,
)
from tarjama.translation.result import TranslatedSentence, Translation
from tarjama.translation.verbatim import join_segments, split_verbatim

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with counts of sentences (or pieces) translated."""

# Output length grows with the source; the constant leaves room for very short sentences. Each
# source has its own budget, so its translation never depends on its batch-mates (batches hold
# sources of one budget). Budgets double from the smallest, so the sentences of an article fall
# into two or three budgets and fill whole batches: translating the 48 sentences of
# benchmarks/summarize_speed.py twice each in one process, alternating, took 28.3 / 28.4 s with
# budgets in steps of 16 tokens (8 budgets), 27.2 / 27.1 s doubling (3), 25.5 / 24.8 s with one
# budget for all. A looping output runs at most twice as long as it would with the step.
OUTPUT_TOKENS_PER_SOURCE_TOKEN = 2.0
EXTRA_OUTPUT_TOKENS = 16
SMALLEST_OUTPUT_BUDGET = 48

#: What the integrity guard does: check, retry once what fails, and flag what still fails ...
GUARD_RETRY = "retry"
#: ... or only check and flag ...
GUARD_FLAG = "flag"
#: ... or nothing.
GUARD_OFF = "off"
GUARD_MODES = (GUARD_RETRY, GUARD_FLAG, GUARD_OFF)
#: The flag of a sentence with a word longer than the model can read (a long URL, text glued
#: without spaces): the word was cut between characters into pieces translated one by one.
CUT_WORD = "cut_word"
#: Every flag a translated sentence may carry, in the order they are listed.
TRANSLATION_FLAGS = (*guard.FLAGS, CUT_WORD)
#: The stricter settings of a retry: no three words twice, and a long piece cut at its clauses.
RETRY_NO_REPEAT_NGRAM = 3
RETRY_SPLIT_MIN_TOKENS = 24

#: On CPU each part of a batch that runs on its own (see ``Seq2SeqBackend.parallel_batches``)
#: holds at most this many hypotheses (sentences x beams): each hypothesis carries several buffers
#: the size of the vocabulary (62.8k for OPUS-MT, ~2.3 MB a hypothesis with CTranslate2), and past
#: this point memory grows much faster than speed. Measured with benchmarks/translate_speed.py at
#: beam 4, one worker: 16 sentences 15.5/s 304 MB, 24 16.3/s 397 MB, 32 16.9/s 514 MB.
CPU_MAX_HYPOTHESES_PER_PART = 64
CPU_MAX_BATCH_SIZE = 32

#: Bump when a change here changes translations, so that cached ones are not reused.
ENGINE_VERSION = 3


@dataclass
class TranslationTally:
    """What a translator has done since it was made, in sentences that needed the model.

    ``from_cache``: sentences whose translation was all in the cache; ``repeats``: sentences said
    again in the same call, translated once. Sentences passed through as not Arabic are not counted.
    """

    sentences: int = 0
    from_cache: int = 0
    repeats: int = 0


class Translator:
    """Translates Arabic text to English with a MarianMT model.

    ``model`` is a preset (``best``, ``fast``), a Hub id or a local folder, and the five keywords
    after it are read as :class:`~tarjama.ModelSettings` reads them; or ``model`` is a
    :class:`~tarjama.ModelSettings` holding all six (then leave those keywords out). ``settings``
    is what the translator was made with. The model is loaded once, when the translator is made;
    keep the translator to translate many texts.

    ``options`` override the model's own generation settings (``num_beams`` is a shortcut for
    ``options.num_beams``); by default each sentence's output may be twice as long as its source,
    rounded up to a multiple of 16, plus 16 tokens. Batches are sorted by length and hold up to
    ``batch_tokens`` padded source tokens times the beam size (the decoder's working memory grows
    with both) and ``max_batch_size`` sentences of one output budget (default on CPU: 32, and 64
    hypotheses for each part of a batch the backend runs in parallel; on CUDA: 64). ``guard`` is
    ``retry``, ``flag`` or ``off`` (see
    :mod:`tarjama.translation.guard`). ``cache`` is ``True`` for the default SQLite file in
    tarjama's cache folder, a path for another file, or ``False`` for none. ``shortlist`` runs
    the model with the vocabulary shortlist built for it (see :mod:`tarjama.backends.ctranslate2.vmap`):
    faster on CPU, at the cost of the pieces the shortlist leaves out.

    The cache only saves time, so a fault in it never stops a translation: when the file is
    damaged, the disk is full, or another process holds it locked longer than ``cache_timeout``
    seconds, the translator goes on without it and calls ``on_cache_error`` with the
    :class:`~tarjama.errors.CacheError` (by default it is logged as a warning on the ``tarjama``
    logger). Batches committed before the fault stay in the file.
    """

    def __init__(self, model: str | ModelSettings = DEFAULT_TRANSLATION_MODEL, *,
                 revision: str | None = None,
                 backend: str = "auto", device: str = "auto", compute_type: str = "auto",
                 num_beams: int | None = None, batch_tokens: int = DEFAULT_BATCH_TOKENS,
                 max_batch_size: int | None = None, options: GenerationOptions | None = None,
                 guard: str = GUARD_RETRY, cache: bool | str | os.PathLike[str] = False,
                 cache_timeout: float = DEFAULT_BUSY_TIMEOUT,
                 on_cache_error: Callable[[CacheError], None] | None = None,
                 shortlist: bool = False):
        check_guard(guard)
        self.settings = ModelSettings.of(model, revision=revision, backend=backend, device=device,
                                         compute_type=compute_type, num_beams=num_beams)
        self.backend: Seq2SeqBackend = self.settings.load(TRANSLATION, shortlist=shortlist)
        self.options = options or GenerationOptions()
        if self.settings.num_beams is not None:
            self.options = replace(self.options, num_beams=self.settings.num_beams)
        self.batch_tokens = batch_tokens
        self.max_batch_size = max_batch_size or self._default_batch_size()
        self.guard = guard
        self.tally = TranslationTally()
        self.cache: TranslationCache | None = None
        self._on_cache_error = on_cache_error or _log_cache_error
        if cache:
            path = default_cache_path() if cache is True else cache
            try:
                self.cache = TranslationCache(path, self._cache_settings(),
                                              busy_timeout=cache_timeout)
            except CacheError as err:
                self._on_cache_error(err)

    def _drop_cache(self, err: CacheError) -> None:
        """Go on without the cache after a fault in it."""
        if self.cache is not None:
            with contextlib.suppress(CacheError):
                self.cache.close()
            self.cache = None
        self._on_cache_error(err)

    def _cached(self, texts: list[str]) -> dict[str, Entry]:
        """The cached entries among ``texts``; none, and no cache from then on, after a fault."""
        if self.cache:
            try:
                return self.cache.get_many(texts)
            except CacheError as err:
                self._drop_cache(err)
        return {}

    def _default_batch_size(self) -> int:
        if self.backend.device.startswith("cuda"):
            return DEFAULT_MAX_BATCH_SIZE
        hypotheses = CPU_MAX_HYPOTHESES_PER_PART * self.backend.parallel_batches
        return max(1, min(CPU_MAX_BATCH_SIZE, hypotheses // self.num_beams))

    @property
    def _source_tokens_per_batch(self) -> int:
        return max(1, self.batch_tokens // self.num_beams)

    @property
    def num_beams(self) -> int:
        """The beam size used: the option, or the model's own."""
        return self.options.num_beams or self.backend.default_num_beams

    @property
    def signature(self) -> str:
        """Everything needed to reproduce a translation, sacrebleu style."""
        return str(Signature.of((*model_fields(self.backend, self.num_beams), ("guard", self.guard),
                                 *self._shortlist_fields(), *version_fields(SEGMENTER_VERSION))))

    def _shortlist_fields(self) -> tuple[tuple[str, str], ...]:
        shortlist = getattr(self.backend, "shortlist", None)
        return (("shortlist", shortlist),) if shortlist else ()

    def _shortlist_part(self) -> str:
        return "".join(f"|{key}:{value}" for key, value in self._shortlist_fields())

    def _cache_settings(self) -> str:
        b = self.backend
        options = sorted(replace(self.options, num_beams=self.num_beams).overrides().items())
        return (f"{model_fingerprint(b.source)}|{b.name}|{b.device.partition(':')[0]}"
                f"|{b.compute_type}|{options}|limit:{b.max_source_tokens}|guard:{self.guard}"
                f"|engine:{ENGINE_VERSION}{self._shortlist_part()}")

    def translate(self, text: str, progress: ProgressCallback | None = None) -> Translation:
        """Translate a document; each line is a paragraph, kept in place in the output."""
        return self.translate_documents([text], progress)[0]

    def translate_documents(self, texts: Sequence[str],
                            progress: ProgressCallback | None = None) -> list[Translation]:
        """Translate many documents at once: their sentences share batches, which is faster than
        one document at a time when documents are short."""
        documents = []
        for text in texts:
            paragraphs = split_paragraphs(text)
            documents.append((len(paragraphs), [(p, i, s.text) for p, paragraph in enumerate(paragraphs)
                                                for i, s in enumerate(paragraph.sentences)]))
        outputs = iter(self.translate_sentences_flagged(
            [source for _, located in documents for _, _, source in located], progress))
        translations = []
        for paragraph_count, located in documents:
            sentences = tuple(TranslatedSentence(p, i, source, *next(outputs))
                              for p, i, source in located)
            translations.append(Translation(sentences, paragraph_count, self.signature))
        return translations

    def translate_sentences(self, sentences: Sequence[str],
                            progress: ProgressCallback | None = None) -> list[str]:
        """Translate sentences in batches; the result has one translation per sentence, in order.

        A sentence longer than the model's input limit is split at clause boundaries first and the
        translations of its pieces joined, so no text is cut off.
        """
        return [output for output, _ in self.translate_sentences_flagged(sentences, progress)]

    def translate_sentences_flagged(self, sentences: Sequence[str],
                                    progress: ProgressCallback | None = None) -> list[Entry]:
        """Like :meth:`translate_sentences`, with each translation's flags.

        The model sees each sentence normalised (:func:`~tarjama.normalize.normalize_for_model`).
        A sentence with little or no Arabic (English, a number) does not go to the model: it comes
        back as it is, flagged ``not_arabic``. Arabic-Indic digits in the output become ASCII.
        """
        arabic = [needs_translation(sentence) for sentence in sentences]
        translated = iter(self._translate_model_inputs(
            [normalize_for_model(s) for s, is_arabic in zip(sentences, arabic, strict=True) if is_arabic],
            progress))
        entries = [next(translated) if is_arabic else (sentence, (NOT_ARABIC,))
                   for sentence, is_arabic in zip(sentences, arabic, strict=True)]
        return [(arabic_digits_to_western(output), flags) for output, flags in entries]

    def _translate_model_inputs(self, sentences: list[str],
                                progress: ProgressCallback | None) -> list[Entry]:
        limit = self.backend.max_source_tokens
        segments_of = [split_verbatim(sentence) for sentence in sentences]
        fitted_of = [[None if segment.verbatim
                      else split_to_fit(segment.text, self.backend.count_tokens, limit)
                      for segment in segments] for segments in segments_of]
        pieces_of = [[list(fitted.pieces) if fitted else [] for fitted in sentence]
                     for sentence in fitted_of]
        # A piece said several times (a dateline, a recurring phrase) is translated once; progress
        # still counts every occurrence.
        occurrences = Counter(piece for sentence in pieces_of for pieces in sentence
                              for piece in pieces)
        cached = self._cached(list(occurrences))
        done = self._translate_unique(list(occurrences), occurrences, cached, progress)
        self._count(sentences, pieces_of, cached)
        results: list[Entry] = []
        for segments, sentence, fitted in zip(segments_of, pieces_of, fitted_of, strict=True):
            outputs: list[str] = []
            flags: set[str] = {CUT_WORD} if any(f and f.word_cuts for f in fitted) else set()
            for segment, pieces in zip(segments, sentence, strict=True):
                entries = [done[piece] for piece in pieces]
                flags.update(flag for _, piece_flags in entries for flag in piece_flags)
                outputs.append(segment.text if segment.verbatim
                               else " ".join(text for text, _ in entries))
            results.append((join_segments(segments, outputs),
                            tuple(flag for flag in TRANSLATION_FLAGS if flag in flags)))
        return results

    def _count(self, sentences: list[str], pieces_of: list[list[list[str]]],
               cached: dict[str, Entry]) -> None:
        seen: set[str] = set()
        for sentence, segments in zip(sentences, pieces_of, strict=True):
            pieces = [piece for segment in segments for piece in segment]
            if sentence in seen:
                self.tally.repeats += 1
            elif pieces and all(piece in cached for piece in pieces):
                self.tally.from_cache += 1
            seen.add(sentence)
        self.tally.sentences += len(sentences)

    def _translate_unique(self, texts: list[str], occurrences: Counter[str],
                          cached: dict[str, Entry],
                          progress: ProgressCallback | None) -> dict[str, Entry]:
        """Translations of distinct texts, from the cache or generated batch by batch.

        Batches are planned over all texts, cached or not, and each is committed to the cache as a
        whole. So a run that was interrupted finds each batch either complete or missing, and
        translates the missing ones with exactly the batch-mates of an uninterrupted run: its
        output is the same, even with int8 arithmetic, whose last digits depend on the batch.
        """
        done: dict[str, Entry] = {}
        total, finished = sum(occurrences.values()), 0
        if progress:
            progress(0, total)
        planned = self._plan(texts)
        batches = [sources for sources, _ in planned]
        # Lazily, so the backend may run the next batch while this loop handles the last one.
        generated = self.backend.generate_batches(
            (sources, self._with_budget(self.options, budget)) for sources, budget in planned
            if not all(source in cached for source in sources))
        for sources in batches:
            if not all(source in cached for source in sources):
                outputs = [output.strip() for output in next(generated)]
                entries = {source: (output, self._check(source, output))
                           for source, output in zip(sources, outputs, strict=True)}
                if self.guard == GUARD_RETRY:
                    self._retry(entries)
                if self.cache:
                    try:
                        self.cache.put_many((s, e) for s, e in entries.items() if s not in cached)
                    except CacheError as err:
                        self._drop_cache(err)
                done.update(entries)
            # What is cached stays as it was, even where a batch-mate had to be translated again.
            done.update((source, cached[source]) for source in sources if source in cached)
            finished += sum(occurrences[source] for source in sources)
            if progress:
                progress(finished, total)
        return done

    def _budget(self, tokens: int) -> int:
        """The output budget of a source of ``tokens`` tokens: the option when set, else the
        smallest budget (48, 96, 192, ...) that holds twice the source plus some room; never more
        than the model's positions hold."""
        limit = self.backend.max_source_tokens
        if self.options.max_new_tokens is not None:
            return min(self.options.max_new_tokens, limit)
        return output_budget(tokens, limit)

    @staticmethod
    def _with_budget(options: GenerationOptions, budget: int) -> GenerationOptions:
        """``options`` with the output budget of every source of a batch."""
        return replace(options, max_new_tokens=budget)

    def _check(self, source: str, output: str) -> tuple[str, ...]:
        return guard.check(source, output) if self.guard != GUARD_OFF else ()

    def _retry(self, entries: dict[str, Entry]) -> None:
        """Translate flagged sources again, stricter; keep whichever output has fewer flags.

        Each source is retried in batches of its own parts, so its retry never depends on which
        sources were flagged with it.
        """
        flagged = [source for source, (_, flags) in entries.items() if flags]
        if not flagged:
            return
        no_repeat = min(self.options.no_repeat_ngram_size or RETRY_NO_REPEAT_NGRAM,
                        RETRY_NO_REPEAT_NGRAM)
        stricter = replace(self.options, no_repeat_ngram_size=no_repeat)
        parts_of = {source: self._retry_parts(source) for source in flagged}
        plans = {source: self._plan(list(dict.fromkeys(parts_of[source]))) for source in flagged}
        generated = self.backend.generate_batches(
            (texts, self._with_budget(stricter, budget))
            for plan in plans.values() for texts, budget in plan)
        for source in flagged:
            outputs: dict[str, str] = {}
            for texts, _ in plans[source]:
                outputs.update(zip(texts, (output.strip() for output in next(generated)),
                                   strict=True))
            output = " ".join(outputs[part] for part in parts_of[source])
            flags = self._check(source, output)
            if len(flags) < len(entries[source][1]):
                entries[source] = (output, flags)

    def _plan(self, texts: Sequence[str]) -> list[tuple[list[str], int]]:
        """Batches of the distinct ``texts``, each with the output budget all its texts share."""
        lengths = [self.backend.count_tokens(text) for text in texts]
        budgets = [self._budget(length) for length in lengths]
        return [([texts[i] for i in batch], budgets[batch[0]]) for batch in
                plan_batches(lengths, self._source_tokens_per_batch, self.max_batch_size,
                             groups=budgets)]

    def _retry_parts(self, source: str) -> list[str]:
        # A long input is cut at its clauses (at half its length at most): models loop and drop
        # words far more on long inputs than on short ones.
        tokens = self.backend.count_tokens(source)
        if tokens < RETRY_SPLIT_MIN_TOKENS:
            return [source]
        return split_long_sentence(source, self.backend.count_tokens, max(tokens // 2, 1))


def output_budget(tokens: int, limit: int) -> int:
    """The output budget of a source of ``tokens`` tokens for a model that takes ``limit``: the
    smallest of 48, 96, 192, ... that holds twice the source plus some room, at most ``limit``."""
    needed = tokens * OUTPUT_TOKENS_PER_SOURCE_TOKEN + EXTRA_OUTPUT_TOKENS
    budget = SMALLEST_OUTPUT_BUDGET
    while budget < needed and budget < limit:
        budget *= 2
    return min(budget, limit)


def check_guard(guard: str) -> None:
    """Refuse a guard mode that is not one of :data:`GUARD_MODES`."""
    if guard not in GUARD_MODES:
        raise InputError(f"unknown guard mode {guard!r}; choose one of: {', '.join(GUARD_MODES)}")


def _log_cache_error(err: CacheError) -> None:
    logging.getLogger("tarjama").warning("%s; translating without the cache", err)
