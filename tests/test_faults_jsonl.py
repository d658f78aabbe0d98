"""JSON Lines inputs: one parser for every command, every bad line reported at once, and -f text
for a corpus refused before any work."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.eval.refsets import load_jsonl
from tarjama.eval.rouge import read_summaries
from tarjama.textio import JsonlError, loads_jsonl, parse_jsonl

BAD = '{"a": 1}\n{"a": \n\n[1, 2]\n{"a": 2}\nnot json\n'


def test_fault_jsonl_every_bad_line_at_once():
    with pytest.raises(JsonlError) as info:
        loads_jsonl(BAD, "in.jsonl", lambda r: None if isinstance(r, dict) else "not an object")
    assert info.value.problems == (
        "in.jsonl:2: not valid JSON (Expecting value at column 7)",
        "in.jsonl:4: not an object",
        "in.jsonl:6: not valid JSON (Expecting value at column 1)",
    )
    assert str(info.value).startswith("3 problems: in.jsonl:2: ")
    assert [number for number, _ in parse_jsonl('\n{"a": 1}\r\n\n{"b": 2}\n')] == [2, 4]


def test_fault_jsonl_long_lists_are_cut_to_one_line():
    with pytest.raises(JsonlError) as info:
        loads_jsonl("x\n" * 40, "in.jsonl")
    assert len(info.value.problems) == 40
    assert str(info.value).endswith("; and 35 more") and "\n" not in str(info.value)


@pytest.mark.parametrize("read,content,problem", [
    (load_jsonl, '{"src": "a", "ref": "b"}\n{"src": 1}\n{"src": \n',
     ['refs.jsonl:2: each record needs "src"', "refs.jsonl:3: not valid JSON"]),
    (read_summaries, '{"summary": "a"}\n{"text": "b"}\n{\n',
     ['refs.jsonl:2: expected a JSON object with a "summary" string', "refs.jsonl:3: not valid JSON"]),
], ids=["fault-reference-set", "fault-summaries"])
def test_fault_eval_jsonl_inputs_share_the_parser(tmp_path, read, content, problem):
    path = tmp_path / "refs.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(JsonlError) as info:
        read(path)
    assert len(info.value.problems) == len(problem)
    for want, got in zip(problem, info.value.problems, strict=True):
        assert got.startswith(f"{tmp_path}/{want}"), got


def test_fault_translate_checks_every_input_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.jsonl").write_text('{"id": 1, "text": "قال الرئيس."}\n', encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "text": \n{"id": 2}\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", "good.jsonl", "bad.jsonl", "empty.txt", "-o", "out",
                                      "--model", "/nonexistent"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "bad.jsonl:1: not valid JSON" in line
    assert 'bad.jsonl:2: no "text" string' in line
    assert "empty.txt: is empty" in line
    assert line.endswith("nothing was translated")
    assert not (tmp_path / "out").exists()


def test_fault_format_text_for_a_corpus_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus.jsonl").write_text('{"id": 1, "text": "قال الرئيس."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", "corpus.jsonl", "-f", "text", "--model",
                                      "/nonexistent"])
    assert result.exit_code == 2, result.output
    assert "corpus.jsonl: a JSONL corpus is translated into JSONL" in result.stderr
    assert "leave out --format text" in result.stderr
