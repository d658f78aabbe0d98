"""Class 5 of issue 30: one bad record never sinks a Ray run, and a damaged manifest's advice
works. A giant record is translated with the rest; a record the model fails on is flagged and
listed in rejects.jsonl while the others are kept; a deleted manifest still keeps every shard
whose checksum holds."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray Data is not installed (pip install \"tarjama[ray]\")")

from tarjama.backends.settings import ModelSettings  # noqa: E402
from tarjama.errors import OutputError  # noqa: E402
from tarjama.scale import translate_corpus  # noqa: E402
from tarjama.scale.corpus import REJECTS_NAME  # noqa: E402
from tarjama.scale.shards import MANIFEST_NAME  # noqa: E402
from tarjama.scale.worker import FAILED, TranslationWorker  # noqa: E402
from tarjama.translation import CUT_WORD, TranslatorSettings  # noqa: E402

GIANT = "ب" * 5000
SENTENCES = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر.",
             "ارتفعت الأسعار في الأسواق المحلية."]


def _settings(tiny_models) -> TranslatorSettings:
    return TranslatorSettings.of(ModelSettings(str(tiny_models.marian), compute_type="float32"))


@pytest.fixture(scope="module")
def ray_cluster(isolated_tarjama_cache):
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def _corpus(folder: Path, texts: list[str]) -> Path:
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": f"doc-{i:02d}", "text": text}, ensure_ascii=False)
                            + "\n" for i, text in enumerate(texts)), encoding="utf-8")
    return path


def _rows(folder: Path) -> list[dict]:
    return [json.loads(line) for shard in sorted(folder.glob("part-*.jsonl"))
            for line in shard.read_text(encoding="utf-8").splitlines()]


def test_a_giant_record_is_translated_with_the_rest(ray_cluster, tiny_models, tmp_path):
    texts = [SENTENCES[i % 3] for i in range(11)]
    texts.insert(5, f"قال {GIANT} أمس.")
    run = translate_corpus([str(_corpus(tmp_path, texts))], tmp_path / "out",
                           _settings(tiny_models), records_per_shard=4)
    rows = _rows(tmp_path / "out")
    print(f"\n{run.records} records, {run.shards} shards, {len(rows)} written")
    assert len(rows) == len(texts) == run.records and all(row["translation"] for row in rows)
    assert CUT_WORD in rows[5]["flags"]
    assert not (tmp_path / "out" / REJECTS_NAME).exists()


def test_a_record_the_model_fails_on_is_flagged_and_the_batch_is_kept(tiny_models, monkeypatch):
    # The model fails on one input, as a real model does on one it cannot take (an id outside
    # its embeddings): the fault is made in the backend, the translator and worker are real.
    import pyarrow as pa

    worker = TranslationWorker(_settings(tiny_models), "text", error_column="error")
    backend = worker.translator.backend
    poison = "سمسمسم"
    real = backend.generate_scored

    def failing_on_poison(batches):
        for texts, options, attend in batches:
            if any(poison in text for text in texts):
                raise RuntimeError("No position encodings are defined for this input")
            yield from real([(texts, options, attend)])

    monkeypatch.setattr(backend, "generate_scored", failing_on_poison)
    texts = [SENTENCES[0], f"قال {poison}.", SENTENCES[1]]
    out = worker(pa.table({"id": [1, 2, 3], "text": texts})).to_pylist()
    assert [row["flags"] == [FAILED] for row in out] == [False, True, False]
    assert out[1]["translation"] == "" and "RuntimeError: No position encodings" in out[1]["error"]
    assert out[0]["translation"] and out[2]["translation"]
    assert out[0]["error"] is None and out[2]["error"] is None


def test_a_damaged_manifest_can_be_deleted_and_the_good_shards_are_kept(ray_cluster, tiny_models,
                                                                        tmp_path):
    corpus = _corpus(tmp_path, [SENTENCES[i % 3] for i in range(12)])
    out = tmp_path / "out"
    settings = _settings(tiny_models)
    translate_corpus([str(corpus)], out, settings, records_per_shard=4)
    shards = sorted(out.glob("part-*.jsonl"))
    written = {p.name: p.stat().st_mtime_ns for p in shards}
    (out / MANIFEST_NAME).write_text('{"complete": tru')
    with pytest.raises(OutputError) as raised:
        translate_corpus([str(corpus)], out, settings, records_per_shard=4)
    assert "delete it and run again (the shards whose checksums hold are kept)" in str(raised.value)
    (out / MANIFEST_NAME).unlink()  # as the error says
    damaged = shards[1]
    damaged.write_bytes(damaged.read_bytes().replace(b"translation", b"translatiom", 1))
    run = translate_corpus([str(corpus)], out, settings, records_per_shard=4)
    assert (run.shards, run.reused_shards, run.translated_records) == (3, 2, 4)
    for shard in shards:
        assert (shard.stat().st_mtime_ns == written[shard.name]) == (shard != damaged)
    rows = _rows(out)
    assert [row["id"] for row in rows] == [f"doc-{i:02d}" for i in range(12)]
    assert all("translation" in row for row in rows)


def test_a_folder_with_shards_of_another_run_and_no_manifest_is_refused(ray_cluster, tiny_models,
                                                                        tmp_path):
    out = tmp_path / "out"
    settings = _settings(tiny_models)
    translate_corpus([str(_corpus(tmp_path, SENTENCES))], out, settings, records_per_shard=2)
    (out / MANIFEST_NAME).unlink()
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(OutputError, match="holds no tarjama corpus run"):
        translate_corpus([str(_corpus(other, SENTENCES[:2]))], out, settings, records_per_shard=2)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s"]))
