"""tarjama.eval has no import circle (type-only imports aside), even through a function's import."""
from __future__ import annotations

import ast
from pathlib import Path

import tarjama.eval

PACKAGE = Path(tarjama.eval.__file__).parent


def _runtime_imports(path: Path) -> set[str]:
    """Modules of tarjama.eval that ``path`` imports outside ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                 for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "tarjama.eval":
                found.update(f"tarjama.eval.{alias.name}" for alias in node.names)
            elif node.module.startswith("tarjama.eval."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tarjama.eval."))
    return {name for name in found if (PACKAGE / f"{name.rsplit('.', 1)[1]}.py").is_file()}


def test_no_import_circle_in_eval():
    graph = {f"tarjama.eval.{p.stem}": _runtime_imports(p) for p in PACKAGE.glob("*.py")
             if p.stem != "__init__"}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, {name}))
    assert not circles, f"import circles through: {circles}"
    assert "tarjama.eval.run" not in graph["tarjama.eval.report"]
