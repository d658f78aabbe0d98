"""What a translation run returns: every sentence with its place in the document."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tarjama._tables import FLAG_STYLE, data_frame, escape, html_table, preview
from tarjama.language import NOT_ARABIC
from tarjama.terms.glossary import TermUse
from tarjama.terms.names import NameChange

if TYPE_CHECKING:
    from tarjama.backends import DetailedOutput

RECORD_COLUMNS = ("paragraph", "sentence", "source", "translation", "flags", "confidence", "terms",
                  "names")
#: The fields a translated corpus record gets, beside its own (``id``, ``text``, ...): the English
#: document, and the integrity flags of its sentences. The command line's JSONL output and the Ray
#: engine's shards both write them with :meth:`Translation.corpus_fields`.
TRANSLATION_COLUMN = "translation"
FLAGS_COLUMN = "flags"
CORPUS_COLUMNS = (TRANSLATION_COLUMN, FLAGS_COLUMN)


@dataclass(frozen=True)
class SentenceOutput:
    """What translating one sentence gives: the English, its flags, the glossary terms applied,
    its confidence, and (when asked for and one generation wrote it whole) the generation's
    tokens and cross-attention, ``detail``."""

    translation: str
    flags: tuple[str, ...] = ()
    terms: tuple[TermUse, ...] = ()
    confidence: float | None = None
    names: tuple[NameChange, ...] = ()
    detail: DetailedOutput | None = field(default=None, compare=False, repr=False)

    def placed(self, paragraph: int, index: int, source: str) -> TranslatedSentence:
        """This output as the sentence ``index`` of paragraph ``paragraph``, from ``source``."""
        return TranslatedSentence(paragraph, index, source, self.translation, self.flags,
                                  self.terms, self.confidence, self.names)


@dataclass(frozen=True)
class TranslatedSentence:
    """One source sentence and its translation; ``paragraph`` and ``index`` locate it.

    ``confidence`` (0 to 1, ``None`` when the sentence was not translated) is the model's own
    length-normalised probability of its translation, see :mod:`tarjama.translation.confidence`;
    ``terms`` are the glossary terms applied; ``names`` the names rendered as elsewhere in the
    document (see :mod:`tarjama.terms.names`).
    """

    paragraph: int
    index: int
    source: str
    translation: str
    flags: tuple[str, ...] = ()
    terms: tuple[TermUse, ...] = ()
    confidence: float | None = None
    names: tuple[NameChange, ...] = ()

    def to_record(self) -> dict[str, object]:
        """The JSONL record of this sentence."""
        return {"paragraph": self.paragraph, "sentence": self.index, "source": self.source,
                "translation": self.translation, "flags": list(self.flags),
                "confidence": self.confidence, "terms": [use.to_record() for use in self.terms],
                "names": [change.to_record() for change in self.names]}


@dataclass(frozen=True, repr=False)
class Translation:
    """A translated document: its sentences in order, and how many paragraphs it had.

    In a notebook it shows as a table, the Arabic right to left beside the English, with each
    sentence's integrity flags; ``to_pandas()`` gives the same rows as a DataFrame.
    """

    sentences: tuple[TranslatedSentence, ...]
    paragraph_count: int
    signature: str = field(default="")

    @property
    def text(self) -> str:
        """The English document: one line per source paragraph, sentences joined by a space."""
        lines: list[list[str]] = [[] for _ in range(self.paragraph_count)]
        for sentence in self.sentences:
            lines[sentence.paragraph].append(sentence.translation)
        return "\n".join(" ".join(parts) for parts in lines)

    @property
    def flags(self) -> tuple[str, ...]:
        """Every integrity flag of the document's sentences, once each, in the order first met."""
        return tuple(dict.fromkeys(flag for sentence in self.sentences for flag in sentence.flags))

    def corpus_fields(self) -> dict[str, object]:
        """What a translated corpus record gets (:data:`CORPUS_COLUMNS`): the English document
        and its flags, as plain values."""
        return {TRANSLATION_COLUMN: self.text, FLAGS_COLUMN: list(self.flags)}

    def to_jsonl(self) -> str:
        """One JSON record per sentence, each on its own line."""
        return "".join(json.dumps(s.to_record(), ensure_ascii=False) + "\n" for s in self.sentences)

    @property
    def flagged(self) -> tuple[TranslatedSentence, ...]:
        """The sentences the integrity guard flagged."""
        return tuple(s for s in self.sentences if s.flags)

    def to_records(self) -> list[dict[str, object]]:
        """One plain record per sentence, as in :meth:`to_jsonl`."""
        return [s.to_record() for s in self.sentences]

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per sentence (needs pandas)."""
        return data_frame(self.to_records(), RECORD_COLUMNS)

    def __repr__(self) -> str:
        return (f"Translation({len(self.sentences)} sentences, {self.paragraph_count} paragraphs, "
                f"{len(self.flagged)} flagged, text={preview(self.text)!r})")

    def _repr_html_(self) -> str:
        flagged = len(self.flagged)
        summary = (f"<p><b>Translation</b>: {len(self.sentences)} sentences in "
                   f"{self.paragraph_count} paragraphs, "
                   + (f'<span style="{FLAG_STYLE}">{flagged} flagged</span>' if flagged
                      else "none flagged")
                   + (f"<br><small><code>{escape(self.signature)}</code></small>"
                      if self.signature else "") + "</p>")
        rows = [(s.paragraph, s.index, _source_html(s), s.translation,
                 "" if s.confidence is None else f"{s.confidence:.2f}",
                 "<br>".join(f'<span style="{FLAG_STYLE}; white-space: nowrap">{escape(flag)}</span>'
                             for flag in s.flags))
                for s in self.sentences]
        return summary + html_table(["¶", "#", "Arabic", "English", "confidence", "flags"], rows,
                                    rtl={"Arabic"}, raw={"Arabic", "flags"})


def _source_html(sentence: TranslatedSentence) -> str:
    """The escaped source; one passed through as not Arabic (English, Persian...) takes the
    direction of its own script, so an English sentence keeps its full stop on the right."""
    if NOT_ARABIC in sentence.flags:
        return f'<div dir="auto" style="text-align: start">{escape(sentence.source)}</div>'
    return escape(sentence.source)
