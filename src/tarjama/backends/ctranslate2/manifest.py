"""The checksums of a converted model, written when it is converted and checked when it is loaded.

A converted copy lives in a cache the user never looks at, so damage there (a disk error, a copy
cut short, a stray write) would otherwise go unnoticed and change translations silently. The
manifest records the size, modification time and SHA-256 of every file of the folder.

Checking hashes a file only when its size is right but its modification time is not the one
recorded. Hashing every file on every run would be a second pass over bytes the load itself reads
once, a noticeable share of a load (measured: see benchmarks/RESULTS.md#model-manifest). Comparing
sizes and times costs one ``stat`` per file, and damage written by a program (a stray write, a copy
cut short) changes the time or the size. What this misses is damage that keeps both, such as bit rot
on the disk.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_NAME = "tarjama-manifest.json"
MANIFEST_VERSION = 1
_CHUNK_BYTES = 1 << 20


def write_manifest(folder: Path) -> None:
    """Record the checksum of every file under ``folder``; run last, when nothing else is written."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST_NAME):
        stat = path.stat()
        files[path.relative_to(folder).as_posix()] = {
            "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path)}
    manifest = {"version": MANIFEST_VERSION, "files": files}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def manifest_problem(folder: Path) -> str | None:
    """What is wrong with the converted copy in ``folder`` (naming the file), or ``None`` if whole."""
    manifest_path = folder / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("version") != MANIFEST_VERSION:
            return f"{manifest_path} is of another version"
        entries = [(name, int(e["size"]), int(e["mtime_ns"]), str(e["sha256"]))
                   for name, e in manifest["files"].items()]
    except FileNotFoundError:
        return f"{manifest_path} is missing (an older tarjama or an unfinished conversion)"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"{manifest_path} is unreadable"
    for name, size, mtime_ns, sha256 in entries:
        path = folder / name
        try:
            stat = path.stat()
        except FileNotFoundError:
            return f"{path} is missing"
        if stat.st_size != size:
            return f"{path} has {stat.st_size} bytes, {size} when converted"
        if stat.st_mtime_ns != mtime_ns and _sha256(path) != sha256:
            return f"{path} does not match the checksum recorded when it was converted"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
