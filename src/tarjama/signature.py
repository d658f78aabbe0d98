"""Signatures: everything that reproduces a result, written as sacrebleu writes its own.

``model:Helsinki-NLP/opus-mt-tc-big-ar-en@abc123|backend:ctranslate2|…|tarjama:0.4.0``: an optional
leading name, then ``key:value`` fields in a fixed order. Translations, summaries and ROUGE scores
build theirs with :class:`Signature`, and anything that reads one back uses :meth:`Signature.parse`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tarjama._version import __version__

if TYPE_CHECKING:
    from tarjama.backends.base import Seq2SeqBackend


@dataclass(frozen=True)
class Signature:
    """An ordered set of ``key:value`` fields, with an optional leading name (``rouge|…``)."""

    fields: tuple[tuple[str, str], ...]
    name: str = ""

    @classmethod
    def of(cls, fields: Iterable[tuple[str, object]], name: str = "") -> Signature:
        """A signature of ``fields`` in the order given, each value as text."""
        return cls(tuple((key, str(value)) for key, value in fields), name)

    @classmethod
    def parse(cls, text: str) -> Signature:
        """The signature that :meth:`__str__` wrote as ``text``."""
        parts = text.split("|")
        name = "" if ":" in parts[0] else parts.pop(0)
        return cls(tuple((key, value) for key, _, value in (p.partition(":") for p in parts)), name)

    def __str__(self) -> str:
        return "|".join(([self.name] if self.name else []) + [f"{k}:{v}" for k, v in self.fields])

    def __getitem__(self, key: str) -> str:
        for field_key, value in self.fields:
            if field_key == key:
                return value
        raise KeyError(key)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of ``key``, or ``default`` when the signature has no such field."""
        try:
            return self[key]
        except KeyError:
            return default

    def plus(self, fields: Iterable[tuple[str, object]]) -> Signature:
        """This signature with ``fields`` added at the end."""
        return Signature(self.fields + Signature.of(fields).fields, self.name)


def model_fields(backend: Seq2SeqBackend, beams: int) -> tuple[tuple[str, object], ...]:
    """The fields that say which model ran, where and how: model, backend, device, compute, beams."""
    return (("model", backend.source.label), ("backend", backend.name), ("device", backend.device),
            ("compute", backend.compute_type), ("beams", beams))


def version_fields(segmenter_version: str) -> tuple[tuple[str, str], ...]:
    """The closing fields of every tarjama signature: the segmenter's and tarjama's versions."""
    return (("segmenter", segmenter_version), ("tarjama", __version__))
