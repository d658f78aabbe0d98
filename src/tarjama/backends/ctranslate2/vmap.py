"""A vocabulary shortlist: the target pieces a source sentence can need, learned from parallel text.

With a shortlist, CTranslate2 (``use_vmap``) scores only a subset of the target vocabulary at each
decoding step: the union, over the batch, of the candidates of every source piece, instead of all
~62k pieces. The output projection is a large share of each step, so this is much faster on CPU; the
cost is that a piece outside the subset can never be produced. So a shortlist is built from parallel
text and its **coverage** measured on other parallel text: for each held-out sentence, the share of
its reference translation's pieces that the shortlist makes reachable from its source.

A map holds three kinds of target pieces. The always-reachable set: half of it the pieces the
target SentencePiece model itself deems most probable (its scores, learnt from far more text than
the parallel data at hand), half the pieces most frequent in the parallel data's translations. For
each source piece, the target pieces that co-occur with it most reliably in the parallel data. And
identity copies: a source piece spelt the same as a target piece (digits, Latin names, punctuation,
with or without the word-start mark) reaches that piece, whether the data showed it or not, since
such pieces are often copied from source to translation.

The map is kept in CTranslate2's ``vmap.txt`` format (``<source n-gram>\\t<target> <target> ...``),
beside the converted model. The always-reachable pieces (the most frequent target pieces) are listed
under the end-of-sentence token, which ends every source sentence, so every batch gets them.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tarjama.backends.ctranslate2.marian_spm import SPECIAL_TOKENS, SPIECE_UNDERLINE, UNK, MarianSentencePiece

#: The file CTranslate2 reads the map from, in the converted model's folder.
VMAP_FILE = "vmap.txt"
#: Beside it, what the map was built as: its checksum and the vocabulary it was built for.
RECORD_FILE = "vmap.json"
# The vocabulary files of a converted copy (one shared, or one per side).
_VOCABULARY_FILES = ("shared_vocabulary.json", "shared_vocabulary.txt", "source_vocabulary.json",
                     "source_vocabulary.txt", "target_vocabulary.json", "target_vocabulary.txt")
#: Target pieces reachable from every sentence: half the target model's most probable pieces, half
#: the most frequent in the parallel data. With 20 per source piece, held-out coverage of the
#: stand-in (benchmarks/shortlist_standin.py, FLORES devtest) was 85.9% at 2,000 and 91.9% at
#: 4,000, for a map that still speeds greedy decoding up 1.7x (benchmarks/translate_speed.py, e/d).
DEFAULT_SIZE = 4000
#: Target pieces each source piece adds: those that co-occur with it most reliably.
DEFAULT_PER_SOURCE = 20
#: Pieces every source sentence contains (Marian appends it), so its candidates are always in.
ALWAYS_KEY = "</s>"

Pair = tuple[Sequence[str], Sequence[str]]
"""A source sentence's pieces and its translation's pieces."""


@dataclass(frozen=True)
class Shortlist:
    """The always-reachable target pieces, and for each source piece the target pieces it adds.

    ``probable`` says how many of ``frequent`` came from the target model's scores, ``copies`` how
    many source pieces reach a target piece spelt the same (both for reports)."""

    frequent: tuple[str, ...]
    candidates: Mapping[str, tuple[str, ...]]
    probable: int = 0
    copies: int = 0

    def reachable(self, source_pieces: Iterable[str]) -> set[str]:
        """The target pieces the model may produce for a sentence of ``source_pieces``."""
        found = set(self.frequent)
        for piece in source_pieces:
            found.update(self.candidates.get(piece, ()))
        return found

    def to_vmap(self) -> str:
        """The map as CTranslate2 reads it (``vmap.txt``)."""
        always = dict.fromkeys((ALWAYS_KEY, *self.frequent, *self.candidates.get(ALWAYS_KEY, ())))
        lines = [f"{ALWAYS_KEY}\t{' '.join(always)}"]
        lines += [f"{source}\t{' '.join(targets)}" for source, targets in sorted(self.candidates.items())
                  if targets and source != ALWAYS_KEY]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Coverage:
    """How much of held-out reference translations a shortlist makes reachable."""

    sentences: int
    mean: float
    """Per sentence, the share of the reference's pieces that are reachable, averaged."""
    pieces: float
    """The share over all reference pieces together."""
    complete: float
    """The share of sentences whose reference is reachable in full."""


