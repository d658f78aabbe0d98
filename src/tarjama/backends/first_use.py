"""One-time work on a model's first use on a machine: its conversion for CTranslate2, the
measurement of its thread split. Both take seconds with a tiny model and minutes with a real one,
so a front end says what is happening; the library itself prints nothing, it only announces each
step to whoever listens."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

FirstUseListener = Callable[[str], AbstractContextManager[object]]
"""Called with what a step does (``converting X for CTranslate2``) when it starts; the step runs
inside the context manager it returns."""

_listener: ContextVar[FirstUseListener | None] = ContextVar("first_use_listener", default=None)


@contextmanager
def first_use_listener(listener: FirstUseListener) -> Iterator[None]:
    """While inside, every one-time step runs inside ``listener(what)``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


@contextmanager
def first_use_step(what: str) -> Iterator[None]:
    """Run the block as the one-time step ``what``, inside the listener's context if there is one."""
    listener = _listener.get()
    with listener(what) if listener else contextlib.nullcontext():
        yield
