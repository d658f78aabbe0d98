"""ROUGE of summaries: the numbers are rouge-score's own, the files are read and matched safely."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tarjama.cli.summary_eval import run_summary_eval
from tarjama.errors import InputError
from tarjama.eval.rouge import (
    ROUGE_TYPES,
    align_summaries,
    lines_of_sentences,
    read_summaries,
    score_summaries,
)

HYPOTHESES = [
    "The minister opened a water plant in Cairo on Tuesday. It cost 2.5 million dollars.",
    "Prices of bread rose by 10 percent in Amman.",
    "The talks in Doha ended without an agreement. Both sides blamed each other.",
    "Heavy rains flooded roads in Beirut.",
]
REFERENCES = [
    "A new water plant opened in Cairo. The minister said it cost $2.5m.",
    "Bread prices in Amman climbed 10%.",
    "Talks in Doha collapsed. Each side blamed the other for the failure.",
    "Floods closed the main roads of Beirut after heavy rain.",
]
SECOND_REFERENCES = [
    "Cairo has a new water plant.",
    "Bread prices rose by 10 percent in Amman.",
    "No agreement in Doha.",
    "Rain flooded Beirut roads.",
]


def _direct(hypotheses, reference_sets, stem=True):
    """Mean F-measure x100 straight from rouge_score, sentences on lines as for ROUGE-Lsum."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stem)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for i, hypothesis in enumerate(hypotheses):
        scores = scorer.score_multi([_lines(r[i]) for r in reference_sets], _lines(hypothesis))
        for name in ROUGE_TYPES:
            totals[name] += scores[name].fmeasure
    return {name: 100 * total / len(hypotheses) for name, total in totals.items()}


def _lines(text):
    # These test summaries end their sentences with ". " only, so a plain split finds them.
    return "\n".join(s if s.endswith(".") else s + "." for s in text.rstrip(".").split(". "))


def test_sentences_go_on_lines():
    assert lines_of_sentences(HYPOTHESES[0]) == _lines(HYPOTHESES[0])


@pytest.mark.parametrize("stem", [True, False])
@pytest.mark.parametrize("reference_sets", [[REFERENCES], [REFERENCES, SECOND_REFERENCES]],
                         ids=["one-ref", "two-refs"])
def test_scores_match_rouge_score_called_directly(stem, reference_sets):
    ours = score_summaries(HYPOTHESES, reference_sets, stem=stem, n_bootstrap=200)
    direct = _direct(HYPOTHESES, reference_sets, stem=stem)
    assert list(ours) == list(ROUGE_TYPES)
    for name in ROUGE_TYPES:
        assert ours[name].score == pytest.approx(direct[name], abs=1e-4)
        assert ours[name].low <= ours[name].score <= ours[name].high


def test_lsum_differs_from_l_when_sentences_are_split():
    ours = score_summaries(HYPOTHESES, [REFERENCES], n_bootstrap=10)
    assert ours["rougeLsum"].score != ours["rougeL"].score


def test_signature_and_reproducible_interval():
    first = score_summaries(HYPOTHESES, [REFERENCES], seed=7)
    again = score_summaries(HYPOTHESES, [REFERENCES], seed=7)
    assert first == again
    signature = first["rouge1"].signature
    assert signature.startswith("rouge|nrefs:1|stem:yes|lsum-split:yes|bootstrap:1000|seed:7|")
    assert "|version:0." in signature
    assert score_summaries(HYPOTHESES, [REFERENCES], stem=False)["rouge1"].signature.count("stem:no") == 1


def test_bootstrap_can_be_turned_off():
    scores = score_summaries(HYPOTHESES, [REFERENCES], n_bootstrap=0)
    assert all(s.low is None and s.high is None for s in scores.values())
    assert "|bootstrap:0|" in scores["rouge1"].signature


def test_identical_summaries_score_100():
    scores = score_summaries(REFERENCES, [REFERENCES], n_bootstrap=50)
    assert all(score.score == score.low == score.high == 100 for score in scores.values())


@pytest.mark.parametrize("hypotheses,references,message", [
    (HYPOTHESES, [REFERENCES[:2]], "must be aligned"),
    ([], [[]], "no summaries"),
    (HYPOTHESES, [], "no reference"),
])
def test_bad_input(hypotheses, references, message):
    with pytest.raises(InputError, match=message):
        score_summaries(hypotheses, references)


