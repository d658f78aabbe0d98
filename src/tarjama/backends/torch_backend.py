"""Backend on Hugging Face transformers and torch: ``AutoModelForSeq2SeqLM.generate()``."""
from __future__ import annotations

import logging
import warnings
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

from tarjama.backends.base import (
    ALIGNMENT_HEAD,
    ALIGNMENT_LAYER,
    DEVICES,
    USE_CPU,
    DetailedOutput,
    GenerationOptions,
    shift_att_steps,
)
from tarjama.errors import BackendUnavailableError, InputError
from tarjama.models import ModelSource
from tarjama.models.integrity import diagnose

# Tokenizers without a limit report a huge sentinel as model_max_length.
_NO_LIMIT = 1_000_000
#: The compute types the torch backend runs (besides auto).
TORCH_COMPUTE_TYPES = ("float32", "float16", "bfloat16")
_FORCED_BOS_ADVICE = "Please make sure the generation config includes `forced_bos_token_id"
# Beam search keeps, at each step, the best (1 + end-of-sentence tokens, at least 2) x beams
# continuations over all beams, so every token it picks is among its row's best that many.
_CANDIDATES_PER_BEAM = 3


class TorchBackend:
    """A seq2seq model loaded with transformers, run with torch on CPU or CUDA."""

    name = "torch"
    parallel_batches = 1

    def __init__(self, source: ModelSource, device: str = "auto", compute_type: str = "auto"):
        import torch
        from safetensors import SafetensorError
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.source = source
        self.device = _pick_device(torch, device)
        self.compute_type = _pick_dtype(self.device, compute_type)
        try:
            with _quiet_loading():
                self.tokenizer = AutoTokenizer.from_pretrained(source.path)
                self.model = AutoModelForSeq2SeqLM.from_pretrained(
                    source.path, dtype=getattr(torch, self.compute_type))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, EOFError,
                SafetensorError) as err:
            # transformers reports a damaged file in many ways, most without its name: look for it.
            damage = diagnose(source.path)
            if damage is not None:
                raise damage from err
            first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(f"cannot load the model in {source.path}: {first_line}") from err
        self.model.to(self.device).eval()
        self._torch = torch
        self.max_source_tokens = _source_limit(self.tokenizer, self.model.config)
        self.default_num_beams = int(self.model.generation_config.num_beams or 1)
        self.default_max_length = self.model.generation_config.max_length

    def count_tokens(self, text: str) -> int:
        """Number of model tokens of ``text``, the end-of-sentence token included."""
        # verbose=False: counting a text longer than the model limit is how chunking starts, not an error.
        return len(self.tokenizer(text, verbose=False).input_ids)

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """Generate outputs for a batch with the model's generation config and ``options``."""
        batch = self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.device)
        with self._torch.inference_mode():
            output = self.model.generate(**batch, **self._settings(options))
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)

    def generate_batches(self, batches: Iterable[tuple[Sequence[str], GenerationOptions]]
                         ) -> Iterator[list[str]]:
        """The outputs of each batch in turn, one batch at a time."""
        for texts, options in batches:
            yield self.generate(texts, options)

    def generate_scored(self, batches: Iterable[tuple[Sequence[str], GenerationOptions,
                                                      Collection[int]]]
                        ) -> Iterator[list[DetailedOutput]]:
        """The outputs of each batch in turn with tokens, score and (for the indices asked)
        attention, all from the generation itself (see :class:`_StepScores`)."""
        for texts, options, attend in batches:
            yield self._scored(texts, options, frozenset(attend))

    def _scored(self, texts: Sequence[str], options: GenerationOptions,
                attend: frozenset[int]) -> list[DetailedOutput]:
        if not texts:
            return []
        from transformers import LogitsProcessorList

        torch = self._torch
        batch = self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.device)
        settings = self._settings(options)
        beams = int(settings.get("num_beams") or self.default_num_beams)
        steps = _StepScores(torch, beams * _CANDIDATES_PER_BEAM)
        with torch.inference_mode(), _eager_attention(self.model, bool(attend)):
            result = self.model.generate(
                **batch, **settings, logits_processor=LogitsProcessorList([steps]),
                return_dict_in_generate=True, output_attentions=bool(attend))
        sequences = result.sequences[:, 1:]  # generate starts each output with the decoder start
        count = min(sequences.shape[1], len(steps.values))
        rows = (result.beam_indices[:, :count] if beams > 1
                else torch.arange(len(texts), device=sequences.device)[:, None].expand(-1, count))
        token_scores = steps.lookup(rows, sequences[:, :count])
        forced = self.model.generation_config.forced_bos_token_id
        skip = 1 if forced is not None else 0
        forced_end = self._forced_end_step(settings)
        details = []
        for b, ids in enumerate(sequences.tolist()):
            tokens = self._content(ids, skip)
            # The tokens written, the end of sentence included: up to the first stop.
            written = min(skip + len(tokens) + 1, count, int((rows[b] >= 0).sum()))
            score = float(token_scores[b, skip:written].sum()) / (len(tokens) + 1)
            kept = batch["attention_mask"][b].nonzero().flatten()
            source_ids = batch["input_ids"][b, kept].tolist()
            matrix = None
            if b in attend:
                # cross_attentions has a step for the end of sentence when one was written.
                matrix = tuple(
                    tuple(float(w) for w in result.cross_attentions[t][ALIGNMENT_LAYER]
                          [int(rows[b, t]), ALIGNMENT_HEAD, -1][kept])
                    for t in shift_att_steps(skip, len(tokens), min(written, forced_end)))
            details.append(DetailedOutput(
                text=str(self.tokenizer.decode(tokens, skip_special_tokens=True)),
                tokens=tuple(self.tokenizer.convert_ids_to_tokens(tokens)), score=score,
                source_tokens=tuple(self.tokenizer.convert_ids_to_tokens(source_ids)),
                attention=matrix))
        return details

    def _forced_end_step(self, settings: dict[str, int | float]) -> int:
        """The step at which the model's ``forced_eos_token_id`` forces the end of sentence (the
        last one the length limit allows), or a step never reached.

        CTranslate2 does not run that step (it stops one token earlier and writes no end), so
        an output that reaches it is aligned as one cut by the limit on both backends: its last
        token keeps its own row (see :func:`~tarjama.backends.base.shift_att_steps`).
        """
        config = self.model.generation_config
        if config.forced_eos_token_id is None:
            return _NO_LIMIT
        # As transformers counts: max_new_tokens wins over max_length, which counts the start.
        if config.max_new_tokens is not None:
            return int(config.max_new_tokens) - 1
        return int(settings.get("max_length", config.max_length)) - 2

    def generate_detailed(self, texts: Sequence[str], options: GenerationOptions, *,
                          attention: bool = False, targets: Sequence[str] | None = None
                          ) -> list[DetailedOutput]:
        """Outputs with tokens, score and attention (see :class:`DetailedOutput`); with
        ``targets``, those texts forced as the outputs."""
        if not texts:
            return []
        if targets is None:
            return self._scored(texts, options,
                                frozenset(range(len(texts))) if attention else frozenset())
        batch = self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.device)
        forced = self.model.generation_config.forced_bos_token_id
        prefix = [int(forced)] if forced is not None else []
        encoded = self.tokenizer(text_target=list(targets), add_special_tokens=False).input_ids
        return self._forced(batch, prefix, [list(ids) for ids in encoded], attention, targets)

    def _content(self, ids: list[int], prefix_length: int) -> list[int]:
        """The output's own tokens: after a forced first token, up to the end-of-sentence token."""
        ids = ids[prefix_length:]
        eos = self.model.generation_config.eos_token_id
        ends = set(eos) if isinstance(eos, list) else {eos}
        stop = next((i for i, token in enumerate(ids) if token in ends), len(ids))
        return [token for token in ids[:stop] if token != self.tokenizer.pad_token_id]

    def _forced(self, batch, prefix: list[int], outputs: list[list[int]], attention: bool,
                targets: Sequence[str]) -> list[DetailedOutput]:
        """Score (and align) each output by running the decoder over it once, teacher-forced: the
        decoder input ends with the output's last token, so it also holds the step that reads it
        (see :func:`~tarjama.backends.base.shift_att_steps`)."""
        torch = self._torch
        start = self.model.config.decoder_start_token_id
        eos = self.tokenizer.eos_token_id
        rows = [[start, *prefix, *ids] for ids in outputs]
        labels = [[*prefix, *ids, eos] for ids in outputs]
        width = max(len(row) for row in rows)
        pad = self.tokenizer.pad_token_id
        decoder_input = torch.tensor([row + [pad] * (width - len(row)) for row in rows],
                                     device=self.device)
        decoder_mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows],
                                    device=self.device)
        with torch.inference_mode(), _eager_attention(self.model, attention):
            result = self.model(**batch, decoder_input_ids=decoder_input,
                                decoder_attention_mask=decoder_mask, output_attentions=attention)
        log_probs = torch.log_softmax(result.logits.float(), dim=-1)
        details = []
        for b, ids in enumerate(outputs):
            steps = torch.arange(len(labels[b]), device=self.device)
            token_scores = log_probs[b, steps, torch.tensor(labels[b], device=self.device)]
            score = float(token_scores[len(prefix):].mean())
            # Padding may sit on either side of a source, depending on the tokenizer.
            kept = batch["attention_mask"][b].nonzero().flatten()
            source_ids = batch["input_ids"][b, kept].tolist()
            matrix = None
            if attention:
                weights = result.cross_attentions[ALIGNMENT_LAYER][b, ALIGNMENT_HEAD][:, kept]
                matrix = tuple(tuple(float(w) for w in weights[step])
                               for step in shift_att_steps(len(prefix), len(ids), len(rows[b])))
            details.append(DetailedOutput(
                text=targets[b], tokens=tuple(self.tokenizer.convert_ids_to_tokens(ids)), score=score,
                source_tokens=tuple(self.tokenizer.convert_ids_to_tokens(source_ids)),
                attention=matrix))
        return details

    def _settings(self, options: GenerationOptions) -> dict[str, int | float]:
        settings = options.overrides()
        if self.model.config.is_encoder_decoder:
            # The decoder starts from one token, so N new tokens are a length of N + 1. Passing
            # lengths, not counts, keeps transformers from warning that the model's own max_length
            # is overridden.
            for count, length in (("max_new_tokens", "max_length"), ("min_new_tokens", "min_length")):
                if count in settings:
                    settings[length] = int(settings.pop(count)) + 1
        return settings


