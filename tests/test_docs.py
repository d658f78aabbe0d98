"""Every ```python block of README.md and docs/*.md runs, verbatim, in a fresh interpreter.

Offline: the tiny models are put into a Hugging Face cache (``HF_HOME`` in a temporary folder,
``HF_HUB_OFFLINE=1``) under every preset's real Hub id, so ``tarjama.translate(text)`` with the
default model resolves through the same cache code path as a downloaded model. Each snippet runs
in an empty working folder of its own, with none of the caller's Hugging Face variables. A block
that is not meant to run is fenced as something other than python.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.testing import install_presets, share_conversions

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SNIPPET_TIMEOUT_S = 600
# Older names of the Hugging Face cache that transformers and huggingface_hub still read.
OLD_CACHE_VARIABLES = ("HUGGINGFACE_HUB_CACHE", "TRANSFORMERS_CACHE")


def _snippets() -> list[pytest.param]:
    params = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            name = f"{document.relative_to(REPO_ROOT)}:L{line}"
            params.append(pytest.param(match.group(1), id=name))
    return params


SNIPPETS = _snippets()


def test_the_readme_has_python_to_run():
    # Guards against a fence the pattern stops matching: the parametrized test would pass empty.
    assert any(p.id.startswith("README.md:") for p in SNIPPETS), [p.id for p in SNIPPETS]


@pytest.fixture(scope="module")
def offline_environment(tiny_models, tiny_model_copies,
                        tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The caller's environment without its HF_* variables, plus an offline HF cache holding the
    tiny models under the presets' ids and a tarjama cache of its own. That cache starts with the
    session's CTranslate2 copies under each id (the same files convert to the same copy): the
    snippets test the documented code, not one more conversion per preset id."""
    root = tmp_path_factory.mktemp("docs")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("HF_") and key not in OLD_CACHE_VARIABLES}
    env.update(install_presets(root / "hf-home", tiny_models.marian, tiny_models.summarizer))
    env["TARJAMA_CACHE"] = str(root / "tarjama-cache")
    assert share_conversions(root / "hf-home", root / "tarjama-cache", tiny_model_copies)
    # The tiny summarizer warns about every chunk longer than its 128 tokens; noise in CI logs.
    env.setdefault("TRANSFORMERS_VERBOSITY", "error")
    return env


@pytest.mark.slow
@pytest.mark.parametrize("code", SNIPPETS)
def test_snippet_runs(code: str, offline_environment: dict[str, str], tmp_path: Path,
                      request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]):
    name = request.node.callspec.id
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=offline_environment,
                            capture_output=True, text=True, timeout=SNIPPET_TIMEOUT_S)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, (f"{name} failed (exit {result.returncode}):\n"
                                    f"{result.stderr[-4000:]}")
    # Straight to the terminal, so that CI logs name every snippet run even without -v.
    with capsys.disabled():
        print(f"\nexecuted {name}: {len(code.splitlines())} lines in {elapsed:.1f}s")
