"""``tarjama eval-backends`` on the tiny Marian model: every variant really loaded and run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tarjama.backends.settings import ModelSettings
from tarjama.cli import app
from tarjama.errors import InputError, TarjamaError
from tarjama.eval import load_reference_set
from tarjama.eval.compute_check import Variant, changed_lines, compare_computes, parse_variant
from tarjama.translation import Translator
from tarjama.translation.settings import TranslatorSettings

from .files import write_set

runner = CliRunner()
FAST = ["--bootstrap", "20", "--ar-trials", "20"]
SOURCES = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر.",
           "ارتفعت الأسعار في الأسواق.", "زار الوزير المدينة أمس.", "هطلت أمطار غزيرة.",
           "افتتحت المدرسة الجديدة."]
REFERENCES = ["The president said the meeting was a success.", "He added that work would go on.",
              "Prices rose in the markets.", "The minister visited the city yesterday.",
              "Heavy rain fell.", "The new school opened."]
INT8 = Variant("ctranslate2", "int8")
FLOAT32 = Variant("ctranslate2", "float32")


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    return write_set(tmp_path_factory.mktemp("set") / "news.tsv", SOURCES, REFERENCES)


def _direct(model: Path, variant: Variant, sources: list[str]) -> list[str]:
    """The variant's translation, made outside the comparison."""
    settings = ModelSettings(str(model), backend=variant.backend, compute_type=variant.compute_type)
    return Translator(settings).translate_sentences(sources)


def test_compare_computes_translates_each_variant_as_it_runs_alone(small_set, tiny_models):
    refset = load_reference_set(small_set)
    seen: list[tuple[str, int, int]] = []
    run = compare_computes(refset, TranslatorSettings(ModelSettings(str(tiny_models.marian))),
                           [FLOAT32, INT8], n_bootstrap=20, n_trials=20, segments=4,
                           progress=lambda label, done, total: seen.append((label, done, total)))
    assert len(run.refset) == 4 and run.refset.sources == tuple(SOURCES[:4])
    assert [r.system.name for r in run.results] == ["ctranslate2 float32", "ctranslate2 int8"]
    for result, variant in zip(run.results, (FLOAT32, INT8), strict=True):
        assert list(result.system.hypotheses) == _direct(tiny_models.marian, variant, SOURCES[:4])
    changed = sum(a != b for a, b in zip(*(r.system.hypotheses for r in run.results), strict=True))
    assert changed_lines(run, 1) == changed
    paired = run.results[1].paired
    assert paired is not None and run.results[1].identical_to_baseline == (changed == 0)
    assert paired["bleu"].difference == pytest.approx(
        run.results[1].scores["bleu"].score - run.results[0].scores["bleu"].score, abs=1e-3)
    for label in ("ctranslate2 float32", "ctranslate2 int8"):
        assert (label, 0, 4) in seen and (label, 4, 4) in seen


def test_cli_compares_every_default_variant(small_set, tiny_models, tmp_path):
    pytest.importorskip("torch")
    report = tmp_path / "report"
    result = runner.invoke(app, ["eval-backends", "--set", str(small_set), "--model",
                                 str(tiny_models.marian), "--format", "json", "--report",
                                 str(report), *FAST])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["format"] == 2 and record["segments"] == len(SOURCES)
    rows = record["comparisons"]
    assert [row["variant"] for row in rows] == ["ctranslate2 int8", "torch float32"]
    for row in rows:
        assert row["baseline"] == "ctranslate2 float32"
        assert 0 <= row["changed_segments"] <= len(SOURCES)
        assert set(row["metrics"]) == {"bleu", "chrf", "chrf++", "ter"}
        for metric in row["metrics"].values():
            assert metric["difference"] == pytest.approx(metric["score"] - metric["baseline"],
                                                         abs=1e-3)
            assert 0 < metric["p_bootstrap"] <= 1 and 0 < metric["p_ar"] <= 1
        for lost in row["lost_most"]:
            line = lost["line"] - 1
            assert lost["difference"] < 0 and lost["source"] == SOURCES[line]
            assert lost["reference"] == REFERENCES[line]
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in results["systems"]] == ["ctranslate2 float32", "ctranslate2 int8",
                                                       "torch float32"]
    # one line as each variant starts and ends, terminal or not
    for label in ("ctranslate2 float32", "ctranslate2 int8", "torch float32"):
        assert f"{label}: translating {len(SOURCES)} segments" in result.stderr
        assert result.stderr.count(f"{label}: {len(SOURCES)} segments translated in") == 1


