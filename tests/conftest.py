"""Fixtures shared by tarjama's tests: tiny real models, the sample article, the reference data."""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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


# The handlers of a Python process started from a terminal: Ctrl-C raises KeyboardInterrupt,
# SIGTERM ends it.
_FRESH_SIGNAL_HANDLERS = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}


@pytest.fixture(autouse=True)
def fresh_signal_handlers() -> None:
    """Each test starts with the signal handlers a user's command has, whatever pytest inherited:
    a pytest started in the background of a script (``cmd &``) inherits SIGINT ignored, and on a
    pytest-xdist worker many test files share one process, where a library may change them. The
    signal tests would then not see what a user's Ctrl-C does, nor would the commands they start,
    which inherit an ignored or blocked signal."""
    for signum, handler in _FRESH_SIGNAL_HANDLERS.items():
        signal.signal(signum, handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(_FRESH_SIGNAL_HANDLERS))


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


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: under pytest-xdist, the one all workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _one_worker_at_a_time(root: Path, name: str) -> Iterator[None]:
    """Hold an exclusive lock named ``name`` in the run's folder: the first worker builds what the
    others then find built (each builder reuses a finished build)."""
    with open(root / f".{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """The tiny Marian and summarizer models, built once per test run (once for all workers)."""
    root = _run_root(tmp_path_factory)
    with _one_worker_at_a_time(root, "models"):
        return make_models(root / "models")


@pytest.fixture(scope="session")
def standins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every preset's stand-in (see ``tarjama.testing.standins``), by preset name, built once."""
    root = _run_root(tmp_path_factory)
    with _one_worker_at_a_time(root, "standins"):
        return make_standins(root / "standins")


@pytest.fixture(scope="module")
def document_translator(tiny_models):
    """The tiny Marian on CTranslate2, as the document tests translate with."""
    from tarjama.translation import Translator

    return Translator(str(tiny_models.marian), backend="ctranslate2", device="cpu")


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
def converted_tiny_models(tiny_models: TinyModels, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the tiny models' CTranslate2 copies (int8, as the default path on CPU loads
    them) in the session's cache, converted once per test run. A test with a cache of its own
    starts it with a copy of this folder (``ct2`` in its cache) instead of converting again: each
    conversion is a child process that imports torch and transformers, seconds on a busy machine.
    Under pytest-xdist the first worker converts into the run's folder and every worker copies."""
    from tarjama.backends.ctranslate2.convert import CT2_SUBDIR, ensure_converted
    from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model

    session_copies = Path(os.environ["TARJAMA_CACHE"]) / CT2_SUBDIR
    shared_cache = _run_root(tmp_path_factory) / "converted-tiny-models"
    with _one_worker_at_a_time(shared_cache.parent, "converted-tiny-models"):
        os.environ["TARJAMA_CACHE"] = str(shared_cache)
        try:
            for folder, task in ((tiny_models.marian, TRANSLATION), (tiny_models.summarizer, SUMMARIZATION)):
                ensure_converted(resolve_model(str(folder), task), "int8")
        finally:
            os.environ["TARJAMA_CACHE"] = str(session_copies.parent)
    shutil.copytree(shared_cache / CT2_SUBDIR, session_copies, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".*"))
    return session_copies


@pytest.fixture(scope="session")
def tiny_model_copies(tiny_models: TinyModels, converted_tiny_models: Path) -> dict[Path, Path]:
    """Each tiny model's folder and its copy in ``converted_tiny_models``: what
    :func:`tarjama.testing.share_conversions` takes to give the same files under a Hub id that copy."""
    from tarjama.backends.ctranslate2.convert import converted_dir
    from tarjama.models import SUMMARIZATION, TRANSLATION, resolve_model

    return {folder: converted_dir(resolve_model(str(folder), task), "int8", converted_tiny_models.parent)
            for folder, task in ((tiny_models.marian, TRANSLATION), (tiny_models.summarizer, SUMMARIZATION))}


#: Test files that start a Ray cluster: under pytest-xdist they run on one worker, one after the
#: other, so that two clusters never compete for the machine's cores and memory.
RAY_FILES = frozenset({"tests/test_scale_ray.py", "tests/test_scale_records.py", "tests/test_server_ray.py"})


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadfile`` (pyproject's default): each test file goes whole to one worker (its
    module fixtures are built once), and every Ray file to the same worker."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "ray" if path in RAY_FILES else path

    return FileScheduling(config, log)


_SESSION_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SESSION_EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the test process with pytest's own exit status once every report is written, without
    the interpreter's teardown: with the server's, Ray Serve's and CTranslate2's native threads of a
    whole session still alive there, one run segfaulted at exit after all its reports (exit 139).
    A pytest-xdist worker ends as xdist ends it: its reports reach the main process through a
    channel that an early exit could cut."""
    if _SESSION_EXIT_STATUS and not hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_SESSION_EXIT_STATUS[-1])