@dataclass(frozen=True)
class Vocabularies:
    """What the model's own tokenizer knows beyond the parallel data."""

    source: tuple[str, ...]
    """The source pieces the model can be given."""
    target: frozenset[str]
    """The target pieces the model can produce."""
    probable: tuple[str, ...]
    """The target pieces, most probable first (the target SentencePiece model's scores)."""


def model_vocabularies(tokenizer: MarianSentencePiece) -> Vocabularies:
    """The source and target pieces of a Marian model that are in its vocabulary, special tokens
    left out, the target ones also ordered by their SentencePiece score."""
    def pieces(processor) -> list[tuple[float, str]]:
        found = []
        for index in range(processor.get_piece_size()):
            piece = processor.id_to_piece(index)
            if (piece in tokenizer.vocab and piece not in SPECIAL_TOKENS
                    and not processor.is_control(index) and not processor.is_unknown(index)):
                found.append((processor.get_score(index), piece))
        return found

    target = pieces(tokenizer.target)
    return Vocabularies(
        source=tuple(piece for _, piece in pieces(tokenizer.source)),
        target=frozenset(piece for _, piece in target),
        probable=tuple(piece for _, piece in sorted(target, key=lambda item: (-item[0], item[1]))))


def build_shortlist(pairs: Iterable[Pair], size: int = DEFAULT_SIZE,
                    per_source: int = DEFAULT_PER_SOURCE,
                    vocabularies: Vocabularies | None = None) -> Shortlist:
    """Learn a shortlist from parallel sentences, counted once per sentence.

    ``size`` target pieces are always reachable: with ``vocabularies``, half of them the target
    model's most probable pieces and the rest the most frequent in the translations; without, all
    the most frequent. Each source piece ``s`` adds the ``per_source`` other target pieces ``t``
    with the highest conditional probability ``P(t in translation | s in source)``, ties broken by
    the Dice coefficient, which prefers a target piece as rare as the source piece (a name and its
    transliteration); with ``vocabularies``, every source piece also adds the target pieces spelt
    the same (see :func:`same_spellings`).
    """
    if size < 0 or per_source < 0:
        raise ValueError("size and per_source must be zero or more")
    source_count: Counter[str] = Counter()
    target_count: Counter[str] = Counter()
    together: dict[str, Counter[str]] = {}
    for source, target in pairs:
        sources, targets = set(source), set(target)
        source_count.update(sources)
        target_count.update(targets)
        for piece in sources:
            together.setdefault(piece, Counter()).update(targets)
    by_count = [piece for piece, _ in sorted(target_count.items(), key=lambda item: (-item[1], item[0]))]
    probable = list(vocabularies.probable[:size // 2]) if vocabularies else []
    frequent = tuple(dict.fromkeys([*probable, *by_count, *(vocabularies.probable if vocabularies
                                                           else ())]))[:size]
    always = set(frequent)
    candidates: dict[str, tuple[str, ...]] = {}
    for piece, counts in together.items():
        n = source_count[piece]
        best = heapq.nsmallest(
            per_source, ((t, c) for t, c in counts.items() if t not in always),
            key=lambda item: (-item[1] / n, -2 * item[1] / (n + target_count[item[0]]), item[0]))
        if best:
            candidates[piece] = tuple(t for t, _ in best)
    copies = 0
    if vocabularies:
        for piece in dict.fromkeys([*vocabularies.source, *together]):
            same = [t for t in same_spellings(piece) if t in vocabularies.target and t not in always]
            if same:
                copies += 1
                candidates[piece] = tuple(dict.fromkeys([*candidates.get(piece, ()), *same]))
    return Shortlist(frequent, candidates, probable=len(probable), copies=copies)


def same_spellings(piece: str) -> tuple[str, ...]:
    """The pieces spelt as ``piece``: itself, and its text at a word start and inside a word."""
    bare = piece.removeprefix(SPIECE_UNDERLINE)
    if not bare:
        return (piece,)
    return tuple(dict.fromkeys((piece, SPIECE_UNDERLINE + bare, bare)))


def measure_coverage(shortlist: Shortlist, pairs: Iterable[Pair]) -> Coverage:
    """The coverage of ``shortlist`` on held-out pairs (sentences without target pieces skipped).

    It is per sentence, a lower bound: CTranslate2 takes the union over a whole batch."""
    shares: list[float] = []
    reached = total = 0
    for source, target in pairs:
        if not target:
            continue
        reachable = shortlist.reachable(source)
        hits = sum(1 for piece in target if piece in reachable)
        shares.append(hits / len(target))
        reached += hits
        total += len(target)
    if not shares:
        raise ValueError("no held-out sentence with a translation to measure coverage on")
    return Coverage(len(shares), sum(shares) / len(shares), reached / total,
                    sum(1 for share in shares if share == 1.0) / len(shares))


def tokenize_pairs(tokenizer: MarianSentencePiece, sources: Sequence[str],
                   targets: Sequence[str]) -> list[Pair]:
    """Parallel lines as the model sees them: source pieces as its input (``</s>`` included),
    target pieces as it would produce them (a piece outside its vocabulary as ``<unk>``)."""
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} source lines but {len(targets)} target lines")
    pairs: list[Pair] = []
    for source, target in zip(sources, targets, strict=True):
        pieces = tokenizer.target.encode(target, out_type=str)
        pairs.append((tokenizer.encode(source),
                      [piece if piece in tokenizer.vocab else UNK for piece in pieces]))
    return pairs


def save_shortlist(shortlist: Shortlist, model_dir: Path) -> Path:
    """Write ``shortlist`` as ``vmap.txt`` into a converted model's folder, atomically, with its
    record (:data:`RECORD_FILE`): the map's checksum and the vocabulary it was built for."""
    path = model_dir / VMAP_FILE
    data = shortlist.to_vmap().encode("utf-8")
    record = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
              "vocabulary": vocabulary_id(model_dir)}
    # The record goes first: a map that is there always has the record of what it should be.
    _write_atomic(model_dir / RECORD_FILE, json.dumps(record, indent=2).encode("utf-8"))
    _write_atomic(path, data)
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.partial")
    scratch.write_bytes(data)
    os.replace(scratch, path)