def test_cli_table_with_chosen_variants_and_fewer_segments(small_set, tiny_models):
    args = ["eval-backends", "--set", str(small_set), "--model", str(tiny_models.marian),
            "--variant", "ctranslate2:int8", "--variant", "ctranslate2:float32", "--segments", "3",
            *FAST]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Against ctranslate2 int8" in result.stdout and "(3 segments)" in result.stdout
    assert "ctranslate2 float32" in result.stdout and "torch" not in result.stdout
    [row] = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)["comparisons"]
    assert f"{row['changed_segments']}/3" in result.stdout
    # the sentences the variant lost most on, each with its line and difference, else no table
    assert ("Where ctranslate2 float32 lost most" in result.stdout) == bool(row["lost_most"])
    table = result.stdout.partition("lost most")[2]
    for lost in row["lost_most"]:
        assert f"│ {lost['line']}" in table and f"{lost['difference']:+.2f}" in table


@pytest.mark.parametrize("args,message", [
    (["--variant", "int8", "--variant", "ctranslate2:float32"],
     "variant 'int8': write it as BACKEND:COMPUTE_TYPE"),
    (["--variant", "ctranslate2:int9", "--variant", "ctranslate2:float32"],
     "variant 'ctranslate2:int9': unknown compute type 'int9'"),
    (["--variant", "torch:int8", "--variant", "ctranslate2:float32"],
     "variant 'torch:int8': the torch backend runs float32, float16, bfloat16, not int8"),
    (["--variant", "ctranslate2:auto", "--variant", "ctranslate2:float32"], "not auto"),
    (["--variant", "ctranslate2:int8", "--variant", "ctranslate2:int8"],
     "a variant is given twice"),
    (["--variant", "ctranslate2:int8"], "only one variant (ctranslate2 int8) to compare"),
    ([], "no reference set: give --set SET"),
])
def test_bad_variants_and_sets_are_one_line_errors(small_set, tiny_models, args, message):
    with_set = [] if not args else ["--set", str(small_set)]
    result = runner.invoke(app, ["eval-backends", *with_set, "--model", str(tiny_models.marian),
                                 *args, *FAST])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_set_without_source_is_refused_before_any_model_loads():
    from tarjama.eval import ReferenceSet

    refset = ReferenceSet(None, (tuple(REFERENCES),), name="refs only")
    settings = TranslatorSettings(ModelSettings("/no/model/here"))
    with pytest.raises(InputError, match="refs only: the set has no source to translate"):
        compare_computes(refset, settings, [FLOAT32, INT8])


def test_parse_variant_takes_backend_and_compute_type():
    assert parse_variant("torch:bfloat16") == Variant("torch", "bfloat16")
    with pytest.raises(InputError, match="unknown backend 'onnx'"):
        parse_variant("onnx:int8")


def test_a_variant_that_cannot_run_here_is_skipped_and_the_others_compared(small_set, tiny_models,
                                                                          caplog):
    ctranslate2 = pytest.importorskip("ctranslate2")
    missing = [t for t in ("bfloat16", "float16", "int8_float16")
               if t not in ctranslate2.get_supported_compute_types("cpu")]
    if not missing:
        pytest.skip("this CTranslate2 build runs every compute type on the CPU")
    lacking = Variant("ctranslate2", missing[0])
    refset = load_reference_set(small_set)
    settings = TranslatorSettings(ModelSettings(str(tiny_models.marian), device="cpu"))
    run = compare_computes(refset, settings, [FLOAT32, INT8, lacking], n_bootstrap=20,
                           n_trials=20, segments=2)
    assert [r.system.name for r in run.results] == ["ctranslate2 float32", "ctranslate2 int8"]
    assert f"{lacking.label}: skipped, it cannot run here" in caplog.text
    with pytest.raises(TarjamaError, match=missing[0]):  # nothing left to compare: the error itself
        compare_computes(refset, settings, [FLOAT32, lacking], segments=2)
