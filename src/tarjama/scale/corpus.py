"""``translate_corpus``: a corpus of ``{"id", "text"}`` records translated on Ray into shards.

The records are cut into chunks of ``records_per_shard`` in the order they are read (files sorted
by name), so every run of the same corpus makes the same chunks; chunk ``k`` of ``n`` is written to
``part-k-of-n`` atomically as soon as its last record is translated. A rerun into the same folder
keeps the shards that are complete and translates only the records of the others.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tarjama._version import __version__
from tarjama.backends.settings import ModelSettings
from tarjama.errors import InputError, OutputError, TarjamaError
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.scale._ray import require_ray
from tarjama.scale.cluster import ray_session
from tarjama.scale.dataset import DEFAULT_RECORDS_PER_BATCH, translate_dataset
from tarjama.scale.shards import (
    FORMATS,
    check_path,
    read_manifest,
    shard_path,
    shard_records,
    verified_records,
    write_manifest,
    write_shard,
)
from tarjama.scale.sources import JSONL, list_corpus, read_corpus
from tarjama.textio import loads_jsonl, write_jsonl
from tarjama.translation.cache_key import ENGINE_VERSION
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    import pyarrow as pa
    import ray.data

ID_COLUMN = "id"
TEXT_COLUMN = "text"
DEFAULT_RECORDS_PER_SHARD = 1000
# Carries each record's signature from the workers to the manifest; never written to a shard.
_SIGNATURE_COLUMN = "__tarjama_signature"
# Carries why a record failed from the workers to the rejects file; never written to a shard.
_ERROR_COLUMN = "__tarjama_error"
#: The file beside the shards that lists the records whose translation failed, with why.
REJECTS_NAME = "rejects.jsonl"

ShardCallback = Callable[[int, int], None]
"""Called as ``done(shards_finished, shards_total)``."""


@dataclass(frozen=True)
class CorpusRun:
    """What a corpus run did: records read and written, shards written now and kept from before."""

    output: Path
    records: int
    shards: int
    reused_shards: int
    translated_records: int
    seconds: float
    signature: str | None


def translate_corpus(sources: Sequence[str], output: str | Path,
                     model: str | ModelSettings | TranslatorSettings = DEFAULT_TRANSLATION_MODEL, *,
                     address: str | None = None, workers: int = 1, gpus_per_worker: float = 0,
                     cpus_per_worker: float | None = None, format: str = JSONL,
                     records_per_shard: int = DEFAULT_RECORDS_PER_SHARD,
                     batch_size: int = DEFAULT_RECORDS_PER_BATCH,
                     progress: ShardCallback | None = None) -> CorpusRun:
    """Translate the records of ``sources`` (JSONL or Parquet files or folders, local paths or
    URIs) into shards in the folder ``output``, with a ``manifest.json`` beside them.

    Each shard record is the input record with ``translation`` and ``flags`` added. Ray is joined
    at ``address``, else the Ray this process already joined, else started locally on this
    machine's CPUs. ``cpus_per_worker`` defaults to the cluster's CPUs shared among the workers.
    Ids must be present and unique: they place each translated record in its chunk. A record
    whose translation fails is kept in its shard, flagged ``translation_failed`` with an empty
    translation, and listed with its error in ``rejects.jsonl``; the rest are translated.
    """
    started = time.perf_counter()
    started_at = _now()
    settings = TranslatorSettings.of(model)
    if format not in FORMATS:
        raise InputError(f"unknown shard format {format!r}; choose one of: {', '.join(FORMATS)}")
    if records_per_shard < 1:
        raise InputError(f"records_per_shard must be at least 1, not {records_per_shard}")
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; the shards go into a folder")
    kind, files = list_corpus(sources)
    with ray_session(address), _ordered():
        ray = require_ray()
        # Read once, before the workers hold the CPUs: a read task waiting for a CPU behind
        # actors that wait for its blocks would never run.
        corpus = _load(kind, files)
        ids = _read_ids(corpus)
        count = max(1, -(-len(ids) // records_per_shard))
        plan = {"fingerprint": _fingerprint(ids, records_per_shard, settings, format),
                "records": len(ids), "shards": count, "records_per_shard": records_per_shard}
        previous = _claim(folder, plan)
        sizes = [len(ids[k * records_per_shard:(k + 1) * records_per_shard]) for k in range(count)]
        done = {k for k in range(count)
                if _finished(shard_path(folder, k, count, format), format, plan, previous)
                == sizes[k]}
        manifest: dict[str, Any] = {
            "complete": False, "plan": plan, "format": format, "settings": settings.as_dict(),
            "signature": (previous or {}).get("signature"), "tarjama": __version__,
            "workers": workers, "gpus_per_worker": gpus_per_worker,
            "shards_kept": len(done), "started": started_at}
        write_manifest(folder, manifest)
        pending = {ident: position for position, ident in enumerate(ids)
                   if position // records_per_shard not in done}
        if progress:
            progress(len(done), count)
        if pending:
            if cpus_per_worker is None:
                cpus_per_worker = max(1.0, float(ray.cluster_resources().get("CPU", 1)) // workers)
            dataset = corpus
            if done:
                # Filtered now, while no worker holds a CPU that the filter's tasks would wait for.
                dataset = dataset.filter(_Pending(set(pending))).materialize()
            translated = translate_dataset(
                dataset, settings, text_column=TEXT_COLUMN, workers=workers,
                gpus_per_worker=gpus_per_worker, cpus_per_worker=cpus_per_worker,
                batch_size=batch_size, signature_column=_SIGNATURE_COLUMN,
                error_column=_ERROR_COLUMN)
            signatures, rejects = _write_shards(translated, folder, format, pending, sizes,
                                                records_per_shard, done, progress,
                                                str(plan["fingerprint"]))
            failed = _write_rejects(folder, rejects, pending)
            manifest["records_failed"] = failed
            manifest["signature"] = (signatures[0] if len(signatures) == 1 else signatures) or \
                manifest["signature"]
    seconds = time.perf_counter() - started
    manifest.update({
        "complete": True, "records_in": len(ids), "records_out": sum(sizes),
        "records_translated": len(pending), "shards_written": count - len(done),
        "finished": _now(), "seconds": round(seconds, 3)})
    write_manifest(folder, manifest)
    signature = manifest["signature"]
    return CorpusRun(folder, len(ids), count, len(done), len(pending), seconds,
                     signature if isinstance(signature, str) or signature is None
                     else " ; ".join(signature))


class _Pending:
    """Row filter: keeps the records whose id is still to translate."""

    def __init__(self, ids: set):
        self.ids = ids

    def __call__(self, row: dict[str, Any]) -> bool:
        return row[ID_COLUMN] in self.ids


def _write_shards(translated: ray.data.Dataset, folder: Path, format: str,
                  pending: dict[Any, int], sizes: list[int], per_shard: int, done: set[int],
                  progress: ShardCallback | None,
                  fingerprint: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Gather translated records by chunk and write each chunk as soon as it is whole; the
    signatures seen, and the id and error of each record that failed."""
    import pyarrow as pa

    waiting: dict[int, list[pa.Table]] = {}
    filled: dict[int, int] = {}
    signatures: set[str] = set()
    rejects: list[dict[str, Any]] = []
    finished = len(done)
    for batch in _surfacing_errors(translated.iter_batches(batch_size=None, batch_format="pyarrow")):
        batch = cast("pa.Table", batch)
        signatures.update(batch.column(_SIGNATURE_COLUMN).unique().to_pylist())
        rejects += [{ID_COLUMN: ident, "error": error} for ident, error in zip(
            batch.column(ID_COLUMN).to_pylist(), batch.column(_ERROR_COLUMN).to_pylist(),
            strict=True) if error is not None]
        batch = batch.drop_columns([_SIGNATURE_COLUMN, _ERROR_COLUMN])
        chunks: dict[int, list[int]] = {}
        for row, ident in enumerate(batch.column(ID_COLUMN).to_pylist()):
            chunks.setdefault(pending[ident] // per_shard, []).append(row)
        for chunk, rows in chunks.items():
            waiting.setdefault(chunk, []).append(batch.take(rows))
            filled[chunk] = filled.get(chunk, 0) + len(rows)
            if filled[chunk] < sizes[chunk]:
                continue
            table = pa.concat_tables(waiting.pop(chunk))
            order = [pending[ident] for ident in table.column(ID_COLUMN).to_pylist()]
            table = table.take(sorted(range(len(order)), key=order.__getitem__))
            write_shard(shard_path(folder, chunk, len(sizes), format), table, format,
                        fingerprint)
            finished += 1
            if progress:
                progress(finished, len(sizes))
    if waiting:
        raise OutputError(f"{folder}: {len(waiting)} shards came back incomplete from Ray; "
                          "run again to finish them")
    return sorted(signatures), rejects


def _write_rejects(folder: Path, rejects: list[dict[str, Any]], pending: dict[Any, int]) -> int:
    """Write the records that failed (this run's, and an earlier run's in shards kept) to
    :data:`REJECTS_NAME` as ``{"id", "error"}`` lines; how many there are."""
    path = folder / REJECTS_NAME
    earlier = []
    if path.is_file():
        try:
            earlier = [r for r in loads_jsonl(path.read_text(encoding="utf-8"))
                       if isinstance(r, dict) and r.get(ID_COLUMN) not in pending]
        except (OSError, ValueError, InputError):
            earlier = []
    everything = earlier + rejects
    if everything:
        write_jsonl(path, everything)
    else:
        path.unlink(missing_ok=True)
    return len(everything)


def _finished(path: Path, format: str, plan: dict, previous: dict | None) -> int | None:
    """How many records the shard at ``path`` holds, when it can be kept: its check holds; or,
    for a shard an older tarjama wrote without a check, the manifest of its run is there."""
    verified = verified_records(path, plan["fingerprint"])
    if verified is not None or check_path(path).exists() or previous is None:
        return verified
    return shard_records(path, format)


def _surfacing_errors(batches):
    """Ray wraps an exception raised in a worker; a tarjama error inside is raised as it is."""
    try:
        yield from batches
    except TarjamaError:
        raise
    except Exception as err:
        cause: BaseException | None = err
        while cause is not None:
            if isinstance(cause, TarjamaError):
                raise type(cause)(*cause.args) from None
            cause = getattr(cause, "cause", None) or cause.__cause__
        raise


def _load(kind: str, files: list[str]) -> ray.data.Dataset:
    """The corpus read into Ray's object store."""
    try:
        return read_corpus(kind, files).materialize()
    except Exception as err:
        reason = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
        raise InputError(f"{files[0]}{' ...' if len(files) > 1 else ''}: cannot be read as a "
                         f"corpus ({reason})") from None


def _read_ids(dataset: ray.data.Dataset) -> list:
    """Every record's id in reading order, after checking each has an id and a text."""
    schema = dataset.schema()
    names = schema.names if schema is not None else []
    missing = [name for name in (ID_COLUMN, TEXT_COLUMN) if name not in names]
    if missing:
        raise InputError(f"the corpus has no {' and no '.join(repr(m) for m in missing)} field; "
                         "a corpus holds one {\"id\": ..., \"text\": ...} record per line or row")
    import pyarrow as pa
    import pyarrow.compute as pc

    ids: list = []
    seen: set = set()
    for batch in dataset.select_columns([ID_COLUMN, TEXT_COLUMN]).iter_batches(
            batch_size=None, batch_format="pyarrow"):
        batch = cast("pa.Table", batch)
        text = batch.column(TEXT_COLUMN)
        if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)) \
                or pc.any(pc.is_null(text)).as_py():
            raise InputError(f"record {len(ids) + 1 + _first_bad_text(text)} of the corpus has no "
                             "\"text\" string")
        for ident in batch.column(ID_COLUMN).to_pylist():
            if ident is None or ident in seen:
                problem = "has no id" if ident is None else f"repeats the id {ident!r}"
                raise InputError(f"record {len(ids) + 1} of the corpus {problem}; each record needs "
                                 "its own id, which places its translation in the output")
            seen.add(ident)
            ids.append(ident)
    return ids


