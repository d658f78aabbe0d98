"""The FLORES-200 devtest set as a tarjama reference set, the published OPUS-MT output, and a
second system derived from it, scored once per session."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

# Fewer resamples than the CLI's 1000/10000 keep the suite fast; the difference tested is large.
TEST_BOOTSTRAP = 200
TEST_AR_TRIALS = 1000
DERIVED_EVERY = 10


@dataclass(frozen=True)
class Flores:
    source: Path
    reference: Path
    metadata: Path
    published: Path
    derived: Path
    manifest: Path


@pytest.fixture(scope="session")
def flores(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Flores:
    """Paths of FLORES-200 devtest, its manifest, the published output and the derived system.

    The derived system is the published output with every 10th line replaced by its Arabic source.
    """
    folder = tmp_path_factory.mktemp("flores")
    source = shared_data / "flores200" / "arb_Arab.devtest"
    reference = shared_data / "flores200" / "eng_Latn.devtest"
    metadata = shared_data / "flores200" / "metadata_devtest.tsv"
    published = (shared_data / "opusmt-ara-eng-flores200-output"
                 / "flores200-devtest.ara-eng.output")
    sources = source.read_text(encoding="utf-8").splitlines()
    outputs = published.read_text(encoding="utf-8").splitlines()
    derived = folder / "derived.en"
    derived.write_text("".join((s if n % DERIVED_EVERY == DERIVED_EVERY - 1 else o) + "\n"
                               for n, (s, o) in enumerate(zip(sources, outputs, strict=True))), encoding="utf-8")
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps({
        "name": "flores200-devtest", "source": str(source), "references": [str(reference)],
        "doc_ids": {"path": str(metadata), "column": "URL"}}), encoding="utf-8")
    return Flores(source, reference, metadata, published, derived, manifest)


@pytest.fixture(scope="session")
def flores_run(flores: Flores):
    """The published output (baseline) and the derived system, evaluated on FLORES-200 devtest."""
    from tarjama.eval import evaluate_systems, load_reference_set

    refset = load_reference_set(flores.manifest)
    systems = {"opus-mt": flores.published.read_text(encoding="utf-8").splitlines(),
               "derived": flores.derived.read_text(encoding="utf-8").splitlines()}
    return evaluate_systems(refset, systems, n_bootstrap=TEST_BOOTSTRAP, n_trials=TEST_AR_TRIALS)


@pytest.fixture(scope="session")
def tiny_comet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny COMET-shaped checkpoint folder (see ``tarjama.testing.comet``), built once."""
    pytest.importorskip("comet")
    from tarjama.testing.comet import make_tiny_comet

    return make_tiny_comet(tmp_path_factory.mktemp("comet"))
