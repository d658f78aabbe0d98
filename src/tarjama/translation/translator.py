"""Arabic to English translation of whole documents, sentence by sentence, in batches.

The path of a sentence: split it if it is too long for the model, look it up in the cache, batch
what is missing by length, generate, check each output with the integrity guard, retry what the
guard flags once with stricter settings, store each batch in the cache as soon as it is done, and
join the pieces of each sentence again.
"""
from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tarjama._checks import checked
from tarjama.backends import DetailedOutput, GenerationOptions, Seq2SeqBackend
from tarjama.backends.settings import ModelSettings
from tarjama.batching import DEFAULT_MAX_BATCH_SIZE, plan_batches
from tarjama.errors import CacheError
from tarjama.language import NOT_ARABIC, needs_translation
from tarjama.models import DEFAULT_TRANSLATION_MODEL, TRANSLATION
from tarjama.normalize import for_english, normalize_for_model
from tarjama.segment import (
    SEGMENTER_VERSION,
    split_lines,
    split_long_sentence,
    split_paragraphs,
    split_to_fit,
)
from tarjama.signature import Signature, model_fields, version_fields
from tarjama.terms.aligned import replace_aligned
from tarjama.terms.glossary import (
    ALIGNED,
    INLINE,
    MISSING,
    TERM_MISSING,
    VERBATIM,
    Protected,
    has_rendering,
    lacking,
    uses,
)
from tarjama.terms.months import resolve_months
from tarjama.terms.names import consistent_names
from tarjama.terms.varieties import ARABIZI, DIALECT, is_arabizi, is_dialect
from tarjama.translation import confidence, guard
from tarjama.translation.cache import Entry, TranslationCache, default_cache_path
from tarjama.translation.cache_key import cache_key
from tarjama.translation.result import SentenceOutput, TranslatedSentence, Translation
from tarjama.translation.settings import GUARD_OFF, GUARD_RETRY, TranslatorSettings
from tarjama.translation.verbatim import join_segments, split_verbatim

if TYPE_CHECKING:
    from tarjama.documents.placement import WordAlignment

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with counts of sentences (or pieces) translated."""

# Output length grows with the source; the constant leaves room for very short sentences. Each
# source has its own budget, so its translation never depends on its batch-mates (batches hold
# sources of one budget). Budgets double from the smallest, so the sentences of an article fall
# into two or three budgets and fill whole batches: faster than budgets in fine steps, nearly as
# fast as one budget for all (measured: see benchmarks/RESULTS.md#translation-budgets). A looping
# output runs at most twice as long as it would with the step.
OUTPUT_TOKENS_PER_SOURCE_TOKEN = 2.0
EXTRA_OUTPUT_TOKENS = 16
SMALLEST_OUTPUT_BUDGET = 48

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
#: this point memory grows much faster than speed (measured with benchmarks/translate_speed.py:
#: see benchmarks/RESULTS.md#cpu-batch-size).
CPU_MAX_HYPOTHESES_PER_PART = 64
CPU_MAX_BATCH_SIZE = 32


@dataclass
class _Generated:
    """Translations of distinct model inputs: each one's entry and score (from the cache or the
    generation), and the generation's details of those whose attention was asked for."""

    entries: dict[str, Entry]
    scores: dict[str, confidence.Score]
    details: dict[str, DetailedOutput]


@dataclass
class TranslationTally:
    """What a translator has done since it was made, in sentences that needed the model.

    ``from_cache``: sentences whose translation was all in the cache; ``repeats``: sentences said
    again in the same call, translated once. Sentences passed through as not Arabic are not counted.
    ``inline_tried``: sentences with glossary terms, sent to the model with the renderings inline;
    ``inline_copied``: those whose output held every rendering (the model copied them).
    """

    sentences: int = 0
    from_cache: int = 0
    repeats: int = 0
    inline_tried: int = 0
    inline_copied: int = 0


