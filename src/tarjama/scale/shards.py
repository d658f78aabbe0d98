"""Output shards of a corpus run: one file per chunk of records, written whole or not at all."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tarjama.errors import OutputError
from tarjama.scale.sources import JSONL, PARQUET
from tarjama.textio import dumps_jsonl, write_text_atomic

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = (JSONL, PARQUET)
MANIFEST_NAME = "manifest.json"


def shard_path(folder: Path, index: int, count: int, format: str) -> Path:
    """Where chunk ``index`` of ``count`` is written: its name says which chunk it holds."""
    return folder / f"part-{index:05d}-of-{count:05d}.{format}"


def write_shard(path: Path, table: pa.Table, format: str, fingerprint: str = "") -> None:
    """Write ``table`` to ``path`` through a temporary file, so a shard is whole or absent, then
    its check (:func:`check_path`): its checksum and the run's ``fingerprint``, so that a rerun
    can keep it even when the manifest is lost."""
    _write_table(path, table, format)
    data = path.read_bytes()
    write_text_atomic(check_path(path), json.dumps({
        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
        "records": table.num_rows, "fingerprint": fingerprint}) + "\n")


def check_path(path: Path) -> Path:
    """Where the check of the shard at ``path`` is kept (a hidden file beside it)."""
    return path.with_name(f".{path.name}.sha256")


def verified_records(path: Path, fingerprint: str) -> int | None:
    """How many records the shard at ``path`` holds, when its check says it was written by the run
    of ``fingerprint`` and its bytes still match the checksum; else ``None``."""
    try:
        check = json.loads(check_path(path).read_text(encoding="utf-8"))
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(check, dict) or check.get("fingerprint") != fingerprint:
        return None
    if check.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    records = check.get("records")
    return records if isinstance(records, int) else None


def _write_table(path: Path, table: pa.Table, format: str) -> None:
    if format == JSONL:
        write_text_atomic(path, dumps_jsonl(table.to_pylist()))
        return
    import pyarrow.parquet as pq

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"{path}: cannot write it ({err.strerror or err})") from None
        raise


def shard_records(path: Path, format: str) -> int | None:
    """How many records the shard at ``path`` holds, or ``None`` when it is missing or unreadable."""
    try:
        if format == JSONL:
            with path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, ValueError):
        return None


def read_manifest(folder: Path) -> dict | None:
    """The manifest a run left in ``folder``, or ``None``."""
    path = folder / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise OutputError(f"{path}: cannot be read ({err}); delete it and run again (the shards "
                          "whose checksums hold are kept), or choose another output folder") from None


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    write_text_atomic(folder / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
