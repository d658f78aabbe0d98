"""The native API under ``/v1``: what only tarjama has — sentences with their spans and flags,
signatures, summaries, segmentation and evaluation. JSON bodies, described at ``/docs``."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from tarjama.segment import split_paragraphs
from tarjama.server.deps import EngineDep, SettingsDep, authorized, within_time
from tarjama.server.errors import ApiError
from tarjama.translation import Translation

router = APIRouter(prefix="/v1", tags=["tarjama"], dependencies=[Depends(authorized)])


class TranslateBody(BaseModel):
    """Documents to translate; each line of a document is a paragraph."""

    texts: list[str] = Field(min_length=1, examples=[["قال الرئيس إن الاجتماع كان ناجحا."]])


class SegmentBody(BaseModel):
    """A document to split into paragraphs and sentences."""

    text: str


class SummarizeBody(BaseModel):
    """An article to summarize, and the summary's length and form."""

    text: str = Field(min_length=1)
    max_words: int | None = Field(default=None, ge=1)
    min_words: int | None = Field(default=None, ge=1)
    form: str = "paragraph"
    lead_only: bool = False


class EvalBody(BaseModel):
    """Hypotheses and one or more lists of references, one line each, in the same order."""

    hypotheses: list[str] = Field(min_length=1)
    references: list[list[str]] = Field(min_length=1)


def translation_record(text: str, translation: Translation) -> dict[str, object]:
    """A translation with each sentence's span in the source (``start``/``end``: character
    offsets, ``text[start:end]`` is the sentence) and flags."""
    spans = [s for paragraph in split_paragraphs(text) for s in paragraph.sentences]
    sentences = [{**sentence.to_record(), "start": span.start, "end": span.end}
                 for sentence, span in zip(translation.sentences, spans, strict=True)]
    return {"text": translation.text, "sentences": sentences, "signature": translation.signature}


@router.post("/translate")
async def translate(body: TranslateBody, engine: EngineDep,
                    settings: SettingsDep) -> dict[str, object]:
    """Translate documents: their English, sentence by sentence with spans and flags."""
    if len(body.texts) > settings.max_texts:
        raise ApiError(400, f"Invalid request: {len(body.texts)} texts, at most {settings.max_texts} "
                            "in one request")
    translations = await within_time(engine.translate(body.texts), settings)
    return {"translations": [translation_record(text, translation)
                             for text, translation in zip(body.texts, translations, strict=True)]}


@router.post("/segment")
async def segment(body: SegmentBody) -> dict[str, object]:
    """Paragraphs and sentences, with their character offsets."""
    return {"paragraphs": [{"start": p.start, "end": p.end,
                            "sentences": [{"text": s.text, "start": s.start, "end": s.end}
                                          for s in p.sentences]}
                           for p in split_paragraphs(body.text)]}


@router.post("/summarize")
async def summarize(body: SummarizeBody, engine: EngineDep,
                    settings: SettingsDep) -> dict[str, object]:
    """An English summary, its flags (numbers and names not in the article) and signature."""
    from tarjama.summarization import SummaryOptions

    options = SummaryOptions(max_words=body.max_words, min_words=body.min_words, form=body.form,
                             lead_only=body.lead_only)
    result = await within_time(engine.summarize(body.text, options), settings)
    return result.to_record()


@router.post("/eval")
async def evaluate(body: EvalBody) -> dict[str, object]:
    """BLEU, chrF2, chrF2++ and TER of the hypotheses, each with its sacrebleu signature."""
    from tarjama.api import evaluate as score

    scores = score(body.hypotheses, body.references)
    return {name: metric.to_record() for name, metric in scores.items()}


@router.get("/info")
async def info(engine: EngineDep,
               settings: SettingsDep) -> dict[str, object]:
    """The model, the translation signature and the limits of this server."""
    return {"model": engine.model, "signature": engine.signature,
            "max_request_bytes": settings.max_request_bytes,
            "max_upload_bytes": settings.max_upload_bytes, "max_texts": settings.max_texts}
