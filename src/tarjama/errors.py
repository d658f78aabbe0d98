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
    """A model is neither a local folder nor in the Hugging Face cache, and cannot be downloaded."""

    exit_code = 2


class BackendUnavailableError(TarjamaError):
    """A requested backend, device or compute type cannot run on this machine."""

    exit_code = 2


class OutputError(TarjamaError):
    """A result cannot be written where the user asked (a folder in the way, no permission)."""

    exit_code = 2


class GenerationError(TarjamaError):
    """A model failed to generate, or generated nothing where a text was expected.

    ``model`` is the model's label (``id@revision``).
    """

    exit_code = 2

    def __init__(self, message: str, model: str = ""):
        super().__init__(message)
        self.model = model


class DamagedModelError(TarjamaError):
    """A file of a model folder is missing, cut short or unreadable.

    ``path`` is the file at fault (the folder when no single file is); the message names it and
    says how to get a good copy back.
    """

    exit_code = 2

    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.path = path
