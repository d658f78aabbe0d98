"""Translation on Ray Data (issue 15): records in equal records out, no duplicates, the same
translations as the local path, and runs that survive a dead worker and a killed driver.

One local Ray cluster of 2 CPUs serves the whole module; the tiny model keeps each test to seconds.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray Data is not installed (pip install \"tarjama[ray]\")")

from tarjama.backends.settings import ModelSettings  # noqa: E402
from tarjama.env import CT2_INTER_THREADS, CT2_INTRA_THREADS  # noqa: E402
from tarjama.errors import InputError, OutputError  # noqa: E402
from tarjama.scale import corpus as corpus_module  # noqa: E402
from tarjama.scale import translate_corpus, translate_dataset  # noqa: E402
from tarjama.scale.worker import TranslationWorker, sized_for_worker, worker_threads  # noqa: E402
from tarjama.translation import Translator, TranslatorSettings  # noqa: E402

# In float32, with its own output budget and a retry of its own, a sentence's translation hardly
# ever depends on its batch-mates (see docs/scaling.md); on this corpus never, so a run on Ray must
# give exactly the translations of one process.
COMPUTE = "float32"
# Copies of the corpus (new ids) in the run whose driver is killed: three batches of 256
# records, so that the kill lands while the third runs (the first two run at once, one on each
# worker, and their shards are written together).
COPIES = 8


def _settings(tiny_models) -> TranslatorSettings:
    return TranslatorSettings(ModelSettings(str(tiny_models.marian), compute_type=COMPUTE))


@pytest.fixture(scope="module")
def ray_cluster(isolated_tarjama_cache):
    """A local Ray of 2 CPUs for the module; workers inherit this process's environment."""
    import ray.cloudpickle

    # The workers cannot import this test module; its helpers travel by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_article) -> tuple[Path, list[dict]]:
    """A JSONL corpus: each record is one or two paragraphs of the sample article."""
    paragraphs = [p for p in sample_article.read_text(encoding="utf-8").splitlines() if p.strip()]
    records = [{"id": f"doc-{i:03d}", "text": "\n".join(paragraphs[i % len(paragraphs):][:1 + i % 2])}
               for i in range(90)]
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path, records


@pytest.fixture(scope="module")
def local_translations(tiny_models, corpus) -> dict[str, tuple[str, list[str]]]:
    """The local path's translation and flags of each record, by id."""
    translator = Translator(str(tiny_models.marian), compute_type=COMPUTE)
    _, records = corpus
    translations = translator.translate_documents([r["text"] for r in records])
    return {r["id"]: (t.text, list(dict.fromkeys(f for s in t.sentences for f in s.flags)))
            for r, t in zip(records, translations, strict=True)}


def read_shards(folder: Path) -> list[dict]:
    return [json.loads(line) for shard in sorted(folder.glob("part-*.jsonl"))
            for line in shard.read_text(encoding="utf-8").splitlines()]


def test_corpus_on_two_workers_matches_the_local_path(ray_cluster, tiny_models, corpus,
                                                      local_translations, tmp_path):
    path, records = corpus
    run = translate_corpus([str(path)], tmp_path / "out",
                           _settings(tiny_models),
                           workers=2, records_per_shard=25, batch_size=16)
    out = read_shards(tmp_path / "out")
    assert (run.records, run.shards, len(out)) == (len(records), 4, len(records))
    assert sorted(r["id"] for r in out) == sorted(r["id"] for r in records)
    assert [r["id"] for r in out] == [r["id"] for r in records], "shards keep the input order"
    for record in out:
        assert (record["translation"], record["flags"]) == local_translations[record["id"]]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["complete"] and manifest["records_out"] == len(records)
    assert "compute:float32" in manifest["signature"]


def test_translate_dataset_adds_columns_lazily(ray_cluster, tiny_models, corpus, local_translations):
    _, records = corpus
    ds = ray.data.from_items(records[:20])
    translated = translate_dataset(ds, _settings(tiny_models),
                                   workers=2, batch_size=8)
    rows = translated.take_all()
    assert {"id", "text", "translation", "flags"} <= set(rows[0])
    assert sorted(r["id"] for r in rows) == [r["id"] for r in records[:20]]
    for row in rows:
        assert (row["translation"], list(row["flags"])) == local_translations[row["id"]]