def test_one_reference_set_not_in_a_list_is_refused_naming_the_argument():
    with pytest.raises(TypeError, match=r"references must be a sequence of a sequence of str, not list"):
        score_summaries(HYPOTHESES, REFERENCES)


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_is_matched_by_id(tmp_path):
    hyp = _jsonl(tmp_path / "hyp.jsonl", [{"id": i, "summary": s} for i, s in enumerate(HYPOTHESES)])
    ref = _jsonl(tmp_path / "ref.jsonl", [{"id": i, "summary": s}
                                          for i, s in reversed(list(enumerate(REFERENCES)))])
    hypotheses, references = align_summaries(read_summaries(hyp), [read_summaries(ref)])
    assert hypotheses == HYPOTHESES and references == [REFERENCES]


def test_jsonl_against_plain_lines_is_matched_by_position(tmp_path):
    hyp = _jsonl(tmp_path / "hyp.jsonl", [{"id": f"a{i}", "summary": s} for i, s in enumerate(HYPOTHESES)])
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(REFERENCES) + "\n", encoding="utf-8")
    hypotheses, references = align_summaries(read_summaries(hyp), [read_summaries(ref)])
    assert hypotheses == HYPOTHESES and references == [REFERENCES]


@pytest.mark.parametrize("hyp_records,ref_records,message", [
    ([{"id": 1, "summary": "a"}, {"id": 2, "summary": "b"}],
     [{"id": 1, "summary": "a"}, {"id": 3, "summary": "c"}], "different ids: 1 only in"),
    ([{"id": 1, "summary": "a"}, {"id": 1, "summary": "b"}],
     [{"id": 1, "summary": "a"}], "duplicate ids"),
    ([{"id": 1, "summary": "a"}, {"summary": "b"}], [{"id": 1, "summary": "a"}], 'have no "id"'),
    ([{"id": 1, "text": "a"}], [{"id": 1, "summary": "a"}], 'a "summary" string'),
], ids=["id-mismatch", "duplicate", "missing-id", "no-summary-field"])
def test_jsonl_problems_are_one_line(tmp_path, hyp_records, ref_records, message):
    hyp = _jsonl(tmp_path / "hyp.jsonl", hyp_records)
    ref = _jsonl(tmp_path / "ref.jsonl", ref_records)
    with pytest.raises(InputError, match=message) as caught:
        align_summaries(read_summaries(hyp), [read_summaries(ref)])
    assert "\n" not in str(caught.value)


def test_plain_files_must_have_as_many_lines(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("a\nb\n", encoding="utf-8")
    ref.write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match="hyp.txt has 2 summaries but .*ref.txt has 1"):
        align_summaries(read_summaries(hyp), [read_summaries(ref)])


@pytest.fixture
def files(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(HYPOTHESES) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REFERENCES) + "\n", encoding="utf-8")
    return hyp, ref


def test_cli_function_json(files, capsys):
    hyp, ref = files
    run_summary_eval([hyp], [ref], "json")
    record = json.loads(capsys.readouterr().out)
    assert list(record) == list(ROUGE_TYPES)
    direct = _direct(HYPOTHESES, [REFERENCES])
    for name in ROUGE_TYPES:
        assert record[name]["score"] == pytest.approx(direct[name], abs=1e-4)
        assert set(record[name]) == {"score", "low", "high", "precision", "recall", "signature"}


def test_cli_function_table_shows_signature(files, capsys):
    hyp, ref = files
    run_summary_eval([hyp], [ref], "table")
    out = capsys.readouterr().out
    assert all(name in out for name in ROUGE_TYPES)
    assert "rouge|nrefs:1|stem:yes|lsum-split:yes" in out


@pytest.mark.parametrize("hyps,refs,kwargs,message", [
    (0, 1, {}, "one --hyp FILE"),
    (2, 1, {}, "one --hyp FILE"),
    (1, 0, {}, "no reference"),
    (1, 1, {"src": Path("test.ar")}, "--src belongs to translation"),
    (1, 1, {"set_": "flores", "model": ["best"]}, "--set, --model belongs"),
])
def test_cli_function_refuses_what_it_cannot_score(files, hyps, refs, kwargs, message):
    hyp, ref = files
    with pytest.raises(InputError, match=message):
        run_summary_eval([hyp] * hyps, [ref] * refs, **kwargs)


def test_rouge_score_is_not_imported_early():
    code = ("import tarjama, tarjama.eval.rouge, tarjama.cli.summary_eval, tarjama.summarization, "
            "tarjama.pipeline\nimport sys\n"
            "print(*(m for m in ('rouge_score', 'nltk', 'numpy', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
