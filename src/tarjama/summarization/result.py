"""What a summary run returns: the summary and the chunks that fed it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tarjama._tables import data_frame, escape, html_table, preview

CHUNK_COLUMNS = ("round", "first", "last", "tokens", "summary")


@dataclass(frozen=True)
class ChunkSummary:
    """One chunk summarized in one round.

    In round 1 ``first``/``last`` number the article's sentences; in later rounds they number the
    summaries of the round before.
    """

    round: int
    first: int
    last: int
    tokens: int
    summary: str

    def to_record(self) -> dict[str, object]:
        """The JSON form of this chunk."""
        return {"round": self.round, "first": self.first, "last": self.last,
                "tokens": self.tokens, "summary": self.summary}


@dataclass(frozen=True, repr=False)
class Summary:
    """A summary of a whole text, with every chunk summarized on the way.

    ``text`` is the summary as the reader gets it (a paragraph, bullet lines or a headline) and
    ``sentences`` its sentences; ``sentence_count`` counts the sentences of the summarized text.
    ``truncated`` is true only when the user asked for the first chunk alone (``lead_only``);
    ``omitted_sentences`` then says how many sentences of the text the summary never saw.
    In a notebook it shows the summary above the table of its chunks; ``to_pandas()`` gives the
    chunks as a DataFrame.
    """

    text: str
    chunks: tuple[ChunkSummary, ...]
    sentence_count: int
    signature: str
    model: str = ""
    sentences: tuple[str, ...] = ()
    truncated: bool = False
    omitted_sentences: int = 0

    @property
    def rounds(self) -> int:
        """How many rounds of summarizing it took (1 when the text fitted the model at once)."""
        return max((chunk.round for chunk in self.chunks), default=0)

    def to_record(self) -> dict[str, object]:
        """The JSON form of this summary."""
        return {"summary": self.text, "sentences": list(self.sentences),
                "article_sentences": self.sentence_count, "rounds": self.rounds,
                "chunks": [chunk.to_record() for chunk in self.chunks],
                "truncated": self.truncated, "omitted_sentences": self.omitted_sentences,
                "model": self.model, "signature": self.signature}

    def to_records(self) -> list[dict[str, object]]:
        """One plain record per chunk summarized, in the order summarized."""
        return [chunk.to_record() for chunk in self.chunks]

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per chunk (needs pandas)."""
        return data_frame(self.to_records(), CHUNK_COLUMNS)

    def describe(self) -> str:
        """One line: sentences read, chunks, rounds and what was left out."""
        text = (f"{self.sentence_count} sentences summarized in {len(self.chunks)} chunks, "
                f"{self.rounds} round{'s' if self.rounds != 1 else ''}")
        if self.truncated:
            text += f"; lead only: {self.omitted_sentences} sentences left out"
        return text

    def __repr__(self) -> str:
        return f"Summary({self.describe()}, text={preview(self.text)!r})"

    def _repr_html_(self) -> str:
        return (f'<p style="white-space: pre-wrap">{escape(self.text)}</p>'
                f"<p><small>{escape(self.describe())}"
                + (f"; <code>{escape(self.signature)}</code>" if self.signature else "")
                + "</small></p>"
                + html_table(CHUNK_COLUMNS, [tuple(record[c] for c in CHUNK_COLUMNS)
                                             for record in self.to_records()]))
