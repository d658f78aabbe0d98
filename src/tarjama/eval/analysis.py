"""compare-mt's analyses of one or more systems, on sacrebleu's 13a tokens.

compare-mt (Neubig et al., NAACL 2019 demo; version 0.2.10) is the field's tool for asking *where*
systems differ. Its default analyses are reproduced here, with its buckets, on the tokens sacrebleu's
BLEU counts (13a, mixed case), so the corpus BLEU agrees with tarjama's BLEU:

- BLEU and length ratio;
- word F-measure by frequency bucket (frequency in the reference, or in a training file);
- BLEU by reference-length bucket;
- sentence counts by length difference (output minus reference, in tokens);
- sentence counts by sentence-BLEU bucket;
- for two systems: the n-grams (1 to 4) each matches more often, and the sentences whose
  sentence-BLEU differs most.

Two choices differ from compare-mt on purpose, and only on degenerate data: corpus BLEU (overall and
per bucket) is sacrebleu's (compare-mt counts an output shorter than n words as one n-gram and
scores a zero precision as 1), and an empty line has no tokens (compare-mt reads it as one empty
token). Sentence BLEU is compare-mt's: NLTK's with Lin and Och's add-one smoothing above unigrams.
``tests/eval/test_analysis_oracle.py`` runs compare-mt itself and requires the same figures.

The analyses use the first reference stream, as compare-mt takes one reference.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_ORDER = 4
#: compare-mt's default cut-offs (``bucketers.py``); a bucket holds values ``< cutoff``.
WORD_FREQUENCY_CUTOFFS: tuple[float, ...] = (1, 2, 3, 4, 5, 10, 100, 1000)
REFERENCE_LENGTH_CUTOFFS: tuple[float, ...] = (10, 20, 30, 40, 50, 60)
LENGTH_DIFFERENCE_CUTOFFS: tuple[float, ...] = (-20, -10, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6,
                                                11, 21)
SENTENCE_BLEU_CUTOFFS: tuple[float, ...] = tuple(x * 100 / 10.0 for x in range(1, 10))
NGRAM_REPORT_LENGTH = 50
NGRAM_ALPHA = 1.0
SENTENCE_REPORT_LENGTH = 10

Tokens = tuple[str, ...]


@lru_cache(maxsize=1)
def _tokenizer():
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    return Tokenizer13a()


def tokenize(text: str) -> Tokens:
    """A segment as sacrebleu's BLEU sees it: trailing space dropped, 13a tokens, mixed case."""
    return tuple(_tokenizer()(text.rstrip()).split())


def bucket_labels(cutoffs: Sequence[float], integers: bool = True) -> tuple[str, ...]:
    """compare-mt's bucket names: ``<c0``, ``[c0,c1)`` (or ``c0`` when the bucket holds one
    integer), ..., ``>=cn``."""
    labels = []
    for index, cutoff in enumerate(cutoffs):
        if index == 0:
            labels.append(f"<{cutoff}")
        elif integers and cutoff - 1 == cutoffs[index - 1]:
            labels.append(f"{cutoff - 1}")
        else:
            labels.append(f"[{cutoffs[index - 1]},{cutoff})")
    labels.append(f">={cutoffs[-1]}")
    return tuple(labels)


def bucket_of(value: float, cutoffs: Sequence[float]) -> int:
    """The index of the bucket ``value`` falls in."""
    for index, cutoff in enumerate(cutoffs):
        if value < cutoff:
            return index
    return len(cutoffs)


