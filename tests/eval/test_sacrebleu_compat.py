"""sacrebleu's private API, as tarjama uses it (tarjama/eval/sacrebleu_compat.py).

Each test fails, by name, when a new sacrebleu renames or reshapes one of the private things tarjama
relies on; the message names the function of the compat module to update.
"""
from __future__ import annotations

import pytest

from tarjama.eval import sacrebleu_compat
from tarjama.eval.metrics import METRICS, make_metrics

HYPOTHESES = ["the cat sat on the mat", "a dog barked loudly", "it rained all day"]
REFERENCES = [["the cat sat on a mat", "the dog barked loudly", "it rained the whole day"]]


def test_bootstrap_estimate_is_the_mean_and_half_width_sacrebleu_prints():
    from sacrebleu.metrics import BLEU

    result = BLEU().corpus_score(HYPOTHESES, REFERENCES, n_bootstrap=50)
    mean, ci = sacrebleu_compat.bootstrap_estimate(result)
    # sacrebleu's own text form of the same result: "... (μ = MEAN ± CI) ...".
    assert f"μ = {mean:.1f} ± {ci:.1f}" in result.format(width=1), "update bootstrap_estimate()"


@pytest.mark.parametrize("metric", METRICS, ids=[m.name for m in METRICS])
def test_statistics_hooks_give_the_public_score(metric):
    import numpy as np

    made = metric.make()
    statistics = sacrebleu_compat.extract_statistics(made)(HYPOTHESES, REFERENCES)
    summed = np.array(statistics, dtype=np.int64).sum(axis=0)
    score = sacrebleu_compat.compute_from_statistics(made)(summed).score
    assert score == pytest.approx(made.corpus_score(HYPOTHESES, REFERENCES).score), \
        "update extract_statistics() or compute_from_statistics()"


@pytest.mark.parametrize("metric", METRICS, ids=[m.name for m in METRICS])
def test_results_carry_the_registered_display_name(metric):
    assert metric.make().corpus_score(HYPOTHESES, REFERENCES).name == metric.display_name


def test_paired_test_results_are_keyed_by_display_name():
    from sacrebleu.significance import PairedTest

    metrics = make_metrics()
    systems = [("base", HYPOTHESES), ("other", list(reversed(HYPOTHESES)))]
    signatures, results = PairedTest(systems, metrics, REFERENCES, test_type="ar", n_samples=10)()
    assert {m.display_name for m in METRICS} <= set(results) and set(signatures) <= set(results)


def test_test_set_files_are_where_sacrebleu_looks():
    from sacrebleu.dataset import DATASETS

    dataset = DATASETS["wmt20"]
    langpair = dataset.langpairs and next(iter(dataset.langpairs))
    fields = dataset.fieldnames(langpair)
    paths = sacrebleu_compat.cached_test_set_files(dataset, langpair, fields)
    folder = sacrebleu_compat.test_set_cache_folder(dataset)
    assert len(paths) == len(fields) and all(str(p).startswith(str(folder)) for p in paths)
