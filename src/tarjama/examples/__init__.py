"""Sample data that ships with tarjama, so examples and notebooks run from any folder.

- ``article_ar.txt``: an Arabic news article written for this project, one paragraph per line;
- ``article_en.txt``: an English reference translation of it, line for line, written for this
  project (not produced by tarjama; not a professional translator's), so that ``tarjama eval``
  can score a translation of the article;
- ``news_ar_en.tsv``: ten Arabic news sentences with an English reference each (``src<TAB>ref``,
  no header line, so ``cut -f1`` gives the sources and ``cut -f2`` the references), a reference
  set for :func:`tarjama.load_reference_set`.

Usage::

    from tarjama import examples
    text = examples.article_ar()
    refset = tarjama.load_reference_set(examples.path("news_ar_en.tsv"))
"""
from __future__ import annotations

from pathlib import Path

_FOLDER = Path(__file__).resolve().parent
NAMES = ("article_ar.txt", "article_en.txt", "news_ar_en.tsv")


def path(name: str) -> Path:
    """The file of the sample named ``name`` (one of :data:`NAMES`)."""
    if name not in NAMES:
        raise ValueError(f"no sample named {name!r}; samples are: {', '.join(NAMES)}")
    return _FOLDER / name


def article_ar() -> str:
    """The sample Arabic news article, one paragraph per line."""
    return path("article_ar.txt").read_text(encoding="utf-8")
