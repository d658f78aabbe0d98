"""Results as tables for notebooks: HTML for ``_repr_html_``, and pandas DataFrames.

Every text is HTML-escaped; Arabic columns are set right to left. pandas is imported only when a
DataFrame is asked for, so ``import tarjama`` never loads it.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

# Inline styles: a notebook has no stylesheet of ours, and an exported page must look the same.
_CELL = 'style="text-align: left; vertical-align: top; white-space: pre-wrap; overflow-wrap: anywhere"'
_RTL_CELL = ('dir="rtl" lang="ar" style="text-align: right; vertical-align: top; '
             'font-family: \'Noto Naskh Arabic\', \'Noto Sans Arabic\', serif; font-size: 1.1em"')
FLAG_STYLE = "color: #a15c00; font-weight: 600"


def escape(value: object) -> str:
    """``value`` as text, safe inside HTML (quotes too)."""
    return html.escape(str(value), quote=True)


def html_table(columns: Sequence[str], rows: Iterable[Sequence[object]], *,
               rtl: Iterable[str] = (), raw: Iterable[str] = ()) -> str:
    """An HTML table; columns named in ``rtl`` are Arabic (right to left), those in ``raw`` hold
    HTML already escaped by the caller."""
    rtl, raw = set(rtl), set(raw)
    head = "".join(f'<th style="text-align: {"right" if c in rtl else "left"}">{escape(c)}</th>'
                   for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f"<td {_RTL_CELL if c in rtl else _CELL}>"
            f"{value if c in raw else escape(value)}</td>"
            for c, value in zip(columns, row, strict=True)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def data_frame(records: list[dict[str, Any]], columns: Sequence[str] | None = None) -> Any:
    """A pandas DataFrame of ``records``; an ImportError saying how to install pandas if it is
    missing."""
    try:
        import pandas
    except ImportError:
        raise ImportError("to_pandas() needs pandas, which is not installed: pip install pandas") \
            from None
    return pandas.DataFrame.from_records(records, columns=columns)


def preview(text: str, limit: int = 60) -> str:
    """The start of ``text`` on one line, for a short ``repr``."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"
