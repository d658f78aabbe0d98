"""What a summary run returns: the summary and the chunks that fed it."""
from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True)
class Summary:
    """A summary of a whole text, with every chunk summarized on the way.

    ``text`` is the summary as the reader gets it (a paragraph, bullet lines or a headline) and
    ``sentences`` its sentences; ``sentence_count`` counts the sentences of the summarized text.
    ``truncated`` is true only when the user asked for the first chunk alone (``lead_only``);
    ``omitted_sentences`` then says how many sentences of the text the summary never saw.
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
