"""The public functions work in any order in a fresh interpreter.

Importing a subpackage binds it as an attribute of ``tarjama``; a subpackage named like a lazy
export (``tarjama.translate`` the package vs ``tarjama.translate()`` the function) would then hide
the function for every later call. Each pair runs in its own interpreter, since within one process
the first call's imports would mask the bug for the rest.
"""
from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

TEXT = "ذهب الولد إلى المدرسة صباحا. ثم عاد إلى البيت."

# Each call leaves its result in ``result`` and names the type it must have.
CALLS = {
    "translate": ("result = tarjama.translate(TEXT, model=MARIAN)", "tarjama.Translation"),
    "summarize": ("result = tarjama.summarize(TEXT, model=MARIAN, summarizer=SUMMARIZER)",
                  "tarjama.ArticleSummary"),
    "evaluate": ("result = tarjama.evaluate(['the boy went to school'], "
                 "[['the boy went to school']])", "dict"),
    "Translator.translate": ("result = tarjama.Translator(MARIAN, num_beams=1, "
                             "compute_type='float32').translate(TEXT)", "tarjama.Translation"),
    "split_sentences": ("result = tarjama.split_sentences(TEXT)", "list"),
}

CHECK = """
assert isinstance(result, {kind}), type(result)
print({name!r}, type(result).__name__)
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    # The environment (TARJAMA_CACHE set by conftest, OMP_NUM_THREADS) is inherited, so converted
    # models are reused across the subprocesses.
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("first,second", list(itertools.permutations(CALLS, 2)),
                         ids=lambda name: name)
def test_public_functions_work_in_any_order(tiny_models, first, second):
    lines = ["import tarjama",
             f"TEXT = {TEXT!r}",
             f"MARIAN = {str(tiny_models.marian)!r}",
             f"SUMMARIZER = {str(tiny_models.summarizer)!r}"]
    for name in (first, second):
        call, kind = CALLS[name]
        lines.append(call)
        lines.append(CHECK.format(kind=kind, name=name))
    result = _run("\n".join(lines))
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout.splitlines()
    assert printed[-2:] == [f"{first} {CALLS[first][1].rpartition('.')[2]}",
                           f"{second} {CALLS[second][1].rpartition('.')[2]}"], printed


def test_exports_are_not_hidden_by_subpackages():
    code = """
import pkgutil, types
import tarjama
for info in pkgutil.walk_packages(tarjama.__path__, "tarjama."):
    if info.ispkg:
        __import__(info.name)
hidden = [name for name in tarjama.__all__
          if isinstance(getattr(tarjama, name), types.ModuleType)]
print("hidden:", *hidden)
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1] == "hidden:", result.stdout
