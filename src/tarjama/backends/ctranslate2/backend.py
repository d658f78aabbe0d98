"""Backend on CTranslate2: a converted copy of the model, int8 on CPU, float16 on CUDA.

Runs MarianMT translators and BART, PEGASUS and mT5 summarizers. Only CTranslate2 and a tokenizer
(sentencepiece for Marian, the ``tokenizers`` library for the others) are loaded in this process:
torch and transformers run once, in a child process, to convert the model into tarjama's cache
(see :mod:`tarjama.backends.ctranslate2.convert`). Generation follows the model's own generation settings
(``generation_config.json``, else the same fields in ``config.json``) as the torch backend does, so
greedy float32 outputs of the two backends are the same; a model whose settings have no
CTranslate2 counterpart is refused, never run with other settings.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from tarjama.backends.base import (
    DEVICES,
    USE_CPU,
    USE_TORCH,
    DetailedOutput,
    GenerationOptions,
    read_generation_settings,
    read_model_json,
    shift_att_steps,
)
from tarjama.backends.ctranslate2.marian_spm import PAD, MarianSentencePiece
from tarjama.backends.ctranslate2.threads import cpu_threads, device_threads
from tarjama.backends.ctranslate2.vmap import (
    VMAP_FILE,
    Shortlist,
    check_shortlist,
    save_shortlist,
    set_aside_shortlist,
    shortlist_id,
)
from tarjama.errors import (
    BackendUnavailableError,
    DamagedShortlistError,
    InputError,
    ShortlistMissingError,
)
from tarjama.models import ModelSource

logger = logging.getLogger("tarjama")

DEFAULT_CPU_COMPUTE_TYPE = "int8"
DEFAULT_CUDA_COMPUTE_TYPE = "float16"
# transformers' GenerationConfig default when a model sets no max_length.
HF_DEFAULT_MAX_LENGTH = 20
#: translate_batch's length penalty when none is given (scores are divided by length ** it).
CT2_LENGTH_PENALTY = 1.0
# Tokenizers without a limit report a huge sentinel as model_max_length.
_NO_LIMIT = 1_000_000
# Settings of transformers' generate with no counterpart in CTranslate2's translate_batch, and the
# value that means "off". A model that turns one on is refused (auto then falls back to torch).
# early_stopping is not among them: it only decides when beam search may stop, and CTranslate2's
# beam search has its own rule (beam outputs may then differ in rare cases; greedy ones never).
UNMAPPED_SETTINGS: dict[str, object] = {
    "do_sample": False,
    "num_beam_groups": 1,
    "diversity_penalty": 0.0,
    "encoder_no_repeat_ngram_size": 0,
    "penalty_alpha": None,
    "exponential_decay_length_penalty": None,
    "suppress_tokens": None,
    "begin_suppress_tokens": None,
    "sequence_bias": None,
    "forced_decoder_ids": None,
    "force_words_ids": None,
    "constraints": None,
}


class TokenStrings(Protocol):
    """A tokenizer that gives CTranslate2 its token strings and reads them back."""

    vocab: dict[str, int]

    def encode(self, text: str) -> list[str]:
        """The model's input tokens for ``text``, special tokens included."""
        ...

    def decode(self, tokens: Sequence[str]) -> str:
        """The text of output tokens, special tokens dropped."""
        ...

    def encode_target(self, text: str) -> list[str]:
        """The tokens of ``text`` as an output of the model, without special tokens."""
        ...


def _marian_tokenizer(model_dir: Path, converted: Path) -> TokenStrings:
    return MarianSentencePiece(model_dir)


def _saved_tokenizer(model_dir: Path, converted: Path) -> TokenStrings:
    from tarjama.backends.ctranslate2.saved_tokenizer import SavedTokenizer

    return SavedTokenizer(converted)


#: The model types the backend runs, each with its tokenizer (given the model's folder and the
#: converted copy's): the one place that says what CTranslate2 runs here.
TOKENIZERS: dict[str, Callable[[Path, Path], TokenStrings]] = {
    "marian": _marian_tokenizer,
    "bart": _saved_tokenizer,
    "pegasus": _saved_tokenizer,
    "mt5": _saved_tokenizer,
}
SUPPORTED_MODEL_TYPES = tuple(TOKENIZERS)


