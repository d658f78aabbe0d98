"""What makes the CTranslate2 backend fast: the thread split measured once per CPU and model (and
the user's override), and batches queued while the last one is handled."""
import json
import logging
import subprocess
import sys
import time

import pytest

from tarjama.backends import GenerationOptions
from tarjama.backends.ctranslate2 import threads as ct2_threads
from tarjama.backends.ctranslate2.backend import CTranslate2Backend
from tarjama.backends.ctranslate2.convert import ensure_converted
from tarjama.backends.ctranslate2.threads import (
    THREADS_FILE,
    candidate_splits,
    choose_split,
    cpu_threads,
)
from tarjama.backends.ctranslate2.threads import machine_busy_cpu_s as real_busy_cpu_s
from tarjama.env import CT2_INTER_THREADS, CT2_INTRA_THREADS
from tarjama.errors import InputError
from tarjama.models import TRANSLATION, resolve_model


@pytest.fixture(scope="module")
def converted(tiny_models):
    """The tiny Marian model's float32 CTranslate2 copy."""
    return ensure_converted(resolve_model(str(tiny_models.marian), TRANSLATION), "float32")


@pytest.fixture
def measuring(monkeypatch, tmp_path):
    """No thread override, an empty cache folder for ct2-threads.json, and a count of the
    measurements made."""
    monkeypatch.delenv(CT2_INTER_THREADS.name, raising=False)
    monkeypatch.delenv(CT2_INTRA_THREADS.name, raising=False)
    monkeypatch.setenv("TARJAMA_CACHE", str(tmp_path))
    monkeypatch.setattr(ct2_threads, "_known", {})
    monkeypatch.setattr(ct2_threads, "usable_cores", lambda: 2)
    monkeypatch.setattr(ct2_threads, "machine_load", lambda: 0.5)
    # Other processes' CPU unknown (as without /proc/stat): the tests' own workers run beside.
    monkeypatch.setattr(ct2_threads, "machine_busy_cpu_s", lambda: None)
    calls = []
    real = ct2_threads._measure_in_child

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(ct2_threads, "_measure_in_child", counted)
    return calls


@pytest.mark.parametrize(("cores", "splits"), [
    (2, [(2, 1), (1, 2)]),
    (4, [(4, 1), (1, 4), (2, 2)]),
    (8, [(8, 1), (1, 8), (2, 4), (4, 2)]),
    (6, [(6, 1), (1, 6), (2, 3), (4, 1)]),
])
def test_candidates_are_all_workers_all_threads_and_halves(cores, splits):
    assert candidate_splits(cores) == splits


@pytest.mark.parametrize("rates,split", [
    ({"2x1": 43.0, "1x2": 45.8}, (2, 1)),
    ({"2x1": 30.0, "1x2": 45.8}, (1, 2)),
    ({"4x1": 40.0, "1x4": 41.0, "2x2": 42.0}, (4, 1)),
    ({"4x1": 20.0, "1x4": 41.0, "2x2": 40.0}, (2, 2)),
])
def test_more_workers_win_unless_clearly_slower(rates, split):
    candidates = [tuple(int(n) for n in name.split("x")) for name in rates]
    assert choose_split(candidates, rates) == split


def test_without_queued_batches_the_fastest_split_wins():
    rates = {"2x1": 43.0, "1x2": 45.8}
    assert choose_split([(2, 1), (1, 2)], rates, queued=False) == (1, 2)


def test_the_measurement_is_announced_once_as_one_time_work(measuring, converted):
    import contextlib

    from tarjama.backends.first_use import first_use_listener

    steps = []

    def listen(what):
        steps.append(what)
        return contextlib.nullcontext()

    with first_use_listener(listen):
        cpu_threads(converted, "float32")
        cpu_threads(converted, "float32")
    assert steps == [f"measuring CTranslate2's fastest thread split on this CPU for {converted.name}"]


