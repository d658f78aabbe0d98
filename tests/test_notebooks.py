"""The notebooks in ``notebooks/``: committed without outputs, and every cell runs.

Each notebook is executed in a fresh Jupyter kernel (this environment's ``python3``), in an empty
working folder (a notebook must run from anywhere: its sample data ships with tarjama), against
the tiny models: ``TARJAMA_NOTEBOOK_MODELS`` names their folder, and
the notebook's parameters cell picks them up. Like papermill, the test adds a cell after the
parameters cell to override a few of them (where output goes, which data to read). Any failing cell
fails the test, with the cell's traceback.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="install the test extra: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="install the test extra: pip install -e '.[test]'")

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
CELL_TIMEOUT_S = 600

# Runs besides the plain one: notebook stem -> {variant: parameter overrides (Python source)}.
VARIANTS = {
    # A user's clone has no ../shared/data: the notebook must fall back to its built-in set.
    "03_evaluation": {"builtin-set": 'DATA = Path("/nonexistent/tarjama-shared-data")'},
}


def _runs() -> list[pytest.param]:
    runs = []
    for path in NOTEBOOKS:
        runs.append(pytest.param(path, "", "", id=path.stem))
        for variant, overrides in VARIANTS.get(path.stem, {}).items():
            runs.append(pytest.param(path, variant, overrides, id=f"{path.stem}-{variant}"))
    return runs


def _parameters_index(notebook) -> int:
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert PARAMETERS_TAG in cell.metadata.get("tags", []), (
                f"the first code cell must be the parameters cell, tagged {PARAMETERS_TAG!r}")
            return index
    raise AssertionError("the notebook has no code cell")


def test_notebooks_exist():
    # Guards against an empty parametrization (a moved folder) passing silently.
    expected = {"01_translate_article", "02_summaries", "03_evaluation"}
    assert expected <= {p.stem for p in NOTEBOOKS}, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    _parameters_index(notebook)
    dirty = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
             and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, (f"cells {dirty} of {path.name} have outputs or execution counts; clear them "
                       f"before committing: jupyter nbconvert --clear-output --inplace {path}")
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.slow
@pytest.mark.parametrize("path, variant, overrides", _runs())
def test_notebook_runs(path: Path, variant: str, overrides: str, tiny_models, converted_tiny_models,
                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]):
    notebook = nbformat.read(path, as_version=4)
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    output_dir = tmp_path / "output"
    injected = "\n".join([
        "import sys",
        # The kernel must be this environment's Python, or it tests some other tarjama.
        f"assert sys.prefix == {sys.prefix!r}, sys.prefix",
        f"OUTPUT_DIR = Path({str(output_dir)!r})",
        overrides,
    ])
    cell = nbformat.v4.new_code_cell(injected, metadata={"tags": [INJECTED_TAG]})
    notebook.cells.insert(_parameters_index(notebook) + 1, cell)

    # The kernel inherits this environment (OMP_NUM_THREADS=1 from conftest among it). This
    # environment's kernelspec comes first, before any python3 kernel of the user's, and the user's
    # IPython startup files stay out.
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("TARJAMA_NOTEBOOK_MODELS", str(tiny_models.marian.parent))
    # A cache of its own (no translation cached by another test), holding the session's
    # converted models.
    cache = tmp_path / "tarjama-cache"
    shutil.copytree(converted_tiny_models, cache / converted_tiny_models.name)
    monkeypatch.setenv("TARJAMA_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    working_dir = tmp_path / "elsewhere"
    working_dir.mkdir()
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
        resources={"metadata": {"path": str(working_dir)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the traceback, when a cell fails
    elapsed = time.perf_counter() - start

    # Straight to the terminal, so that CI logs name every notebook run even without -v.
    with capsys.disabled():
        print(f"\nexecuted {path.relative_to(NOTEBOOK_DIR.parent)}"
              f"{f' ({variant})' if variant else ''}: {code_cells} code cells in {elapsed:.1f}s")