GLOSSARY = "محطة\tthe Jeddah plant\nجدة\tJeddah\nسامي الحربي\tSami al-Harbi\nالطاقة الشمسية\tsolar power\n"


def test_the_cli_carries_the_glossary_to_the_workers(ray_cluster, tiny_models, corpus, tmp_path):
    from typer.testing import CliRunner

    from tarjama.cli import app
    from tarjama.terms.glossary import Glossary

    path, records = corpus
    records = records[:24]
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    terms = tmp_path / "terms.tsv"
    terms.write_text(GLOSSARY, encoding="utf-8")
    result = CliRunner().invoke(app, [
        "translate", str(small), "--engine", "ray", "--workers", "2", "--shard-size", "12",
        "--model", str(tiny_models.marian), "--compute-type", COMPUTE, "--glossary", str(terms),
        "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    glossary = Glossary.read(terms)
    local = Translator(replace(_settings(tiny_models), glossary=glossary))
    expected = local.translate_documents([r["text"] for r in records])
    out = read_shards(tmp_path / "out")
    assert [r["id"] for r in out] == [r["id"] for r in records]
    used = 0
    for record, translation in zip(out, expected, strict=True):
        assert record["translation"] == translation.text
        renderings = {use.english for s in translation.sentences for use in s.terms}
        for rendering in renderings:
            assert rendering.casefold() in record["translation"].casefold()
        used += len(renderings)
    assert used >= len(records), "the corpus uses the glossary's terms"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["settings"]["glossary"] == glossary.digest
    assert f"glossary:{glossary.digest}" in manifest["signature"]


class KillOnce:
    """Kills the worker process running it when a batch holds ``victim``; only the first time."""

    def __init__(self, victim: str, marker: str):
        self.victim, self.marker = victim, marker

    def __call__(self, batch):
        if self.victim in batch["id"]:
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return batch
            actor = ray.get_runtime_context().get_actor_id()
            os.write(fd, json.dumps({"pid": os.getpid(), "actor": actor}).encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        return batch


def test_a_worker_killed_halfway_loses_and_repeats_nothing(ray_cluster, tiny_models, corpus,
                                                           local_translations, tmp_path):
    _, records = corpus
    marker = tmp_path / "killed.json"
    victim = records[len(records) // 2]["id"]
    # A plain function stage before the actor stage runs fused inside the translation actor, so
    # the process it kills is a translation worker (checked below through the actor id).
    ds = ray.data.from_items(records).map_batches(
        lambda batch: KillOnce(victim, str(marker))(batch), batch_size=10)
    translated = translate_dataset(ds, _settings(tiny_models),
                                   workers=2, batch_size=10)
    rows = translated.take_all()
    killed = json.loads(marker.read_text())
    print(f"\nkilled worker pid {killed['pid']} (actor {killed['actor']}) at record {victim}")
    assert killed["actor"], "the kill must land in an actor of the translation pool"
    ids = [row["id"] for row in rows]
    print(f"records in {len(records)}, out {len(rows)}, distinct ids {len(set(ids))}")
    assert len(rows) == len(records) and sorted(ids) == sorted(r["id"] for r in records)
    for row in rows:
        assert (row["translation"], list(row["flags"])) == local_translations[row["id"]]


def test_a_driver_stopped_halfway_resumes_without_redoing_finished_shards(ray_cluster, tiny_models, corpus,
                                                                 tmp_path):
    path, records = corpus
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({**r, "id": f"{r['id']}-{n}"}, ensure_ascii=False) + "\n"
                           for n in range(COPIES) for r in records), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "tarjama", "translate", str(big), "--engine", "ray",
               "--ray-address", ray_cluster, "--workers", "2", "--shard-size", "30",
               "-m", str(tiny_models.marian), "-o", str(out)]
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not list(out.glob("part-*.jsonl")) and driver.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")}
    total = -(-COPIES * len(records) // 30)
    print(f"\ndriver killed with {len(finished)} of {total} shards written")
    assert 0 < len(finished) < total, "the driver must be killed half-way"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(finished)} kept from an earlier run" in rerun.stderr
    for name, mtime in finished.items():
        assert (out / name).stat().st_mtime_ns == mtime, f"{name} was written again"
    rows = read_shards(out)
    assert len(rows) == COPIES * len(records) and len({r["id"] for r in rows}) == len(rows)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["shards_kept"] == len(finished)
    assert manifest["records_translated"] == len(rows) - sum(
        1 for name in finished for _ in (out / name).read_text().splitlines())


def test_repeated_ids_are_refused_before_any_translation(ray_cluster, tiny_models, tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": 1, "text": "مرحبا"}\n{"id": 1, "text": "شكرا"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="repeats the id 1"):
        translate_corpus([str(path)], tmp_path / "out", str(tiny_models.marian))
    assert not list((tmp_path / "out").glob("part-*"))


def test_a_folder_holding_other_files_is_refused(ray_cluster, tiny_models, corpus, tmp_path):
    path, _ = corpus
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds no tarjama corpus run"):
        translate_corpus([str(path)], tmp_path / "out", str(tiny_models.marian))


@pytest.mark.parametrize(("options", "message"), [
    (["--engine", "ray"], "give it with -o OUTDIR"),
    (["--engine", "ray", "-o", "out", "--format", "text"], "use --format jsonl"),
    (["--engine", "ray", "-o", "out", "--encoding", "cp1256"], "reads UTF-8"),
    (["-o", "out", "--format", "parquet"], "only --engine ray"),
], ids=["no-outdir", "text-format", "legacy-encoding", "parquet-locally"])
def test_engine_options_that_cannot_work_are_refused_in_one_line(options, message, corpus, tmp_path,
                                                                 monkeypatch):
    from typer.testing import CliRunner

    from tarjama.cli import app

    monkeypatch.chdir(tmp_path)
    path, _ = corpus
    result = CliRunner().invoke(app, ["translate", str(path), *options])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize(("cpus", "threads"), [
    (0.5, (1, 1)), (1, (1, 1)), (1.5, (1, 1)), (2, (2, 1)), (3, (2, 1)), (4, (2, 2)), (16, (2, 8)),
])
def test_worker_threads_fit_the_cpus_ray_gave(cpus, threads):
    assert worker_threads(cpus) == threads


@pytest.mark.parametrize(("given", "expected"), [
    ((None, None), (2, 2)), ((1, None), (1, 4)), ((None, 3), (2, 3)), ((4, 4), (4, 4)),
], ids=["unset", "inter-set", "intra-set", "both-set"])
@pytest.mark.parametrize("where", ["settings", "variables"])
def test_threads_the_user_set_are_kept(monkeypatch, given, expected, where):
    for variable in (CT2_INTER_THREADS, CT2_INTRA_THREADS):
        monkeypatch.delenv(variable.name, raising=False)
    inter, intra = given
    if where == "settings":
        model = ModelSettings("no/such-model", inter_threads=inter, intra_threads=intra)
    else:
        model = ModelSettings("no/such-model")
        for variable, value in ((CT2_INTER_THREADS, inter), (CT2_INTRA_THREADS, intra)):
            if value is not None:
                monkeypatch.setenv(variable.name, str(value))
    before = dict(os.environ)
    sized = sized_for_worker(TranslatorSettings(model, guard="flag"), 4).model
    assert (sized.inter_threads, sized.intra_threads) == expected
    assert dict(os.environ) == before


@pytest.mark.parametrize(("cpus", "batches"), [(1, 1), (2, 2)])
def test_a_cpu_worker_loads_ctranslate2_with_threads_for_its_cpus(tiny_models, monkeypatch, cpus,
                                                                  batches):
    for variable in (CT2_INTER_THREADS, CT2_INTRA_THREADS):
        monkeypatch.delenv(variable.name, raising=False)
    before = dict(os.environ)
    worker = TranslationWorker(_settings(tiny_models), "text", cpus=cpus)
    assert worker.translator.backend.parallel_batches == batches
    assert (worker.settings.model.inter_threads, worker.settings.model.intra_threads) == (batches, 1)
    assert worker.translator.cache is None
    # The split travels in the settings object: nothing is written into the environment.
    assert dict(os.environ) == before


def test_the_resume_fingerprint_holds_the_engine_version(tiny_models, monkeypatch):
    """Shards that an older engine translated are not kept by a rerun of a newer one."""
    settings = _settings(tiny_models)
    now = corpus_module._fingerprint(["a"], 10, settings, "jsonl")
    monkeypatch.setattr(corpus_module, "ENGINE_VERSION", corpus_module.ENGINE_VERSION - 1)
    assert corpus_module._fingerprint(["a"], 10, settings, "jsonl") != now