def test_the_split_is_measured_once_then_read(measuring, converted, tmp_path):
    split = cpu_threads(converted, "float32")
    assert split in candidate_splits(2)
    assert len(measuring) == 1
    stored = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8"))
    [(key, entry)] = stored.items()
    assert key.endswith(f"|2 cores|{converted.name}")
    assert (entry["inter_threads"], entry["intra_threads"]) == split
    assert set(entry["sentences_per_second"]) == {"2x1", "1x2"}
    # A new process (no memory of this one's measurement) reads the file.
    ct2_threads._known.clear()
    assert cpu_threads(converted, "float32") == split
    assert len(measuring) == 1


def test_a_split_measured_on_a_busy_machine_is_measured_again_once_it_is_quiet(
        measuring, converted, tmp_path, monkeypatch):
    monkeypatch.setattr(ct2_threads, "machine_load", lambda: 7.5)
    split = cpu_threads(converted, "float32")
    [entry] = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8")).values()
    assert (entry["busy"], entry["load"]) == (True, 7.5)
    # A later process on a machine still busy keeps the busy measurement ...
    ct2_threads._known.clear()
    assert cpu_threads(converted, "float32") == split
    assert len(measuring) == 1
    # ... and the first one on a quiet machine measures again, and keeps that.
    monkeypatch.setattr(ct2_threads, "machine_load", lambda: 0.5)
    ct2_threads._known.clear()
    cpu_threads(converted, "float32")
    assert len(measuring) == 2
    [entry] = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8")).values()
    assert (entry["busy"], entry["load"]) == (False, 0.5)
    ct2_threads._known.clear()
    cpu_threads(converted, "float32")
    assert len(measuring) == 2


