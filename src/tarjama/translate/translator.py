"""Arabic to English translation of whole documents, sentence by sentence, in batches."""
from __future__ import annotations

from typing import Callable, Sequence

from tarjama import __version__
from tarjama.backends import GenerationOptions, Seq2SeqBackend, load_backend
from tarjama.models import DEFAULT_TRANSLATION_MODEL, TRANSLATION, resolve_model
from tarjama.segment import SEGMENTER_VERSION, split_long_sentence, split_paragraphs
from tarjama.batching import DEFAULT_BATCH_TOKENS, plan_batches
from tarjama.translate.result import TranslatedSentence, Translation

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with counts of sentences (or pieces) translated."""

# Output length grows with the source; the constant leaves room for very short sentences.
OUTPUT_TOKENS_PER_SOURCE_TOKEN = 2.0
EXTRA_OUTPUT_TOKENS = 16


class Translator:
    """Translates Arabic text to English with a MarianMT model.

    ``model`` is a preset (``best``, ``fast``), a Hub id or a local folder. The model is loaded
    once, when the translator is made; keep the translator to translate many texts.
    """

    def __init__(self, model: str = DEFAULT_TRANSLATION_MODEL, *, revision: str | None = None,
                 backend: str = "auto", device: str = "auto", compute_type: str = "auto",
                 num_beams: int | None = None, batch_tokens: int = DEFAULT_BATCH_TOKENS):
        source = resolve_model(model, TRANSLATION, revision)
        self.backend: Seq2SeqBackend = load_backend(source, backend, device, compute_type)
        self.num_beams = num_beams
        self.batch_tokens = batch_tokens

    @property
    def signature(self) -> str:
        """Everything needed to reproduce a translation, sacrebleu style."""
        b = self.backend
        beams = self.num_beams or b.default_num_beams
        return (f"model:{b.source.label}|backend:{b.name}|device:{b.device}|compute:{b.compute_type}"
                f"|beams:{beams}|segmenter:{SEGMENTER_VERSION}|tarjama:{__version__}")

    def translate(self, text: str, progress: ProgressCallback | None = None) -> Translation:
        """Translate a document; each line is a paragraph, kept in place in the output."""
        paragraphs = split_paragraphs(text)
        located = [(p, i, s.text) for p, paragraph in enumerate(paragraphs)
                   for i, s in enumerate(paragraph.sentences)]
        outputs = self.translate_sentences([text for _, _, text in located], progress)
        sentences = tuple(TranslatedSentence(p, i, source, output)
                          for (p, i, source), output in zip(located, outputs))
        return Translation(sentences, len(paragraphs), self.signature)

    def translate_sentences(self, sentences: Sequence[str],
                            progress: ProgressCallback | None = None) -> list[str]:
        """Translate sentences in batches; the result has one translation per sentence, in order.

        A sentence longer than the model's input limit is split at clause boundaries first and the
        translations of its pieces joined, so no text is cut off.
        """
        pieces: list[str] = []
        owner: list[int] = []
        limit = self.backend.max_source_tokens
        for number, sentence in enumerate(sentences):
            for piece in split_long_sentence(sentence, self.backend.count_tokens, limit):
                pieces.append(piece)
                owner.append(number)
        translated = self._generate_in_batches(pieces, progress)
        joined: list[list[str]] = [[] for _ in sentences]
        for number, output in zip(owner, translated):
            joined[number].append(output.strip())
        return [" ".join(parts) for parts in joined]

    def _generate_in_batches(self, texts: list[str],
                             progress: ProgressCallback | None) -> list[str]:
        lengths = [self.backend.count_tokens(text) for text in texts]
        outputs: list[str] = [""] * len(texts)
        done = 0
        for batch in plan_batches(lengths, self.batch_tokens):
            longest = max(lengths[i] for i in batch)
            budget = int(longest * OUTPUT_TOKENS_PER_SOURCE_TOKEN) + EXTRA_OUTPUT_TOKENS
            options = GenerationOptions(
                num_beams=self.num_beams,
                max_new_tokens=min(budget, self.backend.max_source_tokens))
            for index, output in zip(batch, self.backend.generate([texts[i] for i in batch], options)):
                outputs[index] = output
            done += len(batch)
            if progress:
                progress(done, len(texts))
        return outputs
