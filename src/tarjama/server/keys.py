"""API keys from a file, with optional per-key rate limits.

The file has one key per line, optionally followed by the requests per minute it may make
(``KEY 120``); a key without a number is not limited. Blank lines and lines starting with ``#``
are skipped. Keys come in the request as LibreTranslate's ``api_key`` field (JSON or form), the
``api_key`` query parameter, an ``X-API-Key`` header or ``Authorization: Bearer KEY``.
"""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from tarjama.errors import InputError

WINDOW_S = 60.0


@dataclass
class ApiKeys:
    """The keys a server accepts, each with its limit in requests per minute (``None``: none)."""

    limits: dict[str, int | None]
    _recent: dict[str, deque[float]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> ApiKeys:
        """Read a keys file; a line that is not ``KEY`` or ``KEY N`` is an :class:`InputError`."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: cannot read the API keys file ({err})") from None
        limits: dict[str, int | None] = {}
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if len(parts) > 2 or (len(parts) == 2 and not _whole_number_above_0(parts[1])):
                raise InputError(f"{path}, line {number}: expected KEY or KEY REQUESTS_PER_MINUTE "
                                 f"(a whole number above 0), not {line.strip()!r}")
            limits[parts[0]] = int(parts[1]) if len(parts) == 2 else None
        if not limits:
            raise InputError(f"{path}: no API keys in the file; write one key per line")
        return cls(limits)

    def knows(self, key: str | None) -> bool:
        """Whether ``key`` is one of the keys."""
        return key is not None and key in self.limits

    def wait_needed(self, key: str, now: float | None = None) -> float:
        """0 and the request counted, when ``key`` is within its limit; else the seconds until
        its oldest request of the last minute leaves the window."""
        limit = self.limits[key]
        if limit is None:
            return 0.0
        now = time.monotonic() if now is None else now
        recent = self._recent.setdefault(key, deque())
        while recent and recent[0] <= now - WINDOW_S:
            recent.popleft()
        if len(recent) >= limit:
            return max(recent[0] + WINDOW_S - now, 0.001)
        recent.append(now)
        return 0.0


def retry_after(seconds: float) -> str:
    """A Retry-After value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


def _whole_number_above_0(text: str) -> bool:
    # ASCII digits only: str.isdigit takes "²", which int() then refuses.
    return text.isascii() and text.isdigit() and int(text) > 0
