"""`import tarjama` and `tarjama --help` must stay fast: no torch, no transformers, no Ray."""
import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "sacrebleu", "huggingface_hub", "ray", "pyarrow")


@pytest.mark.parametrize("code", [
    "import tarjama",
    "import tarjama.cli",
    "import sys; sys.argv = ['tarjama', '--help']\nfrom tarjama.cli import main\ntry:\n    main()\n"
    "except SystemExit as exit:\n    assert exit.code == 0, exit.code",
    "import sys; sys.argv = ['tarjama', 'translate', '--help']\nfrom tarjama.cli import main\ntry:\n"
    "    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code",
    "import tarjama.scale",
], ids=["import", "import-cli", "help", "translate-help", "import-scale"])
def test_no_heavy_imports(code):
    probe = code + f"\nimport sys\nprint('heavy:', *(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "heavy:", result.stdout


def test_version_prints_the_version_without_heavy_imports():
    probe = ("import sys; sys.argv = ['tarjama', '--version']\nfrom tarjama.cli import main\n"
             "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code in (0, None), exit.code\n"
             f"print('heavy:', *(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    from tarjama._version import __version__
    assert result.stdout.splitlines() == [f"tarjama {__version__}", "heavy:"], result.stdout
