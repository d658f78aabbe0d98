"""What makes the CTranslate2 backend fast: thread counts per CPU (and the user's override), and
batches queued while the last one is handled."""
import pytest

from tarjama.backends import GenerationOptions
from tarjama.backends.ctranslate2_backend import (
    INTER_THREADS_VARIABLE,
    INTRA_THREADS_VARIABLE,
    CTranslate2Backend,
    _threads,
)
from tarjama.errors import InputError
from tarjama.models import TRANSLATION, resolve_model


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


def test_queued_batches_give_what_one_batch_at_a_time_gives(tiny_models):
    backend = CTranslate2Backend(resolve_model(str(tiny_models.marian), TRANSLATION),
                                 device="cpu", compute_type="float32")
    options = GenerationOptions(num_beams=1, max_new_tokens=12)
    batches = [["قال المسؤول إن المشروع سيكتمل.", "وصل الوفد."], ["ارتفعت الأسعار."],
               ["جملة أولى.", "جملة ثانية.", "جملة ثالثة."]]
    one_by_one = [backend.generate(batch, options) for batch in batches]
    queued = list(backend.generate_batches((batch, options) for batch in batches))
    assert queued == one_by_one
    assert [len(outputs) for outputs in queued] == [2, 1, 3]
