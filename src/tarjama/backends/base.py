"""The interface every model backend offers to the translation and summarization stages.

Outputs with details (:class:`DetailedOutput`) carry cross-attention rows aligned by Shift-Att
(:func:`shift_att_steps`): each output token's row is read at the step that takes it as input.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tarjama.errors import Advice, InputError
from tarjama.models import ModelSource
from tarjama.models.generation import GenerationOptions
from tarjama.models.integrity import read_json

#: The advice of every refusal that torch, the backend that runs any model, gets past.
USE_TORCH = Advice("backend", value="torch")
USE_CPU = Advice("device", value="cpu")

#: Where a model runs: ``auto`` takes a CUDA GPU when there is one; ``cuda:N`` is GPU number N.
DEVICES = ("auto", "cpu", "cuda", "cuda:N")
#: The compute types tarjama knows; each backend runs some of them (torch: float32, float16,
#: bfloat16; CTranslate2: those its build supports on the device). ``auto`` picks per backend.
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float32", "float16", "bfloat16")


def check_device(device: str) -> None:
    """Raise :class:`InputError` unless ``device`` is one of :data:`DEVICES`."""
    kind, colon, index = device.partition(":")
    # ASCII digits only: str.isdigit takes "²", which int() then refuses.
    if device in DEVICES[:3] or (kind == "cuda" and colon and re.fullmatch("[0-9]+", index)):
        return
    raise InputError(f"unknown device {device!r}; choose one of: {', '.join(DEVICES)}")


def check_compute_type(compute_type: str) -> None:
    """Raise :class:`InputError` unless ``compute_type`` is one of :data:`COMPUTE_TYPES`."""
    if compute_type not in COMPUTE_TYPES:
        raise InputError(f"unknown compute type {compute_type!r}; choose one of: "
                         f"{', '.join(COMPUTE_TYPES)}")


#: Which cross-attention :meth:`Seq2SeqBackend.generate_detailed` returns: the first head of the
#: last decoder layer, the one CTranslate2 keeps for alignment by default (``alignment_layer=-1``,
#: ``alignment_heads=1`` in its converter), so both backends return the same matrix.
ALIGNMENT_LAYER = -1
ALIGNMENT_HEAD = 0


def shift_att_steps(first: int, count: int, steps: int) -> list[int]:
    """The decoding steps whose cross-attention aligns ``count`` output tokens, written at steps
    ``first`` to ``first + count - 1`` of the ``steps`` decoded: for each token the step after
    the one that wrote it, whose decoder input it is (Shift-Att).

    Chen, Sun, Tu et al., "Accurate Word Alignment Induction from Neural Machine Translation"
    (EMNLP 2020) find that the attention of the step that reads a token aligns it markedly better
    than that of the step that predicts it, which has not yet chosen it. For the last token that
    is the step that wrote the end of sentence. When the length limit cut the output (no end of
    sentence, or the one a model forces at the limit with ``forced_eos_token_id``, a step
    CTranslate2 never runs), ``steps`` leaves that step out and the last token keeps the row of
    its own step. So the first step (whose input is the start token) is used only by an output of
    one token cut by the limit, and CTranslate2 needs no more: its beam search on a batch returns
    another sentence's attention for that step (measured on 4.8.5).
    """
    return [min(first + t + 1, steps - 1) for t in range(count)]


@dataclass(frozen=True)
class DetailedOutput:
    """One output of :meth:`Seq2SeqBackend.generate_detailed`, with what the model saw and said.

    ``tokens`` are the output's tokens, without the end-of-sentence token (and without a token the
    model forces first, such as mBART's language code). ``score`` is the mean log-probability of
    ``tokens`` followed by the end-of-sentence token, the model reading the whole source: a
    length-normalised confidence, 0 at best, the same definition on every backend. For a generated
    output it is taken from the generation itself: each token's probability after the
    generation's own rules (suppressed tokens, repetition limits, a forced end of sentence, which
    costs nothing), the end of sentence counted as one token even when the budget cut the output.
    For a forced output (``targets``) it is the model's plain probability. ``attention``
    (when asked for) has one row per token of ``tokens`` and one column per token of
    ``source_tokens`` (special tokens included): the cross-attention weights of the first head of
    the decoder's last layer at the decoding step whose *input* is that token, the step after the
    one that wrote it (see :func:`shift_att_steps`); each row sums to 1.
    """

    text: str
    tokens: tuple[str, ...]
    score: float
    source_tokens: tuple[str, ...]
    attention: tuple[tuple[float, ...], ...] | None = None


class Seq2SeqBackend(Protocol):
    """Runs a sequence-to-sequence model: text in, text out, in batches."""

    name: str
    source: ModelSource
    device: str
    compute_type: str
    max_source_tokens: int
    default_num_beams: int
    default_max_length: int | None
    parallel_batches: int
    """How many parts of a batch run at the same time (CTranslate2's workers on CPU), each with
    its share of the cores."""

    def count_tokens(self, text: str) -> int:
        """Number of model tokens of ``text``, special tokens included."""
        ...

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        """Generate one output for each text of a batch, in the same order."""
        ...

    def generate_batches(self, batches: Iterable[tuple[Sequence[str], GenerationOptions]]
                         ) -> Iterator[list[str]]:
        """The outputs of each batch in turn, as :meth:`generate` gives them; a backend may start
        the next batch while the caller is still handling the last one."""
        ...

    def generate_scored(self, batches: Iterable[tuple[Sequence[str], GenerationOptions,
                                                      Collection[int]]]
                        ) -> Iterator[list[DetailedOutput]]:
        """Like :meth:`generate_batches`, each output with its tokens and score from the
        generation itself; the outputs whose indices are in a batch's third item also carry their
        cross-attention. Costs next to nothing over :meth:`generate_batches` without attention."""
        ...

    def generate_detailed(self, texts: Sequence[str], options: GenerationOptions, *,
                          attention: bool = False, targets: Sequence[str] | None = None
                          ) -> list[DetailedOutput]:
        """Like :meth:`generate`, each output with its tokens, score and (with ``attention``) its
        cross-attention over the source tokens.

        Without ``targets`` it is one batch of :meth:`generate_scored`. With ``targets`` (one per
        text) nothing is generated: each target is forced as the output and scored and aligned as
        if the model had written it, e.g. a translation from a cache.
        Greedy float32 outputs give the same tokens on both backends and scores within rounding.
        """
        ...


def read_model_json(path: Path) -> dict:
    """A JSON file of a model folder (config, generation or tokenizer config); ``{}`` if absent.

    An unreadable file raises :class:`tarjama.errors.DamagedModelError` naming it.
    """
    return read_json(path, path.parent)


def read_generation_settings(folder: Path) -> dict:
    """The model's generation settings as transformers reads them: ``generation_config.json``, or,
    in a folder without one (older checkpoints, folders saved by older transformers), the same
    fields kept in ``config.json``. Every backend reads them here, so none runs other settings."""
    generation = read_model_json(folder / "generation_config.json")
    return generation if generation else read_model_json(folder / "config.json")
