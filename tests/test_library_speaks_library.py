"""The library words its errors in API terms; only the command line names its flags (issue 16)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tarjama
from tarjama.cli._common import CLI_SETTINGS, CLI_SWITCHES
from tarjama.errors import InputError

PACKAGE = Path(tarjama.__file__).parent
# A flag of tarjama's command line: `--word`, not the `--` inside a Hub folder name.
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
# Settings a module picks at run time (the model's keyword depends on the task).
CHOSEN_AT_RUN_TIME = {"loading.py": {("model", None), ("summarizer", None),
                                     ("revision", None), ("summarizer_revision", None)}}


def _library_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if "cli" not in path.relative_to(PACKAGE).parts]


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_library_string_names_a_cli_flag():
    found = [f"{path.relative_to(PACKAGE)}:{line}: {FLAG.search(text).group()}"
             for path in _library_modules() for line, text in _string_literals(path)
             if FLAG.search(text)]
    print(f"\nlibrary string literals naming a CLI flag: {len(found)}")
    assert found == []


def _advised_settings() -> set[tuple[str, object]]:
    settings = set()
    for path in _library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Advice":
                setting = node.args[0]
                if not isinstance(setting, ast.Constant):
                    settings |= CHOSEN_AT_RUN_TIME[path.name]
                    continue
                value = next((kw.value for kw in node.keywords if kw.arg == "value"), None)
                settings.add((setting.value, value.value if isinstance(value, ast.Constant) else None))
    return settings


def test_every_setting_the_library_advises_has_a_cli_wording():
    advised = _advised_settings()
    assert advised, "the scan found no Advice at all"
    unworded = sorted(s for s, value in advised
                      if s not in CLI_SETTINGS and (s, value) not in CLI_SWITCHES)
    assert unworded == []


def test_api_error_speaks_api_terms():
    with pytest.raises(InputError) as caught:
        tarjama.evaluate(["a sentence"], [])
    message = str(caught.value)
    assert "references=" in message and "--" not in message


@pytest.mark.parametrize("encoding_bytes,args,cli_words,api_words", [
    ("قال الرئيس".encode("cp1256"), ("--encoding", "utf-8"), "check --encoding NAME", "check encoding=NAME"),
], ids=["wrong-encoding"])
def test_same_error_worded_for_each_interface(tmp_path, encoding_bytes, args, cli_words, api_words):
    path = tmp_path / "article.txt"
    path.write_bytes(encoding_bytes)
    with pytest.raises(InputError) as caught:
        tarjama.textio.read_text(path, encoding="utf-8")
    assert api_words in str(caught.value)
    result = subprocess.run([sys.executable, "-m", "tarjama", "segment", str(path), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert cli_words in result.stderr and "encoding=" not in result.stderr