class _StepScores:
    """A logits processor, last in generate's list, that keeps what each step's candidates cost.

    It changes nothing: at each step it takes the log-softmax of the scores as the generation's
    own rules left them (what CTranslate2 scores too) and keeps the best ``candidates`` of each
    row, among which is every token the search picks; ``output_scores`` would keep the whole
    vocabulary of every row at every step (gigabytes for a batch of OPUS-MT's 62,802 tokens).
    """

    def __init__(self, torch, candidates: int):
        self._torch = torch
        self.candidates = candidates
        self.values: list = []
        self.indices: list = []

    def __call__(self, input_ids, scores):
        torch = self._torch
        best = torch.log_softmax(scores.float(), dim=-1).topk(
            min(self.candidates, scores.shape[-1]), dim=-1)
        self.values.append(best.values)
        self.indices.append(best.indices)
        return scores

    def lookup(self, rows, tokens):
        """The log-probability of ``tokens[b, t]`` in row ``rows[b, t]`` of step ``t`` (0 where
        the row is -1, past the end of a beam's output)."""
        torch = self._torch
        steps = tokens.shape[1]
        if not steps:
            return torch.zeros(tokens.shape)
        values = torch.stack(self.values[:steps])  # (steps, rows, candidates)
        indices = torch.stack(self.indices[:steps])
        at = torch.arange(steps, device=tokens.device)[None, :].expand_as(tokens)
        picked = rows.clamp(min=0)
        candidates = values[at, picked]
        found = indices[at, picked] == tokens[..., None]
        # A token outside the candidates (a tie at the edge) costs what the last candidate does.
        chosen = torch.where(found.any(-1),
                             torch.where(found, candidates, torch.zeros_like(candidates)).sum(-1),
                             candidates[..., -1])
        return torch.where(rows >= 0, chosen, torch.zeros_like(chosen)).cpu()


