"""benchmarks/_rounds.py: the interleaved rounds every benchmark times its variants with."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "_rounds.py"
_spec = importlib.util.spec_from_file_location("_rounds", _PATH)
assert _spec is not None and _spec.loader is not None
rounds = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("_rounds", rounds)  # dataclasses look their module up while it loads
_spec.loader.exec_module(rounds)


@pytest.mark.parametrize("variants", ["abcde", "abc", "ab"])
def test_every_round_runs_every_variant_once_and_the_order_changes(variants: str) -> None:
    orders = [rounds.order(list(variants), i) for i in range(3)]
    for each in orders:
        assert sorted(each) == sorted(variants)
    assert orders[0] == list(variants)
    assert orders[1] != orders[0]
    # No variant runs first in every round.
    assert len({each[0] for each in orders}) > 1


def test_spawn_measures_wall_and_cpu_of_the_child_and_reads_its_last_json_line() -> None:
    burn = ("import json, time\n"
            "end = time.process_time() + 0.2\n"
            "while time.process_time() < end: pass\n"
            "print('log line')\n"
            "print(json.dumps({'rate': 4.5}))\n")
    child = rounds.spawn([sys.executable, "-c", burn])
    assert child.data == {"rate": 4.5}
    assert child.cpu_s >= 0.2
    assert child.wall_s >= child.cpu_s * 0.9
    assert child.rss_mb > 1


def test_a_failing_child_stops_the_benchmark_with_its_error() -> None:
    with pytest.raises(SystemExit, match="boom"):
        rounds.spawn([sys.executable, "-c", "import sys; sys.exit('boom')"])


def _child(rate: float, rss: float = 100.0) -> object:
    return rounds.Child(wall_s=1.0, cpu_s=1.0, rss_mb=rss, data={"rate": rate})


def test_ratios_are_taken_within_each_round_and_reported_as_median_with_min_max(capsys) -> None:
    # The machine halves its speed in round 2: the ratio within each round does not move.
    results = rounds.Rounds(
        rounds=[{"b": _child(10), "d": _child(30)}, {"b": _child(5), "d": _child(15)},
                {"b": _child(10), "d": _child(40)}],
        busy=[False, False, False])
    summary = rounds.report(results, {"d/b": lambda r: r["d"].data["rate"] / r["b"].data["rate"]})
    assert summary == {"d/b": (3.0, 3.0, 4.0)}
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["spread (min-max over 3 rounds): d/b=3.00-4.00", "ratios: d/b=3.00"]


def test_without_proc_stat_a_round_above_the_cores_is_busy(capsys, monkeypatch) -> None:
    monkeypatch.setattr(rounds, "busy_cpu_s", lambda: None)
    loads = iter([0.5, 0.7, rounds.cores() + 1.0, 0.4])
    monkeypatch.setattr(rounds, "load", lambda: next(loads))
    rates = {"b": 2.0, "d": 5.0}
    results = rounds.run_rounds(["b", "d"], lambda v: _child(rates[v]), 2,
                                describe=lambda v, child: f"({v})")
    assert results.busy == [False, True]
    assert [sorted(r) for r in results.rounds] == [["b", "d"], ["b", "d"]]
    rounds.report(results, {"d/b": lambda r: r["d"].data["rate"] / r["b"].data["rate"]})
    out = capsys.readouterr().out.splitlines()
    assert any("BUSY" in line and line.startswith("round 2/2") for line in out)
    assert not any("BUSY" in line and line.startswith("round 1/2") for line in out)
    assert "round(s) 2 of 2" in out[-2]
    assert out[-1] == "ratios: d/b=2.50"


def test_a_round_is_busy_when_other_processes_use_the_cores(capsys, monkeypatch) -> None:
    # The machine's busy seconds around each round: round 1 only the variants' own 2 s of CPU,
    # round 2 another 3 s beside them (the rounds' wall time is under a second here).
    machine = iter([100.0, 102.0, 102.0, 107.0])
    monkeypatch.setattr(rounds, "busy_cpu_s", lambda: next(machine))
    monkeypatch.setattr(rounds, "load", lambda: 2.2)
    results = rounds.run_rounds(["b", "d"], lambda v: rounds.Child(0.01, 1.0, 1.0, {}), 2,
                                describe=lambda v, child: f"({v})")
    assert results.busy == [False, True]
    out = capsys.readouterr().out.splitlines()
    after = [line for line in out if " after" in line]
    assert after[0] == "round 1/2: load 2.20 after; other processes used 0.00 cores"
    assert after[1].startswith("round 2/2: load 2.20 after; other processes used ")
    assert "BUSY: other processes used" in after[1]
    assert results.others[0] == 0.0 and results.others[1] > 1.0


def test_other_processes_are_measured_from_the_machine_s_cpu_time() -> None:
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        results = rounds.run_rounds(
            ["idle"], lambda v: rounds.spawn([sys.executable, "-c", "import time; time.sleep(2)"]),
            1, describe=lambda v, child: f"({v})")
    finally:
        burner.kill()
        burner.wait()
    # The burner kept (up to) a core busy while the variant slept.
    [others] = results.others
    assert others is not None and others > 0.5
    assert rounds.others_cores(10.0, 14.0, 2.0, 1.0) == 1.5
    assert rounds.others_cores(10.0, 10.5, 2.0, 1.0) == 0.0
    assert rounds.others_cores(None, 14.0, 2.0, 1.0) is None


def test_rounds_default_to_three_and_two_when_quick() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    rounds.add_options(parser)
    assert rounds.rounds_wanted(parser.parse_args([])) == 3
    assert rounds.rounds_wanted(parser.parse_args(["--quick"])) == 2
    assert rounds.rounds_wanted(parser.parse_args(["--quick", "--rounds", "5"])) == 5
    with pytest.raises(SystemExit, match="at least 1"):
        rounds.rounds_wanted(parser.parse_args(["--rounds", "0"]))
