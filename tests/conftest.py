"""Fixtures shared by tarjama's tests: tiny real models, the sample article, the reference data."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tarjama import examples
from tarjama.testing import TinyModels, make_models, make_standins

REPO_ROOT = Path(__file__).resolve().parents[1]

# The tiny models gain nothing from threads, and on a busy machine torch's spinning thread pool
# makes a 0.1 s generate take seconds. Set before torch is imported; subprocesses inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")
# The tests' models gain nothing from measuring CTranslate2's thread split for each converted copy
# (a child process each, see tarjama.backends.ctranslate2.threads): they get the split given here, which
# still runs two batches at a time. The tests of the measurement remove these variables.
os.environ.setdefault("TARJAMA_CT2_INTER_THREADS", "2")
os.environ.setdefault("TARJAMA_CT2_INTRA_THREADS", "1")


@pytest.fixture(scope="session", autouse=True)
def isolated_tarjama_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep converted models and cached translations of the test run out of the user's cache."""
    previous = os.environ.get("TARJAMA_CACHE")
    os.environ["TARJAMA_CACHE"] = str(tmp_path_factory.mktemp("tarjama-cache"))
    yield
    if previous is None:
        del os.environ["TARJAMA_CACHE"]
    else:
        os.environ["TARJAMA_CACHE"] = previous


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """The tiny Marian and summarizer models, built once per test session."""
    return make_models(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def standins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every preset's stand-in (see ``tarjama.testing.standins``), by preset name, built once."""
    return make_standins(tmp_path_factory.mktemp("standins"))


@pytest.fixture(scope="session")
def sample_article() -> Path:
    """The sample Arabic news article that ships with tarjama."""
    return examples.path("article_ar.txt")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The reference data sets next to the repository (FLORES-200, NTREX-128, ...), if present."""
    path = REPO_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip("reference data not available (../shared/data)")
    return path


@pytest.fixture(scope="session")
def converted_tiny_models(tiny_models: TinyModels) -> Path:
    """The folder of the tiny models' CTranslate2 copies (int8, as the default path on CPU loads
    them), converted once per session in the session's cache. A test with a cache of its own
    starts it with a copy of this folder (``ct2`` in its cache) instead of converting again: each
    conversion is a child process that imports torch and transformers, seconds on a busy machine."""
    from tarjama.backends.ctranslate2.convert import ensure_converted
    from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model

    for folder, task in ((tiny_models.marian, TRANSLATION), (tiny_models.summarizer, SUMMARIZATION)):
        ensure_converted(resolve_model(str(folder), task), "int8")
    return Path(os.environ["TARJAMA_CACHE"]) / "ct2"



_SESSION_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SESSION_EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the test process with pytest's own exit status once every report is written, without
    the interpreter's teardown: with the server's, Ray Serve's and CTranslate2's native threads of a
    whole session still alive there, one run segfaulted at exit after all its reports (exit 139)."""
    if _SESSION_EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_SESSION_EXIT_STATUS[-1])
