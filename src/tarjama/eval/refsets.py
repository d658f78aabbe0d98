"""Reference sets: an Arabic source and one or more English references, read from disk or sacrebleu.

A set is given as one of:

- a folder holding ``manifest.json``, or files named ``src.*``/``source.*`` (the source),
  ``ref*``/``reference*`` (one or more references) and optionally ``docids*`` (a document id per
  line), or a single ``.tsv``/``.jsonl`` file;
- a manifest, ``{"name", "source", "references": [...], "doc_ids"}`` with paths relative to it;
  ``doc_ids`` is a plain file (one id per line) or ``{"path", "column"}`` for a TSV with a header;
- a TSV file, ``src<TAB>ref[<TAB>ref2...]`` per line, or with a header naming the columns
  (``src``, ``ref``/``ref2``..., ``docid``);
- a JSONL file, ``{"src": ..., "ref": ... or [...], "docid": ...}`` per line;
- the name of a sacrebleu test set with Arabic→English data (``iwslt17``), read from sacrebleu's
  cache only: tarjama never downloads it.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tarjama._checks import checked
from tarjama.errors import Advice, InputError
from tarjama.eval import sacrebleu_compat
from tarjama.eval.metrics import require_references
from tarjama.textio import FILE, FOLDER, parse_jsonl, path_kind, read_lines, read_text

LANGPAIR = "ar-en"
MANIFEST_NAME = "manifest.json"
SOURCE_STEMS = ("src", "source")
REFERENCE_PREFIXES = ("ref", "reference")
DOC_ID_STEMS = ("docid", "docids", "doc_id", "doc_ids")
DOC_ID_COLUMNS = ("docid", "doc_id", "doc")


@dataclass(frozen=True)
class Document:
    """A document of a set: its id and the half-open range of its segments."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, repr=False)
class ReferenceSet:
    """Aligned segments: the Arabic source (if known), each reference stream, document ids.

    ``references`` holds one tuple per reference stream, each with one line per segment, as
    sacrebleu expects. Every document's segments are contiguous.
    """

    sources: tuple[str, ...] | None
    references: tuple[tuple[str, ...], ...]
    doc_ids: tuple[str, ...] | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if not self.references:
            raise InputError(f"{self.name or 'reference set'}: no reference given")
        size = len(self.references[0])
        if size == 0:
            raise InputError(f"{self.name or 'reference set'}: no segments")
        lengths = [("source", self.sources), ("document ids", self.doc_ids),
                   *((f"reference {n + 1}", r) for n, r in enumerate(self.references))]
        for label, lines in lengths:
            if lines is not None and len(lines) != size:
                raise InputError(f"{self.name}: {label} has {len(lines)} lines but reference 1 has "
                                 f"{size}; they must be aligned line by line")
        if self.doc_ids is not None:
            _check_documents_contiguous(self.doc_ids, self.name)

    def __len__(self) -> int:
        return len(self.references[0])

    def __repr__(self) -> str:
        # The segments themselves stay out: a FLORES repr would run to hundreds of kilobytes.
        documents = f", {len(self.documents)} documents" if self.doc_ids is not None else ""
        return (f"ReferenceSet({self.name!r}, {len(self)} segments, "
                f"{len(self.references)} reference{'s' if len(self.references) > 1 else ''}, "
                f"{'with' if self.sources is not None else 'no'} source{documents})")

    def head(self, count: int) -> ReferenceSet:
        """The set's first ``count`` segments (the whole set when it has no more)."""
        if count >= len(self):
            return self
        if count < 1:
            raise InputError(f"{self.name}: take at least one segment, not {count}")
        return ReferenceSet(None if self.sources is None else self.sources[:count],
                            tuple(r[:count] for r in self.references),
                            None if self.doc_ids is None else self.doc_ids[:count],
                            f"{self.name}, first {count} segments")

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents in order; empty when the set has no document ids."""
        if self.doc_ids is None:
            return ()
        documents: list[Document] = []
        start = 0
        for index in range(1, len(self.doc_ids) + 1):
            if index == len(self.doc_ids) or self.doc_ids[index] != self.doc_ids[start]:
                documents.append(Document(self.doc_ids[start], start, index))
                start = index
        return tuple(documents)


def _check_documents_contiguous(doc_ids: Sequence[str], name: str) -> None:
    finished: set[str] = set()
    for line, doc_id in enumerate(doc_ids):
        if line and doc_id != doc_ids[line - 1]:
            finished.add(doc_ids[line - 1])
            if doc_id in finished:
                raise InputError(f"{name}: document {doc_id!r} starts again at segment {line + 1}; "
                                 "keep each document's lines together")


def reference_set_from_files(references: Sequence[str | os.PathLike[str]],
                             source: str | os.PathLike[str] | None = None,
                             doc_ids: str | os.PathLike[str] | None = None,
                             name: str | None = None) -> ReferenceSet:
    """A set from plain text files, one segment per line (the source is optional)."""
    require_references(references)
    return ReferenceSet(
        sources=tuple(read_lines(source)) if source is not None else None,
        references=tuple(tuple(read_lines(path)) for path in references),
        doc_ids=tuple(read_lines(doc_ids)) if doc_ids is not None else None,
        name=name or str(references[0]))


@checked
def load_reference_set(spec: str | os.PathLike[str]) -> ReferenceSet:
    """Read a set from a folder, a manifest, a TSV or JSONL file, or sacrebleu's cache by name."""
    path = Path(spec)
    kind = path_kind(path)
    if kind == FOLDER:
        return _load_folder(path)
    if kind == FILE:
        loader = _FILE_LOADERS.get(path.suffix.lower())
        if loader is None:
            raise InputError(f"{path}: not a reference set",
                             Advice("plain_files", "give a folder, a manifest (.json), a TSV "
                                    "(src<TAB>ref) or a JSONL file, or plain files: {}",
                                    metavar="reference_set_from_files(references, source)"))
        return loader(path)
    return load_sacrebleu_set(str(spec))


