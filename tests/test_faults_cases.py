"""Every fault of ``fault_cases.FAULT_CASES``, made for real and run as a real process."""
from __future__ import annotations

from pathlib import Path

import pytest

from fault_cases import FAULT_CASES, FaultCase, Place, Unavailable, ct2_seed, message_lines, run_case


@pytest.fixture(scope="module")
def seed(tiny_models, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ct2_seed(tiny_models.marian, tmp_path_factory.mktemp("ct2-seed"))


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in FAULT_CASES])
def test_fault_case(case: FaultCase, tiny_models, seed: Path, tmp_path: Path):
    place = Place(tmp_path / "case", tiny_models.marian, tiny_models.summarizer, seed)
    try:
        seen, kept = run_case(case, place)
    except Unavailable as reason:
        pytest.skip(str(reason))
    print(f"exit {seen.exit_code}; stderr: {seen.stderr.strip()!r}; kept: {kept}")
    assert seen.exit_code == case.exit_code, seen.stderr
    assert "Traceback" not in seen.stderr
    assert case.expect in seen.stderr
    if case.exit_code:
        assert len(message_lines(seen.stderr)) == 1, seen.stderr
