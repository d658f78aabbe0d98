"""`tarjama translate` with many inputs: files, folders and JSONL corpora, one output each."""
import json
import shutil
import sqlite3
from contextlib import closing

import pytest
from typer.testing import CliRunner

from tarjama.backends.ctranslate2.convert import CT2_SUBDIR
from tarjama.cli import app
from tarjama.env import CACHE
from tarjama.translation.cache import CACHE_FILE

ARTICLE_A = "قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر.\n\nجملة أخيرة.\n"
ARTICLE_B = "افتتحت السلطات محطة جديدة لتحلية المياه.\n"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory, converted_tiny_models):
    """A translation cache of this module's own, holding the session's converted models."""
    cache = tmp_path_factory.mktemp("tarjama-cache")
    shutil.copytree(converted_tiny_models, cache / converted_tiny_models.name)
    return cache


@pytest.fixture()
def run(tiny_models, cache_dir, monkeypatch):
    monkeypatch.setenv(CACHE.name, str(cache_dir))

    def invoke(*args: str):
        return CliRunner().invoke(app, ["translate", *args, "--model", str(tiny_models.marian)])

    return invoke


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    records = [{"id": "x1", "text": ARTICLE_B.strip(), "source": "wire"},
               {"id": 2, "text": ARTICLE_A.strip()}]
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                 for r in records), encoding="utf-8")
    # Markdown is a document format now; a suffix tarjama does not read stays out.
    (folder / "notes.rtf").write_text("not an input\n", encoding="utf-8")
    return folder


def test_several_files_one_output_each(run, inputs, tmp_path):
    out = tmp_path / "out"
    result = run(str(inputs / "a.txt"), str(inputs / "b.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.en.txt", "b.en.txt"]
    for name in ("a", "b"):
        alone = run(str(inputs / f"{name}.txt"))
        assert (out / f"{name}.en.txt").read_text(encoding="utf-8") == alone.stdout


def test_folder_takes_txt_and_jsonl_files(run, inputs, tmp_path):
    out = tmp_path / "out"
    result = run(str(inputs), "-o", str(out), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.en.jsonl", "b.en.jsonl", "corpus.en.jsonl"]
    assert "wrote 3 files" in result.stderr


def test_corpus_records_get_translation_and_flags(run, inputs):
    result = run(str(inputs / "corpus.jsonl"))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["x1", 2]
    assert records[0]["source"] == "wire"
    assert set(records[1]) == {"id", "text", "translation", "flags"}
    alone = run(str(inputs / "a.txt"))
    assert records[1]["translation"] + "\n" == alone.stdout
    assert records[1]["text"] == ARTICLE_A.strip()


@pytest.mark.parametrize("make_args,message", [
    (lambda d: [str(d / "a.txt"), str(d / "b.txt")], "several inputs need -o OUTDIR"),
    (lambda d: [str(d / "a.txt"), "-", "-o", str(d / "o")], "can only be translated on its own"),
    (lambda d: [str(d / "a.txt"), str(d / "b.txt"), "-o", str(d / "a.txt")], "is a file"),
    (lambda d: [str(d / "a.txt"), str(d / "sub" / "a.txt"), "-o", str(d / "o")],
     "would both be written to"),
    (lambda d: [str(d / "bad.jsonl")], 'bad.jsonl:1: no "text" string'),
    (lambda d: [str(d / "sub" / "empty")], "no .txt, .jsonl, .html"),
], ids=["no-outdir", "stdin-among-many", "outdir-is-file", "same-name", "bad-corpus", "empty-folder"])
def test_bad_many_input_usage_is_one_line_exit_2(run, inputs, make_args, message):
    (inputs / "sub" / "empty").mkdir(parents=True)
    (inputs / "sub" / "a.txt").write_text(ARTICLE_B, encoding="utf-8")
    (inputs / "bad.jsonl").write_text('{"id": 1, "body": "x"}\n', encoding="utf-8")
    result = run(*make_args(inputs))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_rerun_reads_the_cache_and_no_cache_writes_none(run, inputs, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE.name, str(tmp_path / "own-cache"))
    first = run(str(inputs / "a.txt"))
    assert first.exit_code == 0, first.output
    # Mark every cached translation: a rerun that prints the marks read them from the cache. (Its
    # score row names the translation it scores, so it is marked too, or the row is not reused.)
    with closing(sqlite3.connect(tmp_path / "own-cache" / CACHE_FILE)) as db, db:
        marked = db.execute("UPDATE translations SET translation = 'CACHED ' || translation").rowcount
        db.execute("UPDATE scores SET translation = 'CACHED ' || translation")
    assert marked > 0
    again = run(str(inputs / "a.txt"))
    assert again.exit_code == 0, again.output
    lines = [line for line in again.stdout.splitlines() if line.strip()]
    assert lines and all(line.startswith("CACHED ") for line in lines), again.stdout
    fresh = tmp_path / "fresh-cache"
    monkeypatch.setenv(CACHE.name, str(fresh))
    result = run(str(inputs / "b.txt"), "--no-cache")
    assert result.exit_code == 0, result.output
    assert not (fresh / CACHE_FILE).exists()


@pytest.mark.parametrize("backend,converts", [("torch", False), ("auto", True)])
def test_backend_from_the_command_line_is_the_one_that_runs(run, inputs, tmp_path, monkeypatch,
                                                            backend, converts):
    # Only the ctranslate2 backend converts the model: an empty cache tells which backend ran.
    monkeypatch.setenv(CACHE.name, str(tmp_path / "fresh"))
    result = run(str(inputs / "b.txt"), "--backend", backend, "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert (tmp_path / "fresh" / CT2_SUBDIR).is_dir() == converts


def test_html_remnants_reach_the_model_as_the_plain_sentence(run, tmp_path):
    # The bad-input table's html-translate case can only show model noise; this is what it means.
    html, plain = tmp_path / "scraped.txt", tmp_path / "plain.txt"
    html.write_text("<p>قال الرئيس&nbsp;إن الاجتماع كان ناجحا.</p><br/>\n", encoding="utf-8")
    plain.write_text("قال الرئيس إن الاجتماع كان ناجحا.\n", encoding="utf-8")
    from_html, from_plain = run(str(html), "--no-cache"), run(str(plain), "--no-cache")
    assert from_html.exit_code == from_plain.exit_code == 0
    assert from_html.stdout.strip() and from_html.stdout == from_plain.stdout
