"""Backend on Hugging Face transformers and torch: ``AutoModelForSeq2SeqLM.generate()``."""
from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from tarjama.backends.base import DEVICES, USE_CPU, GenerationOptions
from tarjama.errors import BackendUnavailableError, InputError
from tarjama.models import ModelSource
from tarjama.models.integrity import diagnose

# Tokenizers without a limit report a huge sentinel as model_max_length.
_NO_LIMIT = 1_000_000
_DTYPES = {"float32", "float16", "bfloat16"}
_FORCED_BOS_ADVICE = "Please make sure the generation config includes `forced_bos_token_id"


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
    if compute_type not in _DTYPES:
        raise InputError(f"compute type {compute_type!r} is not supported by the torch backend; "
                         f"choose one of: auto, {', '.join(sorted(_DTYPES))}")
    return compute_type


def _source_limit(tokenizer, config) -> int:
    limits = [getattr(config, "max_position_embeddings", None), tokenizer.model_max_length]
    usable = [int(limit) for limit in limits if limit and limit < _NO_LIMIT]
    return min(usable) if usable else 512
