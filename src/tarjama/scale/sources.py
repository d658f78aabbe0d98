"""Finding and reading a corpus: JSONL or Parquet files, folders of them, local or any URI that
pyarrow's file systems reach (``s3://``, ``gs://``)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tarjama.errors import InputError
from tarjama.scale._ray import require_ray

if TYPE_CHECKING:
    import ray.data

JSONL = "jsonl"
PARQUET = "parquet"
#: How a file's name ends for each format Ray Data reads here.
SUFFIXES = {
    JSONL: (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".json.zst"),
    PARQUET: (".parquet",),
}


def kind_of(name: str) -> str | None:
    """``jsonl`` or ``parquet`` by the name's ending, or ``None``."""
    lowered = name.lower()
    for kind, suffixes in SUFFIXES.items():
        if lowered.endswith(suffixes):
            return kind
    return None


def list_corpus(sources: Sequence[str]) -> tuple[str, list[str]]:
    """The format and the files of a corpus, each folder's files sorted by name, so that every run
    reads the records in the same order."""
    import pyarrow.fs as pafs

    files: list[str] = []
    for source in sources:
        try:
            filesystem, root = pafs.FileSystem.from_uri(source if "://" in source
                                                        else str(Path(source).resolve()))
            info = filesystem.get_file_info(root)
        except (OSError, ValueError) as err:
            raise InputError(f"{source}: cannot be read ({err})") from None
        if info.type == pafs.FileType.NotFound:
            raise InputError(f"{source}: no such file or folder")
        if info.type == pafs.FileType.Directory:
            found = sorted(entry.path for entry in
                           filesystem.get_file_info(pafs.FileSelector(root, recursive=True))
                           if entry.type == pafs.FileType.File and kind_of(entry.base_name)
                           and not entry.base_name.startswith((".", "_")))
            if not found:
                raise InputError(f"{source}: no JSONL or Parquet files in this folder")
            prefix = source.split("://", 1)[0] + "://" if "://" in source else ""
            files.extend(prefix + path for path in found)
        else:
            files.append(source)
    kinds = {kind_of(name) for name in files}
    if None in kinds:
        unknown = next(name for name in files if kind_of(name) is None)
        raise InputError(f"{unknown}: not a corpus file; a corpus is JSONL ({', '.join(SUFFIXES[JSONL])}) "
                         "or Parquet (.parquet)")
    if len(kinds) > 1:
        raise InputError("a corpus is all JSONL or all Parquet, not a mix of both")
    [kind] = kinds
    assert kind is not None
    return kind, files


def read_corpus(kind: str, files: list[str]) -> ray.data.Dataset:
    """A Ray Dataset of the corpus's records (lazy)."""
    ray = require_ray()
    if kind == PARQUET:
        return ray.data.read_parquet(files)
    return ray.data.read_json(files, lines=True, file_extensions=None)