class Translator:
    """Translates Arabic text to English with a MarianMT model.

    ``model`` is a model (a preset such as ``best`` or ``fast``, a Hub id or a local folder), a
    :class:`~tarjama.ModelSettings`, or the whole
    :class:`~tarjama.translation.settings.TranslatorSettings`; any field of those settings may be
    given as a keyword, read as :meth:`TranslatorSettings.of
    <tarjama.translation.settings.TranslatorSettings.of>` reads it::

        Translator("fast", device="cpu", num_beams=2, guard="flag", cache=True)

    ``on_cache_error`` is called with each :class:`~tarjama.errors.CacheError` (by default it is
    logged as a warning on the ``tarjama`` logger). The settings are kept as :attr:`settings`.
    The model is loaded once, when the translator is made; keep the translator to translate many
    texts.

    The cache only saves time, so a fault in it never stops a translation: when the file is
    damaged, the disk is full, or another process holds it locked longer than ``cache_timeout``
    seconds, the translator goes on without it and calls ``on_cache_error``. Batches committed
    before the fault stay in the file.

    Raises :class:`~tarjama.errors.InputError` for an unknown setting or a bad choice (before any
    model loads), :class:`~tarjama.errors.ModelNotAvailableError` when the model cannot be found,
    and :class:`~tarjama.errors.BackendUnavailableError` when the backend named cannot run it.
    """

    @checked
    def __init__(self, model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL,
                 *, on_cache_error: Callable[[CacheError], None] | None = None, **keywords: Any):
        self.settings = TranslatorSettings.of(model, **keywords)
        self.backend: Seq2SeqBackend = self.settings.model.load(TRANSLATION)
        self.options = self.settings.generation
        self.batch_tokens = self.settings.batch_tokens
        self.max_batch_size = self.settings.max_batch_size or self._default_batch_size()
        self.guard = self.settings.guard
        self.glossary = self.settings.glossary
        self.tally = TranslationTally()
        self.cache: TranslationCache | None = None
        self._on_cache_error = on_cache_error or _log_cache_error
        cache = self.settings.cache
        if cache:
            path = default_cache_path() if cache is True else cache
            try:
                self.cache = TranslationCache(path, cache_key(self.settings, self.backend),
                                              busy_timeout=self.settings.cache_timeout)
            except CacheError as err:
                self._on_cache_error(err)

    def _drop_cache(self, err: CacheError) -> None:
        """Go on without the cache after a fault in it."""
        if self.cache is not None:
            with contextlib.suppress(CacheError):
                self.cache.close()
            self.cache = None
        self._on_cache_error(err)

    def _cached(self, texts: list[str]) -> tuple[dict[str, Entry], dict[str, confidence.Score]]:
        """The cached entries among ``texts`` and their scores; none, and no cache from then on,
        after a fault. While confidence is reported, an entry without its score (one stored
        before scores were) is left out, to be translated again."""
        if self.cache:
            try:
                found = self.cache.get_many(texts)
                scores = self.cache.get_scores(found)
            except CacheError as err:
                self._drop_cache(err)
                return {}, {}
            if self.settings.confidence:
                found = {source: entry for source, entry in found.items() if source in scores}
            return found, scores
        return {}, {}

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
                                 *self._shortlist_fields(), *self._glossary_fields(),
                                 *version_fields(SEGMENTER_VERSION))))

    def _glossary_fields(self) -> tuple[tuple[str, str], ...]:
        return (("glossary", self.glossary.digest),) if self.glossary else ()

    def _shortlist_fields(self) -> tuple[tuple[str, str], ...]:
        shortlist = getattr(self.backend, "shortlist", None)
        return (("shortlist", shortlist),) if shortlist else ()

    @checked
    def translate(self, text: str, progress: ProgressCallback | None = None) -> Translation:
        """Translate a document; each line is a paragraph, kept in place in the output.

        ``progress``, when given, is called as ``progress(done, total)`` with counts of sentences
        (or pieces of long ones) as batches finish. Nothing is raised for a fault of the cache
        (see the class); a model that fails on a batch raises what its backend raises."""
        return self.translate_documents([text], progress)[0]

    @checked
    def translate_documents(self, texts: Sequence[str], progress: ProgressCallback | None = None,
                            *, split: bool = True) -> list[Translation]:
        """Translate many documents at once: their sentences share batches, which is faster than
        one document at a time when documents are short. One :class:`Translation` per text, in
        order; ``progress`` as in :meth:`translate`.

        ``split=False`` takes text split into sentences already, one a line (as ``tarjama
        segment`` writes it): each line is translated whole, as one sentence and paragraph
        (:func:`~tarjama.segment.split_lines`), and names are made consistent all the same."""
        documents = []
        for text in texts:
            paragraphs = split_paragraphs(text) if split else split_lines(text)
            documents.append((len(paragraphs), [(p, i, s.text) for p, paragraph in enumerate(paragraphs)
                                                for i, s in enumerate(paragraph.sentences)]))
        outputs = iter(self._translate_sentences(
            [source for _, located in documents for _, _, source in located], progress))
        translations = []
        for paragraph_count, located in documents:
            sentences = self._consistent(
                [next(outputs).placed(p, i, source) for p, i, source in located])
            translations.append(Translation(sentences, paragraph_count, self.signature))
        return translations

    def _consistent(self, sentences: list[TranslatedSentence]) -> tuple[TranslatedSentence, ...]:
        """A document's sentences with each name rendered one way (the glossary's, else the most
        frequent), see :mod:`tarjama.terms.names`."""
        translated = [k for k, s in enumerate(sentences) if NOT_ARABIC not in s.flags]
        consistent = consistent_names(
            [sentences[k].source for k in translated], [sentences[k].translation for k in translated],
            self.glossary.single_words() if self.glossary else None,
            [[use.english for use in sentences[k].terms] for k in translated])
        for k, (translation, changes) in zip(translated, consistent, strict=True):
            if changes:
                sentences[k] = replace(sentences[k], translation=translation, names=changes)
        return tuple(sentences)

    @checked
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

        The model sees each sentence normalised (:func:`~tarjama.normalize.normalize_for_model`),
        with dual month names as one (:func:`~tarjama.terms.months.resolve_months`).
        A sentence with little or no Arabic (English, a number) does not go to the model: it comes
        back as it is, flagged ``not_arabic`` (and ``arabizi`` when it is Arabic in Latin letters);
        a sentence heavy with dialect is flagged ``dialect``. Arabic-Indic digits in the output
        become ASCII, and bidi controls are dropped.
        """
        return [(out.translation, out.flags) for out in self._translate_sentences(sentences, progress)]

    def translate_sentences_detailed(self, sentences: Sequence[str],
                                     progress: ProgressCallback | None = None, *,
                                     attention: Collection[int] = ()) -> list[SentenceOutput]:
        """Like :meth:`translate_sentences_flagged`, each sentence as a
        :class:`~tarjama.translation.result.SentenceOutput` (flags, confidence, glossary terms).

        The sentences whose indices are in ``attention`` also get the generation's ``detail``
        (the model's input and output tokens, and its cross-attention, see
        :class:`~tarjama.backends.DetailedOutput`) when this call generated them whole: not when
        the translation came from the cache, was cut into pieces, translated again or changed by
        a glossary, since then no single generation wrote it (``detail`` is ``None``).
        """
        return self._translate_sentences(sentences, progress, frozenset(attention))

    def _translate_sentences(self, sentences: Sequence[str], progress: ProgressCallback | None,
                             attention: frozenset[int] = frozenset()) -> list[SentenceOutput]:
        arabic = [needs_translation(sentence) for sentence in sentences]
        translated = iter(self._translate_with_terms(
            [resolve_months(normalize_for_model(sentence))[0]
             for sentence, is_arabic in zip(sentences, arabic, strict=True) if is_arabic],
            progress, [k in attention for k, is_arabic in enumerate(arabic) if is_arabic]))
        outputs = [next(translated) if is_arabic else SentenceOutput(sentence, _passed_flags(sentence))
                   for sentence, is_arabic in zip(sentences, arabic, strict=True)]
        return [replace(out, translation=for_english(out.translation),
                        flags=out.flags + ((DIALECT,) if is_arabic and is_dialect(sentence) else ()))
                for out, sentence, is_arabic in zip(outputs, sentences, arabic, strict=True)]

    def _translate_with_terms(self, inputs: list[str], progress: ProgressCallback | None,
                              attend: list[bool]) -> list[SentenceOutput]:
        """Translations of model inputs, the glossary's renderings guaranteed.

        Each term's rendering goes into the input in place of the term, and a model that copies
        it needs nothing more. Where the output lacks a rendering, the English words aligned to it
        (the generation's own attention) are replaced by it: no second translation. Only an input
        that cannot be aligned (cut to fit the model, or reworded after) is translated again with
        the renderings cut out and put back in place. docs/glossary.md says why, and what each
        costs.
        """
        if self.glossary is None:
            return self._translate_model_inputs(inputs, progress, attend=attend)
        protected = [self.glossary.protect(text) for text in inputs]
        # A rendering in the input changes its words, so the attention of an input with terms is
        # for placing its renderings, not for the caller.
        first = self._translate_model_inputs(
            [p.text for p in protected], progress,
            attend=[wanted or bool(p.matches) for wanted, p in zip(attend, protected, strict=True)])
        missing = {k: lacking(p, out.translation)
                   for k, (p, out) in enumerate(zip(protected, first, strict=True)) if p.matches}
        self.tally.inline_tried += len(missing)
        self.tally.inline_copied += sum(not lack for lack in missing.values())
        to_align = [k for k, lack in missing.items() if lack]
        aligned: dict[int, str] = {}
        for k, alignment in zip(to_align, self._alignments(
                [protected[k] for k in to_align], [first[k] for k in to_align]), strict=True):
            if alignment is not None:
                text = replace_aligned(protected[k], first[k].translation, alignment, missing[k])
                if has_rendering(text, protected[k]):
                    aligned[k] = text
        redo = [k for k in to_align if k not in aligned]
        again = dict(zip(redo, self._translate_model_inputs(
            [protected[k].text for k in redo], None, [protected[k].spans for k in redo],
            counted=True), strict=True))
        results = []
        for k, (text, p) in enumerate(zip(inputs, protected, strict=True)):
            out = again.get(k, first[k])
            methods = [VERBATIM if k in again else ALIGNED if k in aligned and m in missing[k]
                       else INLINE for m in range(len(p.matches))]
            if k in aligned:
                out = replace(out, translation=aligned[k])
            applied = uses(p, text, out.translation, methods)
            flags = out.flags
            if any(use.method == MISSING for use in applied):
                flags = (*flags, TERM_MISSING)
            results.append(replace(out, flags=flags, terms=applied,
                                   detail=None if p.matches else out.detail))
        return results

    def _alignments(self, protected: list[Protected], outputs: list[SentenceOutput]
                    ) -> list[WordAlignment | None]:
        """The word alignment of each model input with terms and its output: from the generation
        that wrote it, else (a cached output, one joined from pieces) from the model reading the
        input again with the output forced; ``None`` where neither can be had."""
        # Imported here: tarjama.documents imports this module.
        from tarjama.documents.alignment import align, generated_alignment

        found = [generated_alignment(out.detail, p.text, out.translation) if out.detail else None
                 for p, out in zip(protected, outputs, strict=True)]
        forced = [k for k, (alignment, out) in enumerate(zip(found, outputs, strict=True))
                  if alignment is None and out.detail is None]
        for k, alignment in zip(forced, align(self.backend, [
                (protected[k].text, outputs[k].translation) for k in forced]), strict=True):
            found[k] = alignment
        return found

    def _translate_model_inputs(self, sentences: list[str], progress: ProgressCallback | None,
                                keep: list[tuple[tuple[int, int], ...]] | None = None, *,
                                attend: list[bool] | None = None,
                                counted: bool = False) -> list[SentenceOutput]:
        """Translations of model inputs with their flags and confidence; ``keep`` gives each
        input's spans to copy as they are; ``attend`` marks the inputs whose generation details
        are wanted; ``counted``: the inputs are in the tally already (a second pass over them)."""
        limit = self.backend.max_source_tokens
        segments_of = [split_verbatim(sentence, keep[k] if keep else ())
                       for k, sentence in enumerate(sentences)]
        fitted_of = [[None if segment.verbatim
                      else split_to_fit(segment.text, self.backend.count_tokens, limit)
                      for segment in segments] for segments in segments_of]
        pieces_of = [[list(fitted.pieces) if fitted else [] for fitted in sentence]
                     for sentence in fitted_of]
        # A piece said several times (a dateline, a recurring phrase) is translated once; progress
        # still counts every occurrence.
        occurrences = Counter(piece for sentence in pieces_of for pieces in sentence
                              for piece in pieces)
        cached, cached_scores = self._cached(list(occurrences))
        whole = {sentence[0][0] for sentence, wanted in zip(pieces_of, attend or (), strict=False)
                 if wanted and len(sentence) == 1 and len(sentence[0]) == 1}
        generated = self._translate_unique(list(occurrences), occurrences, cached, cached_scores,
                                           progress, whole)
        done, scores = generated.entries, generated.scores
        if not counted:
            self._count(sentences, pieces_of, cached)
        results: list[SentenceOutput] = []
        for segments, sentence, fitted in zip(segments_of, pieces_of, fitted_of, strict=True):
            outputs: list[str] = []
            flags: set[str] = {CUT_WORD} if any(f and f.word_cuts for f in fitted) else set()
            for segment, pieces in zip(segments, sentence, strict=True):
                entries = [done[piece] for piece in pieces]
                flags.update(flag for _, piece_flags in entries for flag in piece_flags)
                outputs.append(segment.text if segment.verbatim
                               else " ".join(text for text, _ in entries))
            sure = (confidence.combine([scores[piece] for pieces in sentence for piece in pieces
                                        if piece in scores])
                    if self.settings.confidence else None)
            only = sentence[0][0] if len(sentence) == 1 and len(sentence[0]) == 1 else None
            results.append(SentenceOutput(
                join_segments(segments, outputs),
                tuple(flag for flag in TRANSLATION_FLAGS if flag in flags)
                + ((confidence.LOW_CONFIDENCE,) if confidence.is_low(sure) else ()),
                confidence=sure, detail=generated.details.get(only) if only else None))
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
                          cached: dict[str, Entry], cached_scores: dict[str, confidence.Score],
                          progress: ProgressCallback | None, attend: set[str]) -> _Generated:
        """Translations of distinct texts, from the cache or generated batch by batch, with
        their scores, and the generation's details of those in ``attend``.

        Batches are planned over all texts, cached or not, and each is committed to the cache as a
        whole. So a run that was interrupted finds each batch either complete or missing, and
        translates the missing ones with exactly the batch-mates of an uninterrupted run: its
        output is the same, even with int8 arithmetic, whose last digits depend on the batch.
        """
        done: dict[str, Entry] = {}
        scores: dict[str, confidence.Score] = {}
        details: dict[str, DetailedOutput] = {}
        total, finished = sum(occurrences.values()), 0
        if progress:
            progress(0, total)
        planned = self._plan(texts)
        batches = [sources for sources, _ in planned]
        # Lazily, so the backend may run the next batch while this loop handles the last one.
        generated = self.backend.generate_scored(
            (sources, self._with_budget(self.options, budget),
             [k for k, source in enumerate(sources) if source in attend])
            for sources, budget in planned if not all(source in cached for source in sources))
        for sources in batches:
            if not all(source in cached for source in sources):
                outputs = dict(zip(sources, next(generated), strict=True))
                entries = {source: (output.text.strip(), self._check(source, output.text.strip()))
                           for source, output in outputs.items()}
                batch_scores = {source: (output.score, len(output.tokens) + 1)
                                for source, output in outputs.items()}
                if self.guard == GUARD_RETRY:
                    retried = self._retry(entries, batch_scores)
                    outputs = {s: o for s, o in outputs.items() if s not in retried}
                if self.cache:
                    try:
                        self.cache.put_many(((s, e) for s, e in entries.items() if s not in cached),
                                            batch_scores)
                    except CacheError as err:
                        self._drop_cache(err)
                done.update(entries)
                scores.update(batch_scores)
                details.update((s, o) for s, o in outputs.items()
                               if o.attention is not None and s not in cached)
            # What is cached stays as it was, even where a batch-mate had to be translated again.
            done.update((source, cached[source]) for source in sources if source in cached)
            scores.update((source, cached_scores[source]) for source in sources
                          if source in cached_scores and source in cached)
            finished += sum(occurrences[source] for source in sources)
            if progress:
                progress(finished, total)
        return _Generated(done, scores, details)

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

    def _retry(self, entries: dict[str, Entry], scores: dict[str, confidence.Score]) -> set[str]:
        """Translate flagged sources again, stricter; keep whichever output has fewer flags (and
        its score); the sources whose retry was kept.

        Each source is retried in batches of its own parts, so its retry never depends on which
        sources were flagged with it.
        """
        flagged = [source for source, (_, flags) in entries.items() if flags]
        kept: set[str] = set()
        if not flagged:
            return kept
        no_repeat = min(self.options.no_repeat_ngram_size or RETRY_NO_REPEAT_NGRAM,
                        RETRY_NO_REPEAT_NGRAM)
        stricter = replace(self.options, no_repeat_ngram_size=no_repeat)
        parts_of = {source: self._retry_parts(source) for source in flagged}
        plans = {source: self._plan(list(dict.fromkeys(parts_of[source]))) for source in flagged}
        generated = self.backend.generate_scored(
            (texts, self._with_budget(stricter, budget), ())
            for plan in plans.values() for texts, budget in plan)
        for source in flagged:
            outputs: dict[str, DetailedOutput] = {}
            for texts, _ in plans[source]:
                outputs.update(zip(texts, next(generated), strict=True))
            output = " ".join(outputs[part].text.strip() for part in parts_of[source])
            flags = self._check(source, output)
            if len(flags) < len(entries[source][1]):
                entries[source] = (output, flags)
                scores[source] = confidence.mean(
                    [(outputs[part].score, len(outputs[part].tokens) + 1)
                     for part in parts_of[source]])
                kept.add(source)
        return kept

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


def _passed_flags(sentence: str) -> tuple[str, ...]:
    """The flags of a sentence passed through untranslated: Arabizi is Arabic all the same."""
    return (NOT_ARABIC, ARABIZI) if is_arabizi(sentence) else (NOT_ARABIC,)


def _log_cache_error(err: CacheError) -> None:
    logging.getLogger("tarjama").warning("%s; translating without the cache", err)