def test_other_processes_on_the_cores_make_a_measurement_busy(measuring, converted, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(ct2_threads, "machine_busy_cpu_s", real_busy_cpu_s)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        cpu_threads(converted, "float32")
    finally:
        burner.kill()
        burner.wait()
    [entry] = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8")).values()
    # The load average (held at 0.5 here) says quiet; the CPU the burner took says otherwise.
    assert entry["other_processes_cores"] > 0.5
    assert entry["busy"] is True and entry["busy_measurements"] == 1


def test_a_machine_never_quiet_keeps_its_third_busy_measurement(measuring, converted, tmp_path,
                                                                monkeypatch):
    times = iter(range(0, 10_000, 5))  # 5 busy CPU seconds more at each look: never quiet
    monkeypatch.setattr(ct2_threads, "machine_busy_cpu_s", lambda: float(next(times)))
    for _ in range(5):
        ct2_threads._known.clear()
        cpu_threads(converted, "float32")
    assert len(measuring) == ct2_threads.BUSY_REMEASURES
    [entry] = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8")).values()
    assert entry["busy_measurements"] == ct2_threads.BUSY_REMEASURES


@pytest.mark.parametrize("before, after, own_s, wall_s, others", [
    (10.0, 13.0, 1.0, 2.0, 1.0), (10.0, 11.0, 1.5, 1.0, 0.0), (None, 1.0, 1.0, 1.0, None),
    (10.0, None, 1.0, 1.0, None), (10.0, 11.0, 0.0, 0.0, None)])
def test_other_processes_cores(before, after, own_s, wall_s, others):
    assert ct2_threads.others_cores(before, after, wall_s, own_s) == others


def test_a_damaged_file_is_measured_again(measuring, converted, tmp_path):
    (tmp_path / THREADS_FILE).write_text('{"AMD EPYC|2 cores|', encoding="utf-8")
    split = cpu_threads(converted, "float32")
    assert len(measuring) == 1
    stored = json.loads((tmp_path / THREADS_FILE).read_text(encoding="utf-8"))
    assert [(e["inter_threads"], e["intra_threads"]) for e in stored.values()] == [split]


def test_a_split_asked_for_wins_and_nothing_is_measured(measuring, converted, monkeypatch):
    monkeypatch.setattr(ct2_threads, "usable_cores", lambda: 4)
    assert cpu_threads(converted, "float32", inter=1) == (1, 4)
    assert cpu_threads(converted, "float32", inter=1, intra=3) == (1, 3)
    assert cpu_threads(converted, "float32", intra=3) == (1, 3)
    assert cpu_threads(converted, "float32", intra=2) == (2, 2)
    assert measuring == []


@pytest.mark.parametrize(("settings", "variables", "split"), [
    ({"inter_threads": 1, "intra_threads": 1}, {}, (1, 1)),
    ({}, {CT2_INTER_THREADS.name: "1", CT2_INTRA_THREADS.name: "1"}, (1, 1)),
    # The settings' split wins over the variables.
    ({"inter_threads": 2, "intra_threads": 1}, {CT2_INTER_THREADS.name: "1",
                                                CT2_INTRA_THREADS.name: "1"}, (2, 1)),
], ids=["settings", "variables", "settings-over-variables"])
def test_the_loaded_backend_runs_the_split_its_settings_or_the_variables_ask_for(
        measuring, tiny_models, monkeypatch, settings, variables, split):
    from tarjama import ModelSettings

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    backend = ModelSettings(str(tiny_models.marian), backend="ctranslate2", device="cpu",
                            compute_type="float32", **settings).load(TRANSLATION)
    assert (backend.model.num_translators, backend.intra_threads) == split
    assert measuring == []


def test_a_failed_measurement_falls_back_with_a_warning(measuring, converted, tmp_path,
                                                        monkeypatch, caplog):
    def broken(*args):
        raise ValueError("the measuring process failed: Segmentation fault")

    monkeypatch.setattr(ct2_threads, "_measure_in_child", broken)
    with caplog.at_level(logging.WARNING, logger="tarjama"):
        assert cpu_threads(converted, "float32") == (1, 2)
    assert "Segmentation fault" in caplog.text
    assert not (tmp_path / THREADS_FILE).exists()


def test_a_split_far_slower_than_the_best_is_given_up(converted, monkeypatch):
    # Anything slower than the first split is too slow: the child is killed while it times the
    # second, which counts as 0 sentences/s.
    monkeypatch.setattr(ct2_threads, "SLOWER_THAN_BEST", 0)
    monkeypatch.setattr(ct2_threads, "MIN_CANDIDATE_S", 0)
    rates = ct2_threads._measure_in_child(converted, "float32", [(2, 1), (1, 2)])
    assert rates["2x1"] > 0
    assert rates["1x2"] == 0


def test_a_crashing_child_is_a_failed_measurement(converted, tmp_path):
    with pytest.raises(ValueError, match="measuring process failed"):
        ct2_threads._measure_in_child(tmp_path / "no-model-here", "float32", [(2, 1)])


@pytest.mark.parametrize("value", ["0", "two", "-1", "²", "٢", "2.0"])
def test_a_bad_thread_count_variable_is_refused_before_loading(monkeypatch, tiny_models, value):
    from tarjama import ModelSettings

    monkeypatch.setenv(CT2_INTER_THREADS.name, value)
    with pytest.raises(InputError, match=CT2_INTER_THREADS.name):
        ModelSettings(str(tiny_models.marian), backend="ctranslate2").load(TRANSLATION)


def test_queued_batches_give_what_one_batch_at_a_time_gives(tiny_models):
    backend = CTranslate2Backend(resolve_model(str(tiny_models.marian), TRANSLATION),
                                 device="cpu", compute_type="float32")
    options = GenerationOptions(num_beams=1, max_new_tokens=12)
    batches = [["قال المسؤول إن المشروع سيكتمل.", "وصل الوفد."], ["ارتفعت الأسعار."],
               ["جملة أولى.", "جملة ثانية.", "جملة ثالثة."]]
    one_by_one = [backend.generate(batch, options) for batch in batches]
    queued = list(backend.generate_batches((batch, options) for batch in batches))
    assert queued == one_by_one
    assert [len(outputs) for outputs in queued] == [2, 1, 3]
