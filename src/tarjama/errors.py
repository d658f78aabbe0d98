"""Exceptions tarjama raises; the CLI turns each into one line and an exit code."""
from __future__ import annotations


class TarjamaError(Exception):
    """Base class of every error tarjama reports to the user.

    ``exit_code`` is what the command line exits with; the message is one line that says what was
    wrong and what to do about it.
    """

    exit_code = 1


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


class DamagedModelError(TarjamaError):
    """A file of a model folder is missing, cut short or unreadable.

    ``path`` is the file at fault (the folder when no single file is); the message names it and
    says how to get a good copy back.
    """

    exit_code = 2

    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.path = path