def _ngrams(tokens: Tokens, n: int) -> Counter[Tokens]:
    return Counter(tokens[i:i + n] for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class BleuStatistics:
    """sacrebleu's sufficient statistics of one segment: matched and total n-grams, lengths."""

    correct: tuple[int, ...]
    total: tuple[int, ...]
    hyp_len: int
    ref_len: int


def ngram_counts(tokens: Tokens) -> tuple[Counter[Tokens], ...]:
    """The 1- to 4-grams of a segment, counted, one counter per order."""
    return tuple(_ngrams(tokens, n) for n in range(1, MAX_ORDER + 1))


def bleu_statistics(hypothesis: Tokens, ref_counts: tuple[Counter[Tokens], ...]) -> BleuStatistics:
    """Clipped n-gram matches and counts of one segment, as sacrebleu's BLEU extracts them, from
    the reference's :func:`ngram_counts`."""
    correct, total = [], []
    for n in range(1, MAX_ORDER + 1):
        hyp, ref = _ngrams(hypothesis, n), ref_counts[n - 1]
        correct.append(sum(min(count, ref[gram]) for gram, count in hyp.items()))
        total.append(max(0, len(hypothesis) - n + 1))
    ref_len = sum(ref_counts[0].values())
    return BleuStatistics(tuple(correct), tuple(total), len(hypothesis), ref_len)


def corpus_bleu(statistics: Iterable[BleuStatistics]) -> float:
    """sacrebleu's corpus BLEU (exponential smoothing) from segment statistics; 0 for none."""
    from sacrebleu.metrics.bleu import BLEU

    correct, total = [0] * MAX_ORDER, [0] * MAX_ORDER
    hyp_len = ref_len = 0
    for stats in statistics:
        for n in range(MAX_ORDER):
            correct[n] += stats.correct[n]
            total[n] += stats.total[n]
        hyp_len += stats.hyp_len
        ref_len += stats.ref_len
    return float(BLEU.compute_bleu(correct, total, hyp_len, ref_len, smooth_method="exp").score)


def sentence_bleu(hypothesis: Tokens, reference: Tokens) -> float:
    """compare-mt's sentence BLEU (0-100): NLTK's ``sentence_bleu`` with smoothing method 2
    (add one to the numerator and denominator of every precision above unigrams)."""
    return sentence_bleu_of(bleu_statistics(hypothesis, ngram_counts(reference)))


def sentence_bleu_of(stats: BleuStatistics) -> float:
    """:func:`sentence_bleu` from a segment's statistics."""
    if stats.hyp_len == 0 or stats.correct[0] == 0:
        return 0.0
    log_sum = []
    for n in range(MAX_ORDER):
        matched, counted = stats.correct[n], max(1, stats.total[n])
        if n > 0:
            matched, counted = matched + 1, counted + 1
        log_sum.append(0.25 * math.log(matched / counted))
    brevity = (1.0 if stats.hyp_len > stats.ref_len
               else math.exp(1 - stats.ref_len / stats.hyp_len))
    return 100.0 * brevity * math.exp(math.fsum(log_sum))


@dataclass(frozen=True)
class WordAccuracy:
    """Matched, reference and output words of a frequency bucket, and their F-measure."""

    bucket: str
    matched: int
    reference_words: int
    output_words: int

    @property
    def recall(self) -> float:
        return self.matched / self.reference_words if self.matched else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.output_words if self.matched else 0.0

    @property
    def f_measure(self) -> float:
        if not self.matched:
            return 0.0
        precision, recall = self.precision, self.recall
        return 2 * precision * recall / (precision + recall)

    def to_record(self) -> dict[str, object]:
        return {"bucket": self.bucket, "matched": self.matched,
                "reference_words": self.reference_words, "output_words": self.output_words,
                "recall": self.recall, "precision": self.precision, "f_measure": self.f_measure}


def word_frequencies(corpus: Iterable[Tokens]) -> Counter[str]:
    """How often each token occurs in a tokenized corpus."""
    counts: Counter[str] = Counter()
    for tokens in corpus:
        counts.update(tokens)
    return counts


def word_accuracy(hypotheses: Sequence[Tokens], references: Sequence[Tokens],
                  frequencies: Counter[str],
                  cutoffs: Sequence[float] = WORD_FREQUENCY_CUTOFFS) -> tuple[WordAccuracy, ...]:
    """compare-mt's word F-measure by frequency bucket.

    The k-th occurrence of a word in the output matches its k-th occurrence in the reference; a
    matched output word counts in its reference word's bucket, any other in its own.
    """
    size = len(cutoffs) + 1
    matched, ref_total, out_total = [0] * size, [0] * size, [0] * size
    for hyp, ref in zip(hypotheses, references, strict=True):
        positions: dict[str, list[int]] = {}
        for index, word in enumerate(ref):
            positions.setdefault(word, []).append(index)
        ref_buckets = [bucket_of(frequencies.get(word, 0), cutoffs) for word in ref]
        for bucket in ref_buckets:
            ref_total[bucket] += 1
        seen: Counter[str] = Counter()
        for word in hyp:
            places = positions.get(word)
            if places and seen[word] < len(places):
                bucket = ref_buckets[places[seen[word]]]
                matched[bucket] += 1
            else:
                bucket = bucket_of(frequencies.get(word, 0), cutoffs)
            if places:
                seen[word] += 1
            out_total[bucket] += 1
    return tuple(WordAccuracy(label, matched[i], ref_total[i], out_total[i])
                 for i, label in enumerate(bucket_labels(cutoffs)))


@dataclass(frozen=True)
class SentenceBucket:
    """Segments of one bucket and, where the analysis scores them, their corpus BLEU."""

    bucket: str
    segments: int
    bleu: float | None = None

    def to_record(self) -> dict[str, object]:
        record: dict[str, object] = {"bucket": self.bucket, "segments": self.segments}
        if self.bleu is not None:
            record["bleu"] = self.bleu
        return record


def _bucketed(values: Sequence[float], cutoffs: Sequence[float]) -> list[list[int]]:
    members: list[list[int]] = [[] for _ in range(len(cutoffs) + 1)]
    for index, value in enumerate(values):
        members[bucket_of(value, cutoffs)].append(index)
    return members


@dataclass(frozen=True)
class SystemAnalysis:
    """compare-mt's single-system analyses of one system."""

    name: str
    bleu: float
    length_ratio: float
    hyp_words: int
    ref_words: int
    word_accuracy: tuple[WordAccuracy, ...]
    bleu_by_reference_length: tuple[SentenceBucket, ...]
    length_difference: tuple[SentenceBucket, ...]
    sentence_bleu_buckets: tuple[SentenceBucket, ...]
    sentence_bleu: tuple[float, ...]

    def to_record(self) -> dict[str, object]:
        return {"name": self.name, "bleu": self.bleu, "length_ratio": self.length_ratio,
                "hyp_words": self.hyp_words, "ref_words": self.ref_words,
                "word_accuracy": [w.to_record() for w in self.word_accuracy],
                "bleu_by_reference_length": [b.to_record() for b in self.bleu_by_reference_length],
                "length_difference": [b.to_record() for b in self.length_difference],
                "sentence_bleu_buckets": [b.to_record() for b in self.sentence_bleu_buckets],
                "sentence_bleu": list(self.sentence_bleu)}


@dataclass(frozen=True)
class NgramDifference:
    """An n-gram and how often each of two systems matched it in the reference.

    ``score`` is compare-mt's smoothed share of the baseline:
    ``(baseline + alpha) / (baseline + system + 2 alpha)``; above 0.5 the baseline matches it more.
    """

    ngram: str
    score: float
    baseline: int
    system: int

    def to_record(self) -> dict[str, object]:
        return {"ngram": self.ngram, "score": self.score, "baseline": self.baseline,
                "system": self.system}


@dataclass(frozen=True)
class SentenceDifference:
    """A segment (1-based ``line``) and the sentence BLEU of the baseline and the system."""

    line: int
    baseline: float
    system: float

    @property
    def difference(self) -> float:
        return self.system - self.baseline

    def to_record(self) -> dict[str, object]:
        return {"line": self.line, "difference": self.difference, "baseline": self.baseline,
                "system": self.system}


@dataclass(frozen=True)
class PairAnalysis:
    """compare-mt's two-system analyses of a system against the baseline."""

    baseline: str
    system: str
    ngrams_baseline_better: tuple[NgramDifference, ...]
    ngrams_system_better: tuple[NgramDifference, ...]
    sentences_baseline_better: tuple[SentenceDifference, ...]
    sentences_system_better: tuple[SentenceDifference, ...]

    def to_record(self) -> dict[str, object]:
        return {"baseline": self.baseline, "system": self.system,
                "ngrams_baseline_better": [n.to_record() for n in self.ngrams_baseline_better],
                "ngrams_system_better": [n.to_record() for n in self.ngrams_system_better],
                "sentences_baseline_better": [s.to_record() for s in self.sentences_baseline_better],
                "sentences_system_better": [s.to_record() for s in self.sentences_system_better]}


@dataclass(frozen=True)
class Analysis:
    """All of compare-mt's analyses of a run: one per system, one per system against the first."""

    frequency_source: str
    systems: tuple[SystemAnalysis, ...]
    pairs: tuple[PairAnalysis, ...]

    def to_record(self) -> dict[str, object]:
        return {"tokenizer": "13a", "reference": 1, "frequency_source": self.frequency_source,
                "buckets": {"word_frequency": list(bucket_labels(WORD_FREQUENCY_CUTOFFS)),
                            "reference_length": list(bucket_labels(REFERENCE_LENGTH_CUTOFFS)),
                            "length_difference": list(bucket_labels(LENGTH_DIFFERENCE_CUTOFFS)),
                            "sentence_bleu": list(bucket_labels(SENTENCE_BLEU_CUTOFFS, False))},
                "systems": [s.to_record() for s in self.systems],
                "pairs": [p.to_record() for p in self.pairs]}


def analyse_system(name: str, hypotheses: Sequence[Tokens], references: Sequence[Tokens],
                   frequencies: Counter[str],
                   reference_ngrams: Sequence[tuple[Counter[Tokens], ...]] | None = None
                   ) -> SystemAnalysis:
    """compare-mt's single-system analyses of tokenized ``hypotheses`` (``reference_ngrams``:
    the references' :func:`ngram_counts`, when already counted)."""
    grams = reference_ngrams or [ngram_counts(r) for r in references]
    stats = [bleu_statistics(h, g) for h, g in zip(hypotheses, grams, strict=True)]
    hyp_words = sum(len(h) for h in hypotheses)
    ref_words = sum(len(r) for r in references)
    by_length = _bucketed([len(r) for r in references], REFERENCE_LENGTH_CUTOFFS)
    by_difference = _bucketed([len(h) - len(r) for h, r in zip(hypotheses, references, strict=True)],
                              LENGTH_DIFFERENCE_CUTOFFS)
    sentence = tuple(sentence_bleu_of(s) for s in stats)
    by_sentence_bleu = _bucketed(sentence, SENTENCE_BLEU_CUTOFFS)
    return SystemAnalysis(
        name=name, bleu=corpus_bleu(stats),
        length_ratio=hyp_words / ref_words if ref_words else 0.0,
        hyp_words=hyp_words, ref_words=ref_words,
        word_accuracy=word_accuracy(hypotheses, references, frequencies),
        bleu_by_reference_length=tuple(
            SentenceBucket(label, len(members), corpus_bleu(stats[i] for i in members))
            for label, members in zip(bucket_labels(REFERENCE_LENGTH_CUTOFFS), by_length,
                                      strict=True)),
        length_difference=tuple(
            SentenceBucket(label, len(members)) for label, members in
            zip(bucket_labels(LENGTH_DIFFERENCE_CUTOFFS), by_difference, strict=True)),
        sentence_bleu_buckets=tuple(
            SentenceBucket(label, len(members)) for label, members in
            zip(bucket_labels(SENTENCE_BLEU_CUTOFFS, False), by_sentence_bleu, strict=True)),
        sentence_bleu=sentence)


def matched_ngrams(hypotheses: Sequence[Tokens],
                   reference_ngrams: Sequence[tuple[Counter[Tokens], ...]]) -> Counter[Tokens]:
    """How often each 1- to 4-gram of the output matches the reference (clipped per segment);
    ``reference_ngrams`` are the references' :func:`ngram_counts`."""
    matched: Counter[Tokens] = Counter()
    for hyp, grams in zip(hypotheses, reference_ngrams, strict=True):
        for n in range(1, MAX_ORDER + 1):
            available = grams[n - 1].copy()
            for i in range(len(hyp) - n + 1):
                gram = hyp[i:i + n]
                if available[gram] > 0:
                    matched[gram] += 1
                    available[gram] -= 1
    return matched


def ngram_differences(baseline: Counter[Tokens], system: Counter[Tokens],
                      count: int = NGRAM_REPORT_LENGTH, alpha: float = NGRAM_ALPHA
                      ) -> tuple[tuple[NgramDifference, ...], tuple[NgramDifference, ...]]:
    """The ``count`` n-grams the baseline matches more often, and those the system does.

    Ties keep the more often matched n-gram first, then the alphabetical order (compare-mt leaves
    ties in hash order)."""
    scored = [NgramDifference(" ".join(gram), (baseline[gram] + alpha)
                              / (baseline[gram] + system[gram] + 2 * alpha),
                              baseline[gram], system[gram])
              for gram in set(baseline) | set(system)]
    first = sorted(scored, key=lambda d: (-d.score, -d.baseline, d.ngram))[:count]
    second = sorted(scored, key=lambda d: (d.score, -d.system, d.ngram))[:count]
    return tuple(first), tuple(second)


def sentence_differences(baseline: SystemAnalysis, system: SystemAnalysis,
                         hypotheses: tuple[Sequence[Tokens], Sequence[Tokens]],
                         references: Sequence[Tokens], count: int = SENTENCE_REPORT_LENGTH
                         ) -> tuple[tuple[SentenceDifference, ...], tuple[SentenceDifference, ...]]:
    """The ``count`` segments where the baseline's sentence BLEU is most above the system's, and
    those where it is most below; a repeated (baseline, system, reference) triple counts once."""
    seen: set[tuple[Tokens, Tokens, Tokens]] = set()
    rows = []
    for index, reference in enumerate(references):
        key = (hypotheses[0][index], hypotheses[1][index], reference)
        if key in seen:
            continue
        seen.add(key)
        rows.append(SentenceDifference(index + 1, baseline.sentence_bleu[index],
                                       system.sentence_bleu[index]))
    rows.sort(key=lambda r: (r.difference, r.baseline, r.system, r.line))
    return tuple(rows[:count]), tuple(reversed(rows[-count:]))


def analyse(names: Sequence[str], hypotheses: Sequence[Sequence[str]], references: Sequence[str],
            training: Sequence[str] | None = None, training_name: str | None = None) -> Analysis:
    """compare-mt's analyses of every system, the first being the baseline of the pairs.

    Word frequencies come from ``training`` (lines of a training corpus) when given, else from
    the reference.
    """
    refs = [tokenize(line) for line in references]
    outs = [[tokenize(line) for line in system] for system in hypotheses]
    frequencies = word_frequencies(tokenize(line) for line in training) if training is not None \
        else word_frequencies(refs)
    grams = [ngram_counts(r) for r in refs]
    systems = tuple(analyse_system(name, out, refs, frequencies, grams)
                    for name, out in zip(names, outs, strict=True))
    pairs = []
    if len(outs) > 1:
        base_matches = matched_ngrams(outs[0], grams)
        for index in range(1, len(outs)):
            first, second = ngram_differences(base_matches, matched_ngrams(outs[index], grams))
            worse, better = sentence_differences(systems[0], systems[index],
                                                 (outs[0], outs[index]), refs)
            pairs.append(PairAnalysis(names[0], names[index], first, second, worse, better))
    source = "reference" if training is None else f"training file {training_name or ''}".strip()
    return Analysis(source, systems, tuple(pairs))