@contextmanager
def _eager_attention(model, needed: bool):
    """The eager attention while attention weights are asked for: the fused kernels (sdpa) that
    transformers runs by default do not return them."""
    previous = model.config._attn_implementation
    if not needed or previous == "eager":
        yield
        return
    model.set_attn_implementation("eager")
    try:
        yield
    finally:
        model.set_attn_implementation(previous)


def _not_forced_bos_advice(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_FORCED_BOS_ADVICE)


@contextmanager
def _quiet_loading():
    """Hide transformers' per-tensor "Loading weights" bar (tarjama reports its own progress),
    MarianTokenizer's advice to install sacremoses, which it never uses for Arabic to English, and
    the advice to re-save a config that has ``force_bos_token_to_be_generated`` (DistilBART's):
    transformers applies it as ``forced_bos_token_id`` all the same, and the user cannot re-save a
    Hub checkpoint."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    generation_logger = hf_logging.get_logger("transformers.generation.configuration_utils")
    generation_logger.addFilter(_not_forced_bos_advice)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            yield
    finally:
        generation_logger.removeFilter(_not_forced_bos_advice)
        if was_enabled:
            hf_logging.enable_progress_bar()


def _pick_device(torch, device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BackendUnavailableError(
            f"device {device!r} asked for, but torch sees no CUDA GPU here", USE_CPU)
    if device != "cpu" and not device.startswith("cuda"):
        raise InputError(f"unknown device {device!r}; choose one of: {', '.join(DEVICES)}")
    return device


def _pick_dtype(device: str, compute_type: str) -> str:
    if compute_type == "auto":
        return "float16" if device.startswith("cuda") else "float32"
    if compute_type not in TORCH_COMPUTE_TYPES:
        raise InputError(f"compute type {compute_type!r} is not supported by the torch backend; "
                         f"choose one of: auto, {', '.join(sorted(TORCH_COMPUTE_TYPES))}")
    return compute_type


def _source_limit(tokenizer, config) -> int:
    limits = [getattr(config, "max_position_embeddings", None), tokenizer.model_max_length]
    usable = [int(limit) for limit in limits if limit and limit < _NO_LIMIT]
    return min(usable) if usable else 512
