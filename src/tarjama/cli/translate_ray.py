"""``tarjama translate --engine ray``: a corpus translated on a Ray cluster into shards."""
from __future__ import annotations

from pathlib import Path

from tarjama.cli._common import OutputFormat, err_console
from tarjama.errors import InputError
from tarjama.translation.settings import TranslatorSettings


def translate_on_ray(sources: list[str], output: Path | None, format: OutputFormat | None,
                     settings: TranslatorSettings, *, encoding: str | None,
                     address: str | None, workers: int, gpus_per_worker: float,
                     shard_size: int | None) -> None:
    """Run :func:`tarjama.scale.translate_corpus` and say in one line what it did."""
    from tarjama.scale import translate_corpus
    from tarjama.scale.cluster import quiet_ray_data
    from tarjama.scale.corpus import DEFAULT_RECORDS_PER_SHARD

    if output is None:
        raise InputError("--engine ray writes shards into a folder; give it with -o OUTDIR")
    if format is OutputFormat.text:
        raise InputError("--engine ray writes records: use --format jsonl (the default) or parquet")
    if encoding and encoding.lower().replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
        raise InputError("--engine ray reads UTF-8 JSONL or Parquet; convert the corpus to UTF-8 first")
    if "-" in sources:
        raise InputError("--engine ray reads files, folders or URIs, not standard input")
    quiet_ray_data()
    run = translate_corpus(sources, output, settings, address=address, workers=workers,
                           gpus_per_worker=gpus_per_worker,
                           format=(format or OutputFormat.jsonl).value,
                           records_per_shard=shard_size or DEFAULT_RECORDS_PER_SHARD)
    kept = f", {run.reused_shards} kept from an earlier run" if run.reused_shards else ""
    err_console.print(f"translated {run.translated_records} of {run.records} records into "
                      f"{run.shards} shards in {output}{kept} ({run.seconds:.1f} s)", soft_wrap=True)