def _first_bad_text(column) -> int:
    return next((i for i, value in enumerate(column.to_pylist()) if not isinstance(value, str)), 0)


def _claim(folder: Path, plan: dict) -> dict | None:
    """Check that ``folder`` is empty or holds an earlier run of this very plan; its manifest."""
    previous = read_manifest(folder) if folder.is_dir() else None
    if previous is None:
        # Without a manifest (deleted, as a damaged one's error advises) the folder may only hold
        # this run's shards, known by their checks; those whose checksums hold are kept.
        if folder.is_dir() and any(not p.name.startswith(".") and not _ours(p, plan)
                                   for p in folder.iterdir()):
            raise OutputError(f"{folder}: is not empty and holds no tarjama corpus run; choose an "
                              "empty or new folder for the shards")
        folder.mkdir(parents=True, exist_ok=True)
        return None
    if previous.get("plan", {}).get("fingerprint") != plan["fingerprint"]:
        raise OutputError(f"{folder}: holds shards of another corpus or other settings; choose an "
                          "empty or new folder, or delete this one")
    return previous


def _ours(path: Path, plan: dict) -> bool:
    """Whether ``path`` was written by a run of ``plan``: its rejects, or a shard whose check
    carries the plan's fingerprint (whether or not its bytes still match)."""
    if path.name == REJECTS_NAME:
        return True
    try:
        check = json.loads(check_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(check, dict) and check.get("fingerprint") == plan["fingerprint"]


def _fingerprint(ids: list, per_shard: int, settings: TranslatorSettings, format: str) -> str:
    # The engine version too: shards translated by an older engine are not kept by a rerun.
    digest = hashlib.sha256()
    for ident in ids:
        digest.update(json.dumps(ident, ensure_ascii=False).encode() + b"\n")
    digest.update(json.dumps([per_shard, settings.as_dict(), format, ENGINE_VERSION],
                             sort_keys=True).encode())
    return digest.hexdigest()


class _ordered:
    """While inside, Ray Data hands back records in reading order, so chunks finish one by one."""

    def __enter__(self) -> None:
        ray = require_ray()
        self.options = ray.data.DataContext.get_current().execution_options
        self.previous = self.options.preserve_order
        self.options.preserve_order = True

    def __exit__(self, *exc: object) -> None:
        self.options.preserve_order = self.previous


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

