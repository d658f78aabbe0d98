"""Class 2 of issue 30: tuning values are bounded. Numbers from the environment are ASCII digits
only, and CTranslate2's thread counts are held to the cores this process may use, with one
warning (10,000 intra threads on 2 cores never finished a batch; 10,000 inter threads added 45 s)."""
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tarjama import env
from tarjama.backends.ctranslate2 import threads
from tarjama.backends.ctranslate2.threads import capped_split
from tarjama.errors import InputError

COUNTS = st.none() | st.integers(1, 100_000)


@settings(max_examples=500, deadline=None)
@given(COUNTS, COUNTS, st.integers(1, 256))
def test_a_split_never_asks_for_more_threads_than_cores(inter, intra, cores):
    got_inter, got_intra = capped_split(inter, intra, cores)
    assert 1 <= got_inter <= cores and got_intra >= 1
    assert got_inter * got_intra <= cores or got_intra == 1
    wanted_inter = inter or max(1, cores // (intra or 1))
    wanted_intra = intra or max(1, cores // wanted_inter)
    if wanted_inter * wanted_intra <= cores:
        assert (got_inter, got_intra) == (wanted_inter, wanted_intra)


def test_a_capped_split_is_said_once(caplog, monkeypatch):
    monkeypatch.setattr(threads, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="tarjama"):
        assert capped_split(None, 10_000, 2) == (1, 2)
        assert capped_split(None, 10_000, 2) == (1, 2)
        assert capped_split(10_000, None, 2) == (2, 1)
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2
    assert said[0] == ("CTranslate2 threads asked for (inter_threads=1, intra_threads=10000) are "
                       "more than the 2 cores this process may use; using inter_threads=1, "
                       "intra_threads=2")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=8))
def test_thread_variables_take_ascii_digits_only(monkeypatch_value):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(env.CT2_INTRA_THREADS.name, monkeypatch_value) if "\x00" not in \
            monkeypatch_value else patch.delenv(env.CT2_INTRA_THREADS.name, raising=False)
        try:
            _, intra = env.ct2_threads()
        except InputError as err:
            assert env.CT2_INTRA_THREADS.name in str(err) and "\n" not in str(err)
            return
    value = monkeypatch_value.strip() if "\x00" not in monkeypatch_value else ""
    if intra is None:
        assert value == ""
    else:
        assert value.isascii() and value.isdigit() and intra == int(value) >= 1


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "-2", "0", "2.5", "１", " 4 x"])
def test_odd_thread_values_are_one_line_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv(env.CT2_INTER_THREADS.name, value)
    with pytest.raises(InputError, match=f"^{env.CT2_INTER_THREADS.name} must be a whole number"):
        env.ct2_threads()
