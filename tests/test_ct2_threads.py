"""CTranslate2's thread counts: tarjama's choice per CPU, and the user's override."""
import pytest

from tarjama.backends.ctranslate2_backend import (
    INTER_THREADS_VARIABLE,
    INTRA_THREADS_VARIABLE,
    _threads,
)
from tarjama.errors import InputError


def test_two_workers_share_the_cores_by_default(monkeypatch):
    monkeypatch.delenv(INTER_THREADS_VARIABLE, raising=False)
    monkeypatch.delenv(INTRA_THREADS_VARIABLE, raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert _threads("cpu") == (2, 2)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0})
    assert _threads("cpu") == (1, 1)


def test_the_environment_overrides_the_choice(monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setenv(INTER_THREADS_VARIABLE, "1")
    assert _threads("cpu") == (1, 4)
    monkeypatch.setenv(INTRA_THREADS_VARIABLE, "3")
    assert _threads("cpu") == (1, 3)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_thread_count_is_refused(monkeypatch, value):
    monkeypatch.setenv(INTER_THREADS_VARIABLE, value)
    with pytest.raises(InputError, match=INTER_THREADS_VARIABLE):
        _threads("cpu")
