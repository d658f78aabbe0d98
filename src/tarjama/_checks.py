"""Checking what the Python API is given, where it comes in, against the annotations it declares.

A wrong type found many frames down (in the segmenter, pathlib, sacrebleu) says nothing about the
argument that carried it; found here, the error names the argument, what it got and what it
accepts. The annotations are the one statement of what a function takes, so the checks cannot
disagree with the signatures. A ``str`` is never taken for a sequence of strings: a sentence
given where sentences are asked for would be read one character at a time.
"""
from __future__ import annotations

import collections.abc
import dataclasses
import functools
import inspect
import os
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_SEQUENCES = (collections.abc.Sequence, collections.abc.Iterable, list, tuple,
              collections.abc.Collection)


def describe(annotation: Any) -> str:
    """An annotation in words: ``str``, ``a sequence of str``, ``str or None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(arg) for arg in typing.get_args(annotation))
    if origin in _SEQUENCES:
        args = typing.get_args(annotation)
        return f"a sequence of {describe(args[0])}" if args else "a sequence"
    if origin in (collections.abc.Mapping, dict):
        return "a mapping"
    if origin is typing.Literal:
        return " or ".join(repr(arg) for arg in typing.get_args(annotation))
    if annotation is type(None) or annotation is None:
        return "None"
    if annotation is os.PathLike:
        return "a path"
    return getattr(annotation, "__name__", str(annotation))


def fits(value: Any, annotation: Any) -> bool:
    """Whether ``value`` is of the type ``annotation`` declares (element types of sequences
    included); an annotation this cannot judge (a callable, a type variable) lets anything pass."""
    if annotation is Any or isinstance(annotation, TypeVar):
        return True
    if annotation is None or annotation is type(None):
        return value is None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in typing.get_args(annotation))
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if origin in _SEQUENCES:
        if isinstance(value, str | bytes | bytearray) or not isinstance(value, origin):
            return False
        args = typing.get_args(annotation)
        element = args[0] if args else Any
        return all(fits(item, element) for item in value)
    if origin in (collections.abc.Mapping, dict):
        return isinstance(value, collections.abc.Mapping)
    if origin is os.PathLike or annotation is os.PathLike:
        return isinstance(value, os.PathLike)
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return callable(value)
    if origin is not None:
        return isinstance(value, origin)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if _is_static_protocol(annotation):
        return True
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True


def _is_static_protocol(annotation: Any) -> bool:
    # isinstance() raises TypeError on a Protocol that is not @runtime_checkable: such an
    # annotation is one this module cannot judge, like a type variable.
    return bool(getattr(annotation, "_is_protocol", False)
                and not getattr(annotation, "_is_runtime_protocol", False))


def shown(value: Any) -> str:
    """A value as an error shows it: its type, and the value itself when short."""
    text = repr(value)
    kind = type(value).__name__
    return f"{kind} {text}" if len(text) <= 40 else kind


def check_argument(name: str, value: Any, annotation: Any, owner: str) -> None:
    """Raise :class:`TypeError` naming ``name`` when ``value`` does not fit ``annotation``."""
    if not fits(value, annotation):
        raise TypeError(f"{owner}: {name} must be {describe(annotation)}, not {shown(value)}")


def checked(function: F) -> F:
    """Check the arguments of ``function`` against its annotations before it runs."""
    signature = inspect.signature(function)
    name = function.__qualname__.replace(".__init__", "")

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        hints = _hints(function)
        bound = signature.bind_partial(*args, **kwargs)
        for parameter, value in bound.arguments.items():
            kind = signature.parameters[parameter].kind
            if parameter in hints and kind not in (inspect.Parameter.VAR_KEYWORD,
                                                   inspect.Parameter.VAR_POSITIONAL):
                check_argument(parameter, value, hints[parameter], name)
        return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def check_fields(instance: Any) -> None:
    """Check every field of a dataclass instance against its annotation (in ``__post_init__``)."""
    hints = _hints(type(instance))
    for field in dataclasses.fields(instance):
        if field.name in hints:
            check_argument(field.name, getattr(instance, field.name), hints[field.name],
                           type(instance).__name__)


def at_least(name: str, value: int | float | None, least: int | float, owner: str) -> None:
    """Raise :class:`~tarjama.errors.InputError` when a number given is below ``least``."""
    from tarjama.errors import InputError

    if value is not None and value < least:
        raise InputError(f"{owner}: {name} must be {least} or more, not {value!r}")


_known_hints: dict[Any, dict[str, Any]] = {}


def argument_types(target: Any) -> dict[str, Any]:
    """The declared types of the arguments of a function, or of the fields of a dataclass.

    The return type is left out: it may name a class imported only for the type checker.
    """
    if isinstance(target, type):
        return {name: hint for name, hint in typing.get_type_hints(target).items()}
    target = inspect.unwrap(target)
    annotations = dict(inspect.get_annotations(target))
    annotations.pop("return", None)
    module_names = getattr(target, "__globals__", None)
    hints: dict[str, Any] = {}
    for name, annotation in annotations.items():
        shim = types.SimpleNamespace(__annotations__={name: annotation})
        try:
            hints.update(typing.get_type_hints(shim, module_names, _PublicNames()))
        except NameError:
            # A class its module imports only for the type checker (to keep imports acyclic)
            # and that tarjama does not export: an annotation this module cannot judge.
            hints[name] = Any
    return hints


class _PublicNames(dict[str, Any]):
    """tarjama's public names, looked up when an annotation names one that its module imports only
    for the type checker (``EvalRun`` in ``eval/report.py``)."""

    def __missing__(self, key: str) -> Any:
        import tarjama

        if key in tarjama.__all__:
            return getattr(tarjama, key)
        raise KeyError(key)


def _hints(target: Any) -> dict[str, Any]:
    # Resolved on first use, not at import: the annotations name classes of modules that
    # import this one.
    if target not in _known_hints:
        _known_hints[target] = argument_types(target)
    return _known_hints[target]