class CTranslate2Backend:
    """A seq2seq model converted for CTranslate2 and run on CPU (int8) or CUDA (float16)."""

    name = "ctranslate2"

    def __init__(self, source: ModelSource, device: str = "auto", compute_type: str = "auto",
                 shortlist: bool = False, threads: tuple[int | None, int | None] = (None, None)):
        try:
            import ctranslate2
        except ImportError as err:
            raise BackendUnavailableError(
                f"the ctranslate2 backend needs the ctranslate2 package ({err}); "
                "pip install ctranslate2", USE_TORCH) from None
        from tarjama.backends.ctranslate2.convert import ensure_converted

        config = read_model_json(source.path / "config.json")
        model_type = config.get("model_type")
        if model_type not in TOKENIZERS:
            raise BackendUnavailableError(
                f"the ctranslate2 backend runs {', '.join(SUPPORTED_MODEL_TYPES)} models; "
                f"{source.label} is {model_type!r}", USE_TORCH)
        generation = read_generation_settings(source.path)
        _refuse_unmapped(generation, source)
        self.source = source
        self.device, device_index = _pick_device(ctranslate2, device)
        self.compute_type = _pick_compute_type(ctranslate2, self.device, compute_type)
        self.max_source_tokens = _source_limit(config, source.path)
        model_dir = ensure_converted(source, self.compute_type)
        self.tokenizer = TOKENIZERS[model_type](source.path, model_dir)
        #: The hash of the vocabulary shortlist in use (see :mod:`.vmap`), or None.
        self.shortlist = _checked_shortlist(source, model_dir, self.tokenizer, shortlist)
        self._settings_of_model(generation)
        # Only the translator queues its batches (see threads.choose_split).
        self.parallel_batches, self.intra_threads = _threads(
            self.device, model_dir, self.compute_type, threads, queued=model_type == "marian")
        try:
            self.model = ctranslate2.Translator(str(model_dir), device=self.device,
                                                device_index=device_index,
                                                compute_type=self.compute_type,
                                                inter_threads=self.parallel_batches,
                                                intra_threads=self.intra_threads)
        except (RuntimeError, ValueError) as err:
            raise BackendUnavailableError(
                f"CTranslate2 cannot load {source.label} on {self.device} as {self.compute_type}: "
                f"{str(err).strip().splitlines()[0]}") from None

    def _settings_of_model(self, generation: dict) -> None:
        """The model's own generation settings, as transformers' ``generate`` would use them."""
        tokens = {index: token for token, index in self.tokenizer.vocab.items()}
        self._forced_eos = generation.get("forced_eos_token_id") is not None
        eos = generation.get("eos_token_id")
        self._ends = {tokens[i] for i in (eos if isinstance(eos, list) else [eos]) if i in tokens}
        forced_bos = generation.get("forced_bos_token_id")
        # transformers forces this token first; CTranslate2 starts from it as a target prefix.
        self._prefix = [tokens[forced_bos]] if forced_bos is not None else []
        self.default_num_beams = int(generation.get("num_beams") or 1)
        self.default_max_length = generation.get("max_length")
        # transformers counts the decoder start token in min_length and max_length.
        self._default_max_new = (generation.get("max_new_tokens")
                                 or int(self.default_max_length or HF_DEFAULT_MAX_LENGTH) - 1)
        self._default_min_new = (generation.get("min_new_tokens")
                                 or max(0, int(generation.get("min_length") or 0) - 1))
        self._defaults = {
            key: generation[key] for key in
            ("no_repeat_ngram_size", "length_penalty", "repetition_penalty")
            if generation.get(key) is not None}
        self._suppressed = _suppressed_sequences(generation.get("bad_words_ids"), tokens)

    def count_tokens(self, text: str) -> int:
        """Number of model tokens of ``text``, the end-of-sentence token included."""
        return len(self.tokenizer.encode(text))

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """Generate outputs for a batch with the model's generation config and ``options``."""
        return self._collect(self._submit(texts, options))

    def generate_batches(self, batches: Iterable[tuple[Sequence[str], GenerationOptions]]
                         ) -> Iterator[list[str]]:
        """Generate batch after batch, the next one queued while the caller handles the last.

        Without the queue the workers stand idle whenever the caller decodes, checks and stores a
        batch, and while the slower part of a batch finishes; with it they always have work.
        """
        pending: deque[list] = deque()
        for texts, options in batches:
            pending.append(self._submit(texts, options))
            if len(pending) > 1:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    def generate_scored(self, batches: Iterable[tuple[Sequence[str], GenerationOptions,
                                                      Collection[int]]]
                        ) -> Iterator[list[DetailedOutput]]:
        """Generate batch after batch as :meth:`generate_batches` does, each output with its
        tokens and score (and, for the indices asked, its attention) from the generation itself.

        ``return_scores`` gives the sum of the log-probabilities of the generated tokens (the end
        of sentence included when written, a forced prefix excluded) divided by the number of
        decoding steps to the power of the length penalty. With ``return_end_token`` the output
        holds exactly those steps, so the division is undone here and the score is the same mean
        as the torch backend's; it also keeps the attention of the step that wrote the end of
        sentence, the last token's row (see :func:`~tarjama.backends.base.shift_att_steps`).
        """
        pending: deque[tuple] = deque()
        for texts, options, attend in batches:
            settings = self._settings(options)
            sources = [self.tokenizer.encode(text) for text in texts]
            penalty = settings.get("length_penalty", CT2_LENGTH_PENALTY)
            wanted = frozenset(attend)
            pending.append((sources, float(penalty) if isinstance(penalty, int | float)
                            else CT2_LENGTH_PENALTY, wanted,
                            self._submit_tokens(sources, settings, return_scores=True,
                                                return_end_token=True,
                                                return_attention=bool(wanted))))
            if len(pending) > 1:
                yield self._scored(*pending.popleft())
        while pending:
            yield self._scored(*pending.popleft())

    def _scored(self, sources: list[list[str]], penalty: float, attend: frozenset[int],
                pending: list) -> list[DetailedOutput]:
        skip = len(self._prefix)
        details = []
        for i, (source, result) in enumerate(zip(sources, (r.result() for r in pending),
                                                 strict=True)):
            hypothesis = result.hypotheses[0]
            tokens = self._content(hypothesis)
            if tokens and tokens[-1] in self._ends:
                tokens = tokens[:-1]
            if hypothesis:
                total = result.scores[0] * len(hypothesis) ** penalty
            else:  # nothing written: the length to undo is 0, so score the end of sentence
                [scored] = self.model.score_batch([source], [list(self._prefix)])
                total = sum(scored.log_probs[skip:])
            matrix = _shifted(result.attention[0], skip, len(tokens)) if i in attend else None
            details.append(DetailedOutput(
                text=self.tokenizer.decode(tokens), tokens=tuple(tokens),
                score=total / (len(tokens) + 1), source_tokens=tuple(source), attention=matrix))
        return details

    def generate_detailed(self, texts: Sequence[str], options: GenerationOptions, *,
                          attention: bool = False, targets: Sequence[str] | None = None
                          ) -> list[DetailedOutput]:
        """Outputs with tokens, score and attention (see :class:`DetailedOutput`); with
        ``targets``, those texts forced as the outputs.

        A forced output's score comes from ``score_batch`` (the log-probability of each output
        token, the end of sentence included) and its attention from decoding again with the
        output as target prefix, which returns the attention of the prefix steps too, and one step
        past it: the step that reads the last token.
        """
        if not texts:
            return []
        if targets is None:
            return next(self.generate_scored(
                [(texts, options, range(len(texts)) if attention else ())]))
        sources = [self.tokenizer.encode(text) for text in texts]
        outputs = [self.tokenizer.encode_target(target) for target in targets]
        forced = [[*self._prefix, *tokens] for tokens in outputs]
        skip = len(self._prefix)
        scored = self.model.score_batch(sources, forced, max_batch_size=len(sources))
        scores = [sum(result.log_probs[skip:]) / len(result.log_probs[skip:]) for result in scored]
        matrices: list[tuple[tuple[float, ...], ...] | None] = [None] * len(sources)
        if attention:
            aligned = self.model.translate_batch(
                sources, target_prefix=forced, beam_size=1, return_attention=True,
                max_decoding_length=max(len(tokens) for tokens in forced) + 1,
                use_vmap=self.shortlist is not None)
            matrices = [_shifted(result.attention[0], skip, len(tokens))
                        for result, tokens in zip(aligned, outputs, strict=True)]
        return [DetailedOutput(text=targets[i], tokens=tuple(outputs[i]), score=scores[i],
                               source_tokens=tuple(sources[i]), attention=matrices[i])
                for i in range(len(sources))]

    def _content(self, hypothesis: list[str]) -> list[str]:
        """The output's own tokens, without the forced first token (CTranslate2 leaves out the end
        of sentence)."""
        return hypothesis[len(self._prefix):]

    def _submit(self, texts: Sequence[str], options: GenerationOptions) -> list:
        return self._submit_tokens([self.tokenizer.encode(text) for text in texts],
                                   self._settings(options))

    def _submit_tokens(self, sources: list[list[str]], settings: dict[str, object],
                       **returns: bool) -> list:
        # The batch is cut into one part per worker; the parts run at the same time.
        part = -(-len(sources) // self.parallel_batches)
        prefix = [self._prefix] * len(sources) if self._prefix else None
        return self.model.translate_batch(sources, target_prefix=prefix, max_batch_size=part,
                                          asynchronous=True, **{**settings, **returns})

    def _collect(self, pending: list) -> list[str]:
        return [self.tokenizer.decode(result.result().hypotheses[0]) for result in pending]

    def _settings(self, options: GenerationOptions) -> dict[str, object]:
        wanted = {**self._defaults, **options.overrides()}
        # transformers counts the decoder start token in max_length, and a forced end-of-sentence
        # token takes the last step: both leave one content token less than CTranslate2's length.
        reserved = 1 if self._forced_eos else 0
        max_new = wanted.get("max_new_tokens", self._default_max_new)
        max_length = max(1, int(max_new) - reserved)
        settings: dict[str, object] = {
            "beam_size": int(wanted.get("num_beams") or self.default_num_beams),
            "max_decoding_length": max_length,
            "return_scores": False,
            "use_vmap": self.shortlist is not None,
        }
        min_new = int(wanted.get("min_new_tokens", self._default_min_new))
        if min_new:
            # As in transformers, where a forced end-of-sentence token wins over a minimum length.
            settings["min_decoding_length"] = min(min_new, max_length)
        for ours, theirs in (("no_repeat_ngram_size", "no_repeat_ngram_size"),
                             ("length_penalty", "length_penalty"),
                             ("repetition_penalty", "repetition_penalty")):
            if wanted.get(ours) is not None:
                settings[theirs] = wanted[ours]
        if self._suppressed:
            settings["suppress_sequences"] = self._suppressed
        return settings


def _shifted(rows: Sequence[Sequence[float]], first: int, count: int
             ) -> tuple[tuple[float, ...], ...]:
    """The attention rows of ``count`` output tokens written from step ``first`` on, by
    Shift-Att, out of the ``rows`` of every decoding step CTranslate2 returned."""
    return tuple(tuple(rows[step]) for step in shift_att_steps(first, count, len(rows)))


def install_shortlist(source: ModelSource, shortlist: Shortlist, device: str = "auto",
                      compute_type: str = "auto") -> Path:
    """Save ``shortlist`` beside the CTranslate2 copy of ``source`` that this backend would load
    for ``device`` and ``compute_type`` (converting the model first if needed); its path."""
    try:
        import ctranslate2
    except ImportError as err:
        raise BackendUnavailableError(
            f"a vocabulary shortlist needs the ctranslate2 package ({err}); pip install ctranslate2"
        ) from None
    from tarjama.backends.ctranslate2.convert import ensure_converted

    picked_device, _ = _pick_device(ctranslate2, device)
    model_dir = ensure_converted(source, _pick_compute_type(ctranslate2, picked_device, compute_type))
    return save_shortlist(shortlist, model_dir)


def _checked_shortlist(source: ModelSource, model_dir: Path, tokenizer: TokenStrings,
                       wanted: bool) -> str | None:
    """The id of the shortlist beside the converted copy when ``wanted``, once it is known to be
    this model's and whole; else one line naming the file and how to build it again.

    CTranslate2 reads a map it finds beside the model even when it is not used, and crashes on an
    empty one: unwanted, a damaged map is moved aside (one warning) so the model still loads.
    """
    path = model_dir / VMAP_FILE
    shortlist = shortlist_id(model_dir)
    problem = check_shortlist(model_dir, tokenizer.vocab) if shortlist is not None else None
    if wanted and shortlist is None:
        raise ShortlistMissingError(source.label, source.model_id, str(path))
    if wanted and problem is not None:
        raise DamagedShortlistError(source.label, source.model_id, str(path), problem)
    if problem is not None:
        aside = set_aside_shortlist(model_dir)
        logger.warning("%s: %s; moved it to %s, as it is not used here", path, problem, aside.name)
    return shortlist if wanted else None


def _threads(device: str, model_dir: Path, compute_type: str,
             asked: tuple[int | None, int | None], *, queued: bool) -> tuple[int, int]:
    """CTranslate2's ``inter_threads`` (batches run at once) and ``intra_threads`` (per batch):
    the counts ``asked`` for, else on CPU the split measured for this CPU and model (see
    :mod:`tarjama.backends.ctranslate2.threads`)."""
    inter, intra = asked
    if device != "cpu":
        return device_threads(inter, intra)
    return cpu_threads(model_dir, compute_type, queued=queued, inter=inter, intra=intra)


def _pick_device(ctranslate2, device: str) -> tuple[str, int]:
    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return ("cuda" if gpus else "cpu"), 0
    if device == "cpu":
        return "cpu", 0
    if device.startswith("cuda"):
        index = int(device.partition(":")[2] or 0)
        if index >= gpus:
            raise BackendUnavailableError(
                f"device {device!r} asked for, but CTranslate2 sees {gpus} CUDA GPU(s) here",
                USE_CPU)
        return "cuda", index
    raise InputError(f"unknown device {device!r}; choose one of: {', '.join(DEVICES)}")


def _pick_compute_type(ctranslate2, device: str, compute_type: str) -> str:
    supported = ctranslate2.get_supported_compute_types(device)
    if compute_type == "auto":
        preferred = DEFAULT_CUDA_COMPUTE_TYPE if device == "cuda" else DEFAULT_CPU_COMPUTE_TYPE
        return preferred if preferred in supported else "float32"
    if compute_type not in supported:
        raise BackendUnavailableError(
            f"compute type {compute_type!r} is not supported by CTranslate2 on {device} here; "
            f"choose one of: auto, {', '.join(sorted(supported))}")
    return compute_type


def _refuse_unmapped(generation: dict, source: ModelSource) -> None:
    turned_on = sorted(key for key, off in UNMAPPED_SETTINGS.items()
                       if generation.get(key, off) not in (off, None))
    if turned_on:
        raise BackendUnavailableError(
            f"{source.label} sets {', '.join(turned_on)} in its generation settings, which "
            "CTranslate2 cannot run", USE_TORCH)


def _suppressed_sequences(bad_words_ids, tokens: dict[int, str]) -> list[list[str]]:
    # <pad> is not in CTranslate2's Marian vocabulary at all, so it needs no suppressing.
    sequences = [[tokens[i] for i in ids] for ids in bad_words_ids or []
                 if all(i in tokens for i in ids)]
    return [seq for seq in sequences if seq and PAD not in seq]


def _source_limit(config: dict, folder: Path) -> int:
    tokenizer_limit = read_model_json(folder / "tokenizer_config.json").get("model_max_length")
    limits = [config.get("max_position_embeddings"), tokenizer_limit]
    usable = [int(limit) for limit in limits if limit and limit < _NO_LIMIT]
    return min(usable) if usable else 512
