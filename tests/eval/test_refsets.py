"""Reading reference sets: every format gives the same segments; bad sets are one-line errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.errors import InputError
from tarjama.eval import ReferenceSet, load_reference_set, load_sacrebleu_set

SOURCES = ("جملة أولى.", "جملة ثانية.", "جملة ثالثة.")
REFS_A = ("First sentence.", "Second sentence.", "Third sentence.")
REFS_B = ("The first sentence.", "The second sentence.", "The third sentence.")
DOCS = ("d1", "d1", "d2")


def _lines(path: Path, lines) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _folder(tmp: Path) -> Path:
    folder = tmp / "myset"
    folder.mkdir()
    _lines(folder / "src.ar", SOURCES)
    _lines(folder / "ref.en", REFS_A)
    _lines(folder / "ref2.en", REFS_B)
    _lines(folder / "docids.txt", DOCS)
    return folder


def _manifest(tmp: Path) -> Path:
    _lines(tmp / "test.ar", SOURCES)
    _lines(tmp / "a.en", REFS_A)
    _lines(tmp / "b.en", REFS_B)
    (tmp / "meta.tsv").write_text("URL\ttopic\n" + "".join(f"{d}\tx\n" for d in DOCS),
                                  encoding="utf-8")
    manifest = tmp / "set.json"
    manifest.write_text(json.dumps({"name": "myset", "source": "test.ar",
                                    "references": ["a.en", "b.en"],
                                    "doc_ids": {"path": "meta.tsv", "column": "URL"}}),
                        encoding="utf-8")
    return manifest


def _tsv_with_header(tmp: Path) -> Path:
    rows = ["src\tref\tref2\tdocid", *("\t".join(r) for r in zip(SOURCES, REFS_A, REFS_B, DOCS, strict=True))]
    return _lines(tmp / "myset.tsv", rows)


def _jsonl(tmp: Path) -> Path:
    records = [json.dumps({"src": s, "ref": [a, b], "docid": d}, ensure_ascii=False)
               for s, a, b, d in zip(SOURCES, REFS_A, REFS_B, DOCS, strict=True)]
    return _lines(tmp / "myset.jsonl", records)


def _folder_with_manifest(tmp: Path) -> Path:
    manifest = _manifest(tmp)
    manifest.rename(tmp / "manifest.json")
    return tmp


@pytest.mark.parametrize("make", [_folder, _manifest, _tsv_with_header, _jsonl,
                                  _folder_with_manifest],
                         ids=["folder", "manifest", "tsv-header", "jsonl", "folder-manifest"])
def test_every_format_reads_the_same_set(tmp_path, make):
    refset = load_reference_set(make(tmp_path))
    assert refset.sources == SOURCES
    assert refset.references == (REFS_A, REFS_B)
    assert refset.doc_ids == DOCS
    assert [(d.doc_id, d.start, d.end) for d in refset.documents] == [("d1", 0, 2), ("d2", 2, 3)]
    assert len(refset) == 3


@pytest.mark.parametrize("content,expected_refs", [
    ("a\tA\nb\tB\n", (("A", "B"),)),
    ("a\tA\tAA\nb\tB\tBB\n", (("A", "B"), ("AA", "BB"))),
], ids=["one-reference", "two-references"])
def test_tsv_without_header(tmp_path, content, expected_refs):
    path = tmp_path / "s.tsv"
    path.write_text(content, encoding="utf-8")
    refset = load_reference_set(path)
    assert refset.sources == ("a", "b") and refset.references == expected_refs
    assert refset.doc_ids is None


def test_jsonl_single_reference_string(tmp_path):
    path = _lines(tmp_path / "s.jsonl", ['{"src": "a", "ref": "A"}', '{"src": "b", "ref": "B"}'])
    assert load_reference_set(path).references == (("A", "B"),)


def _missing(tmp: Path) -> str:
    return str(tmp / "nowhere")


def _manifest_missing_reference(tmp: Path) -> str:
    manifest = _manifest(tmp)
    (tmp / "b.en").unlink()
    return str(manifest)


def _ragged_tsv(tmp: Path) -> str:
    return str(_lines(tmp / "s.tsv", ["a\tA", "b"]))


def _bad_json(tmp: Path) -> str:
    return str(_lines(tmp / "s.jsonl", ['{"src": "a"}']))


def _split_document(tmp: Path) -> str:
    return str(_lines(tmp / "s.tsv", ["src\tref\tdocid", "a\tA\td1", "b\tB\td2", "c\tC\td1"]))


def _plain_text(tmp: Path) -> str:
    return str(_lines(tmp / "s.txt", ["a"]))


def _unaligned_manifest(tmp: Path) -> str:
    manifest = _manifest(tmp)
    _lines(tmp / "b.en", REFS_B[:2])
    return str(manifest)


@pytest.mark.parametrize("make,message", [
    (_missing, "not a sacrebleu test set"),
    (lambda tmp: "wmt99", "not a sacrebleu test set"),
    (lambda tmp: "wmt14", "has no ar-en data"),
    (_manifest_missing_reference, "reference file b.en not found"),
    (_ragged_tsv, "expected 2 tab-separated columns"),
    (_bad_json, "needs \"src\""),
    (_split_document, "starts again at segment 3"),
    (_plain_text, "not a reference set"),
    (_unaligned_manifest, "reference 2 has 2 lines"),
], ids=["missing-path", "unknown-name", "no-ar-en", "manifest-missing-file", "ragged-tsv",
        "jsonl-without-ref", "document-split", "plain-text", "unaligned"])
def test_bad_sets_are_input_errors(tmp_path, make, message):
    with pytest.raises(InputError) as error:
        load_reference_set(make(tmp_path))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.fixture
def sacrebleu_cache(tmp_path, monkeypatch):
    """sacrebleu's iwslt17 set pointed at an empty cache folder."""
    from sacrebleu.dataset import DATASETS

    dataset = DATASETS["iwslt17"]
    monkeypatch.setattr(dataset, "_outdir", str(tmp_path / "iwslt17"))
    monkeypatch.setattr(dataset, "_rawdir", str(tmp_path / "iwslt17" / "raw"))
    return dataset


def test_named_set_not_cached_says_how_to_fetch(sacrebleu_cache):
    with pytest.raises(InputError) as error:
        load_sacrebleu_set("iwslt17")
    assert "sacrebleu.utils.get_source_file('iwslt17', 'ar-en')" in str(error.value)
    assert not Path(sacrebleu_cache._rawdir).exists(), "must not start a download"


def test_named_set_read_from_cache(sacrebleu_cache):
    fields = sacrebleu_cache.fieldnames("ar-en")
    content = {"src": SOURCES, "ref": REFS_A, "docid": DOCS, "genre": ("talk",) * 3,
               "origlang": ("en",) * 3}
    Path(sacrebleu_cache._outdir).mkdir(parents=True)
    for field in fields:
        _lines(Path(sacrebleu_cache._get_txt_file_path("ar-en", field)), content[field])
    refset = load_reference_set("iwslt17")
    assert refset == ReferenceSet(SOURCES, (REFS_A,), DOCS, "iwslt17:ar-en")