def vocabulary_id(model_dir: Path) -> str:
    """A hash of the vocabulary of the converted model in ``model_dir``: a map is only good for
    the vocabulary it was built for."""
    digest = hashlib.sha256()
    for name in _VOCABULARY_FILES:
        if (model_dir / name).is_file():
            digest.update(name.encode() + b"\0" + (model_dir / name).read_bytes())
    return digest.hexdigest()[:16]


def check_shortlist(model_dir: Path, vocabulary: Collection[str]) -> str | None:
    """What is wrong with the map in ``model_dir`` (one phrase), or ``None`` when it is good.

    A map with its record (written by :func:`save_shortlist`) must match the checksum recorded and
    have been built for this vocabulary. A map without one (made by hand, or by an older tarjama)
    must be text in CTranslate2's format whose every target piece is in ``vocabulary``.
    CTranslate2 itself crashes on an empty map and writes empty translations with a foreign one.
    """
    data = (model_dir / VMAP_FILE).read_bytes()
    if not data.strip():
        return "is empty"
    record = _read_record(model_dir / RECORD_FILE)
    if record is not None:
        if record.get("vocabulary") != vocabulary_id(model_dir):
            return "was built for another model (its vocabulary is not this model's)"
        if record.get("sha256") != hashlib.sha256(data).hexdigest():
            return (f"has changed since it was built ({len(data):,} bytes, "
                    f"{record.get('bytes', '?'):,} when built; the checksum differs)")
        return None
    return _check_content(data, vocabulary)


def set_aside_shortlist(model_dir: Path) -> Path:
    """Move the map in ``model_dir`` (and its record) out of CTranslate2's way; its new path."""
    aside = model_dir / f"{VMAP_FILE}.damaged"
    os.replace(model_dir / VMAP_FILE, aside)
    (model_dir / RECORD_FILE).unlink(missing_ok=True)
    return aside


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _check_content(data: bytes, vocabulary: Collection[str]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"is not a vocabulary shortlist (not UTF-8 text: byte {err.start})"
    targets = 0
    unknown: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, tab, pieces = line.partition("\t")
        if not tab or not key.strip():
            return f"is not a vocabulary shortlist (line {number} is not SOURCE<TAB>TARGETS)"
        for piece in pieces.split():
            targets += 1
            if piece not in vocabulary:
                unknown.add(piece)
    if not targets:
        return "is not a vocabulary shortlist (it lists no target pieces)"
    if unknown:
        return (f"was built for another model ({len(unknown):,} of its target pieces are not in "
                f"this model's vocabulary, such as {sorted(unknown)[0]!r})")
    return None


def shortlist_id(model_dir: Path) -> str | None:
    """A short hash of the shortlist saved in ``model_dir`` (``None`` if there is none), for
    signatures and cache keys: another map gives other translations."""
    path = model_dir / VMAP_FILE
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]
