"""What a translation run returns: every sentence with its place in the document."""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TranslatedSentence:
    """One source sentence and its translation; ``paragraph`` and ``index`` locate it."""

    paragraph: int
    index: int
    source: str
    translation: str
    flags: tuple[str, ...] = ()

    def to_record(self) -> dict[str, object]:
        """The JSONL record of this sentence."""
        return {"paragraph": self.paragraph, "sentence": self.index, "source": self.source,
                "translation": self.translation, "flags": list(self.flags)}


@dataclass(frozen=True)
class Translation:
    """A translated document: its sentences in order, and how many paragraphs it had."""

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

    def to_jsonl(self) -> str:
        """One JSON record per sentence, each on its own line."""
        return "".join(json.dumps(s.to_record(), ensure_ascii=False) + "\n" for s in self.sentences)
