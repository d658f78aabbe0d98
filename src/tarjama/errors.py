"""Exceptions tarjama raises; the CLI turns each into one line and an exit code.

An error says what was wrong in the library's own terms. When changing a setting would get past it,
the error carries that as :class:`Advice` — a setting's name and value, not a command-line flag — so
the library says ``use backend='torch'`` and the command line, which words advice in one place,
names its own flag instead.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    """A setting that would get past an error, worded by whoever shows the error.

    ``template`` is the advice with ``{}`` where the setting goes; ``setting`` is the name of a
    keyword of the Python API (``backend``, ``device``, ``encoding``, ``references``, ``use_cache``
    …), ``value`` the value to give it when one is known, ``metavar`` what stands for the value
    otherwise.
    """

    setting: str
    template: str = "use {}"
    value: object = None
    metavar: str = "..."

    def words(self, name: Callable[[Advice], str]) -> str:
        """The advice with its setting named by ``name``."""
        return self.template.format(name(self))


def api_name(advice: Advice) -> str:
    """A setting as the Python API spells it: ``backend='torch'``, ``references=FILE``."""
    shown = advice.metavar if advice.value is None else repr(advice.value)
    return f"{advice.setting}={shown}"


class TarjamaError(Exception):
    """Base class of every error tarjama reports to the user.

    ``exit_code`` is what the command line exits with; the message is one line that says what was
    wrong (``problem``) and what to do about it (``advice``, worded for the Python API here).
    """

    exit_code = 1

    def __init__(self, problem: str, advice: Advice | None = None):
        self.problem = problem
        self.advice = advice
        super().__init__(problem if advice is None else f"{problem}; {advice.words(api_name)}")


class InputError(TarjamaError):
    """The input (a file, a text, an option) cannot be used as given."""

    exit_code = 2


class ModelNotAvailableError(TarjamaError):
    """A model is neither a local folder nor in the Hugging Face cache, and cannot be downloaded.

    ``model_id`` is the Hub id, ``name`` what was asked for (a preset name or the id), and
    ``reason`` one of :data:`UNAVAILABLE_REASONS`.
    """

    exit_code = 2

    def __init__(self, problem: str, advice: Advice | None = None, *, model_id: str = "",
                 name: str = "", reason: str = ""):
        super().__init__(problem, advice)
        self.model_id = model_id
        self.name = name or model_id
        self.reason = reason


#: Why a model cannot be had, each with what it means: the first two a download would cure.
UNAVAILABLE_REASONS = {
    "offline": "not in the Hugging Face cache, and HF_HUB_OFFLINE is set",
    "unreachable": "not in the Hugging Face cache, and the Hub cannot be reached",
    "missing": "no such model on the Hub",
    "gated": "gated on the Hub",
    "revision": "no such revision on the Hub",
}


class BackendUnavailableError(TarjamaError):
    """A requested backend, device or compute type cannot run on this machine."""

    exit_code = 2


class MissingExtraError(TarjamaError):
    """A feature needs packages of an optional extra that are not installed."""

    exit_code = 2

    def __init__(self, feature: str, module: str, extra: str):
        self.feature, self.module, self.extra = feature, module, extra
        super().__init__(f"{feature} needs the {module} package, which is not installed; "
                         f"pip install 'tarjama[{extra}]'")


class ShortlistMissingError(TarjamaError):
    """A vocabulary shortlist was asked for, but none was built for the model.

    ``model`` is the model's label (``id@revision``), ``model_id`` the name to build one for, and
    ``path`` the map's file that is missing (beside the model's CTranslate2 copy).
    """

    exit_code = 2

    def __init__(self, model: str, model_id: str, path: str, problem: str | None = None):
        self.model = model
        self.model_id = model_id
        self.path = path
        super().__init__(
            problem or f"{model} has no vocabulary shortlist ({path} is missing)",
            Advice("shortlist", "build one (tarjama.backends.ctranslate2.vmap.build_shortlist, then "
                                "tarjama.backends.ctranslate2.backend.install_shortlist), "
                                "or use {}", value=False))


class DamagedShortlistError(ShortlistMissingError):
    """A vocabulary shortlist is there but cannot be used: empty, not a map, changed since it was
    built, or built for another model. ``problem`` says which; the advice is to build it again."""

    def __init__(self, model: str, model_id: str, path: str, problem: str):
        super().__init__(model, model_id, path, f"{path}: {problem}")


class OutputError(TarjamaError):
    """A result cannot be written where the user asked (a folder in the way, no permission, a full
    disk). ``path`` is where it was to go and ``cause`` the system's reason, when known."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, cause: str | None = None):
        super().__init__(message)
        self.path = path
        self.cause = cause


class GenerationError(TarjamaError):
    """A model failed to generate, or generated nothing where a text was expected.

    ``model`` is the model's label (``id@revision``).
    """

    exit_code = 2

    def __init__(self, message: str, model: str = ""):
        super().__init__(message)
        self.model = model


class CacheError(TarjamaError):
    """The translation cache cannot be used: its file is damaged, the disk is full, another
    process holds it locked too long, or it cannot be opened.

    ``path`` is the cache file, ``cause`` one of :data:`CACHE_FAULTS` and ``detail`` SQLite's own
    message.
    """

    exit_code = 2

    def __init__(self, path: str, cause: str, detail: str):
        self.path = path
        self.cause = cause
        self.detail = detail
        super().__init__(f"translation cache {path}: {CACHE_FAULTS[cause]} ({detail}); "
                         f"{_CACHE_ADVICE[cause]}")


#: The kinds of :class:`CacheError`, each with what it means.
CACHE_FAULTS = {
    "damaged": "the file is damaged",
    "full": "the disk is full",
    "locked": "another process held it locked too long",
    "unusable": "it cannot be opened or written",
}
_CACHE_ADVICE = {
    "damaged": "delete it, and a new cache is started",
    "full": "free some space, or move the cache to another disk",
    "locked": "let the other process finish",
    "unusable": "check the permissions of the file and its folder",
}


class DamagedModelError(TarjamaError):
    """A file of a model folder is missing, cut short or unreadable.

    ``path`` is the file at fault (the folder when no single file is); the message names it and
    says how to get a good copy back.
    """

    exit_code = 2

    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.path = path
