"""The Dockerfile installs as the README says."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_each_pip_step_of_the_dockerfile_is_in_the_readme():
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    steps = re.findall(r"^RUN (pip install .+)$", ROOT.joinpath("Dockerfile").read_text(), re.MULTILINE)
    assert len(steps) == 2
    for step in steps:
        assert step in readme, step
