"""Scores must equal what sacrebleu and OPUS-MT published, not what we computed before."""
import json

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.eval import score_corpus

runner = CliRunner()


def test_published_opus_mt_scores_reproduced(shared_data):
    hyp = shared_data / "opusmt-ara-eng-flores200-output" / "flores200-devtest.ara-eng.output"
    ref = shared_data / "flores200" / "eng_Latn.devtest"
    result = runner.invoke(app, ["eval", "--hyp", str(hyp), "--ref", str(ref), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["systems"][0]["metrics"]
    # Published in flores200-devtest.ara-eng.eval: BLEU 35.3, chrF2 0.61552, chrF2++ 0.59607.
    assert round(scores["bleu"]["score"], 1) == 35.3
    assert round(scores["chrf"]["score"], 2) == 61.55
    assert round(scores["chrf++"]["score"], 2) == 59.61
    assert scores["bleu"]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp")
    assert "nw:2" in scores["chrf++"]["signature"]
    assert 0 < scores["ter"]["score"] < 100


@pytest.mark.parametrize("hyp,refs,expected", [
    (["the cat sat on the mat"], [["the cat sat on the mat"]], {"bleu": 100.0, "chrf": 100.0, "ter": 0.0}),
    (["a b c d"], [["w x y z"]], {"bleu": 0.0, "ter": 100.0}),
    (["the cat sat on a mat"], [["the dog sat"], ["the cat sat on a mat"]], {"bleu": 100.0}),
], ids=["identical", "disjoint", "second-reference-matches"])
def test_corner_cases(hyp, refs, expected):
    scores = score_corpus(hyp, refs)
    for name, value in expected.items():
        assert scores[name].score == pytest.approx(value)


def test_mismatched_line_counts_is_one_line_error(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("one\ntwo\n", encoding="utf-8")
    ref.write_text("one\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--hyp", str(hyp), "--ref", str(ref)])
    assert result.exit_code == 2
    assert "has 2 lines but" in result.output and "has 1" in result.output
    assert "Traceback" not in result.output


def test_hyp_and_src_are_exclusive(tmp_path):
    ref = tmp_path / "ref.txt"
    ref.write_text("x\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--ref", str(ref)])
    assert result.exit_code == 2
    assert "either --hyp" in result.output


def test_translate_system_is_a_library_call_notebooks_can_make(tiny_models):
    from tarjama.eval import translate_system
    from tarjama.signature import Signature
    from tarjama.translation import Translator

    sources = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر."]
    translator = Translator(str(tiny_models.marian), backend="torch")
    seen = []
    system = translate_system(translator, sources,
                              progress=lambda done, total: seen.append((done, total)))
    assert len(system.hypotheses) == len(sources) and all(system.hypotheses)
    assert system.name.endswith("marian-tiny@local") and system.translated
    assert Signature.parse(system.signature)["backend"] == "torch"
    assert seen and seen[-1][0] == seen[-1][1]
    assert system.hypotheses == tuple(translator.translate_sentences(sources))
