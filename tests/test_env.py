"""Every environment variable tarjama reads is read in one module, and none is written (issue 25)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import tarjama
from tarjama import env
from tarjama.errors import InputError

SOURCE = Path(tarjama.__file__).parent
DOCS = Path(__file__).resolve().parents[1] / "docs" / "environment.md"


def _modules() -> list[Path]:
    # tarjama.testing builds the tests' models and may set variables for them.
    return [path for path in SOURCE.rglob("*.py") if "testing" not in path.relative_to(SOURCE).parts]


def test_the_environment_is_read_in_one_module_only():
    readers = sorted(str(path.relative_to(SOURCE)) for path in _modules()
                     if "environ" in path.read_text(encoding="utf-8") or "getenv" in
                     path.read_text(encoding="utf-8"))
    assert readers == ["env.py"]


def test_the_environment_is_never_written():
    text = (SOURCE / "env.py").read_text(encoding="utf-8")
    assert re.findall(r"environ\[[^\]]*\]\s*=|environ\.(?:update|setdefault|pop)|putenv|unsetenv",
                      text) == []


def test_every_variable_is_listed_with_what_it_does_in_the_docs():
    docs = DOCS.read_text(encoding="utf-8")
    for variable in env.VARIABLES:
        assert f"| `{variable.name}` |" in docs, variable.name
        assert variable.meaning
    mentioned = {name for path in _modules()
                 for name in re.findall(r"\bTARJAMA_[A-Z0-9_]*[A-Z0-9]\b",
                                        path.read_text(encoding="utf-8"))}
    # TARJAMA_CT2_*_THREADS in prose stands for the two thread variables.
    assert mentioned - {"TARJAMA_CT2"} <= {variable.name for variable in env.VARIABLES}


@pytest.mark.parametrize(("value", "expected"), [("", None), ("2", 2), (" 3 ", 3), ("12", 12)])
def test_thread_counts_are_read(monkeypatch, value, expected):
    monkeypatch.setenv(env.CT2_INTER_THREADS.name, value)
    monkeypatch.delenv(env.CT2_INTRA_THREADS.name, raising=False)
    assert env.ct2_threads() == (expected, None)


# "²" and "٣" are digits to str.isdigit, and int() reads "٣" as 3: only ASCII digits are numbers.
@pytest.mark.parametrize("value", ["0", "-1", "two", "²", "٣", "2.0", "1e2", "+2", "2 3", "0x2"])
def test_a_thread_count_that_is_not_a_plain_whole_number_is_refused(monkeypatch, value):
    monkeypatch.setenv(env.CT2_INTRA_THREADS.name, value)
    with pytest.raises(InputError) as caught:
        env.ct2_threads()
    assert str(caught.value) == (f"{env.CT2_INTRA_THREADS.name} must be a whole number of threads, "
                                 f"1 or more, not {value!r}; set it to a number such as 2, or unset it")


@pytest.mark.parametrize(("value", "expected"), [("0", 0.0), ("2", 2.0), ("0.5", 0.5), (".5", 0.5),
                                                 ("3600", 3600.0)])
def test_closing_line_seconds_are_read(monkeypatch, value, expected):
    monkeypatch.setenv(env.CLOSING_LINE_AFTER.name, value)
    assert env.closing_line_after() == expected


@pytest.mark.parametrize("value", ["soon", "inf", "nan", "1e3", "٢", "-1", "1_000"])
def test_closing_line_seconds_that_are_not_a_plain_number_are_refused(monkeypatch, value):
    monkeypatch.setenv(env.CLOSING_LINE_AFTER.name, value)
    with pytest.raises(InputError, match=env.CLOSING_LINE_AFTER.name):
        env.closing_line_after()


@pytest.mark.parametrize(("value", "offline"), [("1", True), ("yes", True), ("TRUE", True),
                                                ("0", False), ("", False)])
def test_hub_offline_follows_hugging_face_s_values(monkeypatch, value, offline):
    monkeypatch.setenv(env.HUB_OFFLINE.name, value)
    assert env.hub_offline() is offline
