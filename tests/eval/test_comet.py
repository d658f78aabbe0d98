"""COMET through the real loading code, on a tiny COMET-shaped model; clear errors without one."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.errors import InputError
from tarjama.eval import ReferenceSet, evaluate_systems
from tarjama.eval.neural import load_comet

from .files import write_lines, write_set

runner = CliRunner()
SOURCES = ("جملة أولى.", "جملة ثانية.", "جملة ثالثة.", "جملة رابعة.", "جملة خامسة.")
REFERENCES = ("The cat sat on the mat.", "A dog ran in the park.", "Some animals approach cars.",
              "Numbers and words.", "The cat ran.")
OTHER = ("A cat.", "The dog ran in a park.", "Animals.", "Numbers 1 2 3 and words.", "Cat")


@pytest.fixture(scope="module")
def comet_metric(tiny_comet):
    return load_comet(str(tiny_comet))


def test_tiny_comet_scores_with_intervals_and_tests(comet_metric):
    direct = comet_metric.segment_scores(SOURCES, REFERENCES, REFERENCES)
    assert len(direct) == 5 and len(set(direct)) > 1
    refset = ReferenceSet(SOURCES, (REFERENCES,), name="five")
    run = evaluate_systems(refset, {"same": REFERENCES, "other": OTHER, "copy": REFERENCES},
                           n_bootstrap=50, n_trials=50, analyses=False, neural=[comet_metric])
    base, _ = run.results[0].neural["comet"]
    assert base.segments == pytest.approx(direct, abs=1e-6)
    assert base.score == pytest.approx(sum(direct) / 5, abs=1e-4)
    assert base.interval is not None and base.interval[0] <= base.score <= base.interval[1]
    _, other = run.results[1].neural["comet"]
    assert other is not None and other.difference != 0 and 0 < other.p_bootstrap <= 1
    _, copy = run.results[2].neural["comet"]
    assert copy is not None and copy.difference == 0 and not copy.significant
    record = run.scores_record()
    assert record["systems"][1]["metrics"]["comet"]["signature"].startswith("comet:")


def _set_and_other(tmp_path):
    """The set as a TSV file, and the other system's output as a file."""
    return (write_set(tmp_path / "set.tsv", SOURCES, REFERENCES),
            write_lines(tmp_path / "other.en", OTHER))


def test_cli_metric_comet(tiny_comet, tmp_path):
    path, hyp = _set_and_other(tmp_path)
    result = runner.invoke(app, ["eval", "--set", str(path), "--hyp", str(hyp), "--metric",
                                 f"comet={tiny_comet}", "--format", "json", "--bootstrap", "20",
                                 "--no-analyses"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["systems"][0]["metrics"]["comet"]["segment_scores"]) == 5


def test_missing_checkpoints_are_one_line_errors(tmp_path, monkeypatch):
    pytest.importorskip("comet")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    with pytest.raises(InputError, match="not in the Hugging Face cache and HF_HUB_OFFLINE"):
        load_comet("Unbabel/wmt22-comet-da")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no checkpoints/model.ckpt"):
        load_comet(str(tmp_path / "empty"))
    with pytest.raises(InputError, match="not a Hub id"):
        load_comet(str(tmp_path / "missing"))


@pytest.mark.parametrize("spec,message", [
    ("comet=/nowhere/at/all", "no such file or folder"),
    ("bleurt", "unknown metric 'bleurt'"),
])
def test_cli_bad_metric(tmp_path, spec, message):
    pytest.importorskip("comet")
    ref = tmp_path / "r.en"
    ref.write_text("A\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--hyp", str(ref), "--ref", str(ref), "--metric", spec])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_report_shows_comet_beside_the_other_metrics_and_per_sentence(comet_metric, tmp_path):
    from tarjama.eval import write_report

    refset = ReferenceSet(SOURCES, (REFERENCES,), name="five")
    run = evaluate_systems(refset, {"same": REFERENCES, "other": OTHER}, n_bootstrap=50,
                           n_trials=50, neural=[comet_metric])
    html_path, _ = write_report(run, tmp_path)
    page = html_path.read_text(encoding="utf-8")
    base, _ = run.results[0].neural["comet"]
    other, tested = run.results[1].neural["comet"]
    assert tested is not None and base.interval is not None
    # system level: a COMET column with score, interval and tests; its signature
    scores = page.split("<h2>Scores</h2>", 1)[1].split("</table>", 1)[0]
    assert "<th>COMET</th>" in scores
    assert f"{base.score:.4f} <span class=\"ci\">[{base.interval[0]:.4f}, " in scores
    assert f"{other.score:.4f}" in scores and f"AR p={tested.p_ar:.4f}" in scores
    assert f"<code>{base.signature}</code>" in page
    # per sentence: in the sentence view (sortable by its difference) and the worst sentences
    view = page.split('<h2 id="sentences">', 1)[1]
    for line, (mine, theirs) in enumerate(zip(base.segments, other.segments, strict=True)):
        assert f"COMET {mine:.3f}" in view and f"COMET {theirs:.3f}" in view
        assert f'data-ncomet1="{round(theirs - mine, 6)}"' in view, line
    assert '<option value="ncomet1:asc">Δ COMET other - baseline, smallest first</option>' in view
    worst = page.split("worst sentences:", 1)[1].split("</table>", 1)[0]
    assert "<th>COMET</th>" in worst and f"{base.segments[0]:.3f}" in worst


def test_table_shows_comet_interval_to_four_places(tiny_comet, tmp_path):
    path, hyp = _set_and_other(tmp_path)
    args = ["eval", "--set", str(path), "--hyp", str(hyp), "--metric", f"comet={tiny_comet}",
            "--bootstrap", "20", "--no-analyses"]
    table = runner.invoke(app, args, env={"COLUMNS": "200"})
    record = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    low, high = record["systems"][0]["metrics"]["comet"]["interval"]
    assert table.exit_code == 0 and f"[{low:.4f}, {high:.4f}]" in table.stdout