def _load_folder(folder: Path) -> ReferenceSet:
    manifest = folder / MANIFEST_NAME
    if manifest.is_file():
        return load_manifest(manifest)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    stem = {p: p.name.split(".")[0].lower() for p in files}
    sources = [p for p in files if stem[p] in SOURCE_STEMS]
    references = [p for p in files if stem[p].startswith(REFERENCE_PREFIXES)]
    doc_ids = [p for p in files if stem[p] in DOC_ID_STEMS]
    if not sources and not references:
        tables = [p for p in files if p.suffix.lower() in (".tsv", ".jsonl")]
        if len(tables) == 1:
            return _FILE_LOADERS[tables[0].suffix.lower()](tables[0])
    if len(sources) != 1 or not references or len(doc_ids) > 1:
        raise InputError(f"{folder}: a reference set folder needs {MANIFEST_NAME}, or one src.* "
                         f"file, one or more ref* files and at most one docids file (found "
                         f"{len(sources)} source, {len(references)} reference, {len(doc_ids)} "
                         "docids files)")
    return reference_set_from_files(references, sources[0], doc_ids[0] if doc_ids else None,
                                    name=folder.name)


def load_manifest(manifest: Path) -> ReferenceSet:
    """Read a JSON manifest naming the source, the references and optional document ids."""
    try:
        record = json.loads(read_text(manifest))
    except json.JSONDecodeError as err:
        raise InputError(f"{manifest}: not valid JSON ({err.msg}, line {err.lineno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{manifest}: a manifest is a JSON object with source and references")
    references = record.get("references", record.get("reference"))
    if isinstance(references, str):
        references = [references]
    if not isinstance(record.get("source"), str) or not references:
        raise InputError(f"{manifest}: a manifest needs \"source\" (a file) and \"references\" "
                         "(a list of files)")
    base = manifest.parent

    def existing(relative: str, role: str) -> Path:
        path = base / relative
        if not path.is_file():
            raise InputError(f"{manifest}: {role} file {relative} not found (looked for {path})")
        return path

    doc_ids = record.get("doc_ids")
    ids: tuple[str, ...] | None = None
    if isinstance(doc_ids, str):
        ids = tuple(read_lines(existing(doc_ids, "doc_ids")))
    elif isinstance(doc_ids, dict):
        ids = _tsv_column(existing(str(doc_ids.get("path")), "doc_ids"), str(doc_ids.get("column")))
    elif doc_ids is not None:
        raise InputError(f"{manifest}: \"doc_ids\" is a file, or {{\"path\", \"column\"}} for a "
                         "TSV with a header")
    return ReferenceSet(
        sources=tuple(read_lines(existing(record["source"], "source"))),
        references=tuple(tuple(read_lines(existing(r, "reference"))) for r in references),
        doc_ids=ids,
        name=str(record.get("name") or manifest.parent.name))


def _tsv_column(path: Path, column: str) -> tuple[str, ...]:
    lines = read_lines(path)
    header = lines[0].split("\t") if lines else []
    if column not in header:
        raise InputError(f"{path}: no column {column!r} in the header; columns are: "
                         f"{', '.join(header)}")
    index = header.index(column)
    return tuple(line.split("\t")[index] for line in lines[1:])


