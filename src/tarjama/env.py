"""Every environment variable tarjama reads, in one module, each with what it does.

tarjama reads the environment here and nowhere else, and never writes it: a value read here is
handed on by keyword or in a settings object (a Ray worker gets its thread split in its
:class:`~tarjama.translation.settings.TranslatorSettings`, not through the environment). The same
list is in ``docs/environment.md``.

Numbers are read strictly: ASCII digits only (``str.isdigit`` would take ``"²"`` or ``"٣"``), and a
value that is not one is a one-line :class:`~tarjama.errors.InputError` naming the variable.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from tarjama.errors import InputError


@dataclass(frozen=True)
class Variable:
    """An environment variable tarjama honours, and what setting it does."""

    name: str
    meaning: str

    def raw(self) -> str | None:
        """The variable's value with surrounding blanks removed; ``None`` when unset or empty."""
        value = os.environ.get(self.name, "").strip()
        return value or None


CACHE = Variable(
    "TARJAMA_CACHE",
    "The folder of tarjama's own cache (converted models, the translation cache, measured thread "
    "splits). Default: tarjama/ beside the Hugging Face hub cache.")
CT2_INTER_THREADS = Variable(
    "TARJAMA_CT2_INTER_THREADS",
    "CTranslate2's inter_threads (batches run at once), a whole number, 1 or more. Used when the "
    "model settings give no thread split; with this or TARJAMA_CT2_INTRA_THREADS set, nothing is "
    "measured and the other one shares out the cores.")
CT2_INTRA_THREADS = Variable(
    "TARJAMA_CT2_INTRA_THREADS",
    "CTranslate2's intra_threads (threads per batch), a whole number, 1 or more; see "
    "TARJAMA_CT2_INTER_THREADS.")
DEBUG = Variable(
    "TARJAMA_DEBUG",
    "Any non-empty value: the command line shows the traceback of an error instead of its "
    "one-line message.")
CLOSING_LINE_AFTER = Variable(
    "TARJAMA_CLOSING_LINE_AFTER",
    "Seconds a command must run before it ends with its closing line on standard error "
    "(what it did, how long, how fast); 0 for always. Default: 2.")
HUB_OFFLINE = Variable(
    "HF_HUB_OFFLINE",
    "Hugging Face's own switch (1, ON, YES or TRUE): models are looked up in the local cache "
    "only, and a missing one is reported as not in the cache instead of being downloaded.")
SACREBLEU_SEED = Variable(
    "SACREBLEU_SEED",
    "sacrebleu's own seed of the bootstrap resampling; tarjama eval writes it into the run's "
    "signature. Default: 12345.")

#: Every variable tarjama reads, in the order docs/environment.md lists them.
VARIABLES = (CACHE, CT2_INTER_THREADS, CT2_INTRA_THREADS, DEBUG, CLOSING_LINE_AFTER, HUB_OFFLINE,
             SACREBLEU_SEED)

_WHOLE_NUMBER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")
_OFFLINE_VALUES = {"1", "ON", "YES", "TRUE"}
DEFAULT_SACREBLEU_SEED = "12345"


def cache_folder() -> str | None:
    """``TARJAMA_CACHE`` as given (``~`` not yet expanded), or ``None``."""
    return CACHE.raw()


def ct2_threads() -> tuple[int | None, int | None]:
    """``(TARJAMA_CT2_INTER_THREADS, TARJAMA_CT2_INTRA_THREADS)``, ``None`` for each one unset.

    Raises :class:`~tarjama.errors.InputError` for a value that is not a whole number of at
    least 1 written in ASCII digits.
    """
    return _thread_count(CT2_INTER_THREADS), _thread_count(CT2_INTRA_THREADS)


def debug() -> bool:
    """Whether ``TARJAMA_DEBUG`` asks for tracebacks."""
    return DEBUG.raw() is not None


def closing_line_after() -> float | None:
    """``TARJAMA_CLOSING_LINE_AFTER`` in seconds, or ``None`` when unset.

    Raises :class:`~tarjama.errors.InputError` for a value that is not a plain decimal number
    in ASCII digits (``inf``, ``nan``, ``1e3`` and ``٢`` are refused).
    """
    value = CLOSING_LINE_AFTER.raw()
    if value is None:
        return None
    if not _DECIMAL.fullmatch(value):
        raise InputError(f"{CLOSING_LINE_AFTER.name}={value!r} is not a number of seconds; set it "
                         "to a number such as 2 or 0.5, or unset it")
    return float(value)


def hub_offline() -> bool:
    """Whether ``HF_HUB_OFFLINE`` keeps Hugging Face to its local cache."""
    return (HUB_OFFLINE.raw() or "").upper() in _OFFLINE_VALUES


def sacrebleu_seed() -> str:
    """``SACREBLEU_SEED`` as sacrebleu reads it (lower case), or its default."""
    return (SACREBLEU_SEED.raw() or DEFAULT_SACREBLEU_SEED).lower()


def _thread_count(variable: Variable) -> int | None:
    value = variable.raw()
    if value is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(value) or int(value) < 1:
        raise InputError(f"{variable.name} must be a whole number of threads, 1 or more, not "
                         f"{value!r}; set it to a number such as 2, or unset it")
    return int(value)