def load_tsv(path: Path) -> ReferenceSet:
    """Read ``src<TAB>ref[<TAB>ref...]`` lines, optionally under a header naming the columns."""
    lines = read_lines(path)
    first = [cell.strip().lower() for cell in lines[0].split("\t")] if lines else []
    has_header = "src" in first and all(
        cell in ("src", "source", *DOC_ID_COLUMNS) or cell.startswith(REFERENCE_PREFIXES)
        for cell in first)
    columns = first if has_header else ["src", *(f"ref{n}" for n in range(len(first) - 1))]
    if len([c for c in columns if c.startswith(REFERENCE_PREFIXES)]) < 1:
        raise InputError(f"{path}: each line needs a source and a reference, separated by a tab")
    rows = []
    for number, line in enumerate(lines[1:] if has_header else lines, start=2 if has_header else 1):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise InputError(f"{path}:{number}: expected {len(columns)} tab-separated columns, "
                             f"found {len(cells)}")
        rows.append(cells)
    ref_columns = [i for i, c in enumerate(columns) if c.startswith(REFERENCE_PREFIXES)]
    src_column = columns.index("src") if "src" in columns else columns.index("source")
    doc_column = next((i for i, c in enumerate(columns) if c in DOC_ID_COLUMNS), None)
    return ReferenceSet(
        sources=tuple(row[src_column] for row in rows),
        references=tuple(tuple(row[i] for row in rows) for i in ref_columns),
        doc_ids=tuple(row[doc_column] for row in rows) if doc_column is not None else None,
        name=path.stem)


def load_jsonl(path: Path) -> ReferenceSet:
    """Read ``{"src": ..., "ref": str or [str, ...], "docid": ...}`` records, one per line."""
    sources: list[str] = []
    references: list[list[str]] = []
    doc_ids: list[str] = []
    for number, record in parse_jsonl(read_text(path), str(path), _reference_problem):
        refs = _references(record)
        if references and len(refs) != len(references[0]):
            raise InputError(f"{path}:{number}: {len(refs)} references, but the first record has "
                             f"{len(references[0])}")
        doc_id = next((record[k] for k in DOC_ID_COLUMNS if k in record), None)
        if (doc_id is None) != (not doc_ids) and sources:
            raise InputError(f"{path}:{number}: give a document id on every record or on none")
        sources.append(record["src"])
        references.append(refs)
        if doc_id is not None:
            doc_ids.append(str(doc_id))
    if not sources:
        raise InputError(f"{path}: no records")
    return ReferenceSet(sources=tuple(sources),
                        references=tuple(zip(*references, strict=True)),
                        doc_ids=tuple(doc_ids) if doc_ids else None,
                        name=path.stem)


def _references(record: dict) -> Any:
    refs = record.get("ref", record.get("refs"))
    return [refs] if isinstance(refs, str) else refs


def _reference_problem(record: Any) -> str | None:
    refs = _references(record) if isinstance(record, dict) else None
    if (not isinstance(record, dict) or not isinstance(record.get("src"), str)
            or not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs)):
        return 'each record needs "src" (a string) and "ref" (a string or a list of strings)'
    return None


_FILE_LOADERS = {".json": load_manifest, ".tsv": load_tsv, ".jsonl": load_jsonl}


def load_sacrebleu_set(name: str, langpair: str = LANGPAIR) -> ReferenceSet:
    """Read a sacrebleu test set from sacrebleu's cache (``$SACREBLEU``, ``~/.sacrebleu``).

    Never downloads: a set that is not cached is an :class:`InputError` that says how to fetch it.
    """
    from sacrebleu.dataset import DATASETS
    from sacrebleu.utils import get_available_testsets_for_langpair

    if name not in DATASETS:
        known = ", ".join(get_available_testsets_for_langpair(langpair))
        raise InputError(f"{name}: no such file or folder, and not a sacrebleu test set; "
                         f"sacrebleu's {langpair} sets are: {known}")
    dataset = DATASETS[name]
    if langpair not in dataset.langpairs:
        known = ", ".join(get_available_testsets_for_langpair(langpair))
        raise InputError(f"sacrebleu test set {name} has no {langpair} data; sets that do: {known}")
    fields = dataset.fieldnames(langpair)
    # get_files() downloads whatever is missing; look in the cache first so we never go online.
    expected = sacrebleu_compat.cached_test_set_files(dataset, langpair, fields)
    if not all(os.path.isfile(p) and os.path.getsize(p) > 0 for p in expected):
        raise InputError(f"sacrebleu test set {name} ({langpair}) is not in sacrebleu's cache "
                         f"({sacrebleu_compat.test_set_cache_folder(dataset)}); fetch it once with "
                         "network access: "
                         f"sacrebleu.utils.get_source_file({name!r}, {langpair!r})")
    files = dict(zip(fields, dataset.get_files(langpair), strict=True))
    return ReferenceSet(
        sources=tuple(read_lines(files["src"])),
        references=tuple(tuple(read_lines(files[f])) for f in fields if f.startswith("ref")),
        doc_ids=tuple(read_lines(files["docid"])) if "docid" in files else None,
        name=f"{name}:{langpair}")
