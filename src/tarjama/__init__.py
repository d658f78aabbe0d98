"""tarjama: Arabic news articles into English.

Split into sentences, translate with MarianMT, summarize, and score against references::

    import tarjama
    result = tarjama.translate("...")          # a Translation; result.text is the English
    summary = tarjama.summarize("...")         # an ArticleSummary
    scores = tarjama.evaluate(hypotheses, [references])

Importing tarjama is cheap: torch and transformers load only when a model does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from tarjama._lazy import lazy_getattr
from tarjama._version import __version__

_EXPORTS = {
    "split_paragraphs": "tarjama.segment",
    "split_sentences": "tarjama.segment",
    "Sentence": "tarjama.segment",
    "Paragraph": "tarjama.segment",
    "Translator": "tarjama.translation",
    "TranslatorSettings": "tarjama.translation",
    "Translation": "tarjama.translation",
    "TranslatedSentence": "tarjama.translation",
    "Summarizer": "tarjama.summarization",
    "SummarizerSettings": "tarjama.summarization",
    "Summary": "tarjama.summarization",
    "SummaryOptions": "tarjama.summarization",
    "score_summaries": "tarjama.eval.rouge",
    "RougeScore": "tarjama.eval.rouge",
    "Pipeline": "tarjama.pipeline",
    "ArticleSummary": "tarjama.pipeline",
    "MetricScore": "tarjama.eval",
    "ReferenceSet": "tarjama.eval",
    "load_reference_set": "tarjama.eval",
    "evaluate_systems": "tarjama.eval",
    "EvalRun": "tarjama.eval",
    "write_report": "tarjama.eval",
    "PRESETS": "tarjama.models",
    "ModelSettings": "tarjama.backends.settings",
    "GenerationOptions": "tarjama.models",
    "TarjamaError": "tarjama.errors",
    "InputError": "tarjama.errors",
    "ModelNotAvailableError": "tarjama.errors",
    "OutputError": "tarjama.errors",
    "CacheError": "tarjama.errors",
    "Glossary": "tarjama.terms.glossary",
    "translate": "tarjama.api",
    "translate_file": "tarjama.api",
    "Document": "tarjama.documents",
    "TranslatedDocument": "tarjama.documents",
    "summarize": "tarjama.api",
    "evaluate": "tarjama.api",
}

__all__ = ["__version__", *_EXPORTS]


__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from tarjama.api import evaluate, summarize, translate, translate_file
    from tarjama.backends.settings import ModelSettings
    from tarjama.documents import Document, TranslatedDocument
    from tarjama.errors import (
        CacheError,
        InputError,
        ModelNotAvailableError,
        OutputError,
        TarjamaError,
    )
    from tarjama.eval import (
        EvalRun,
        MetricScore,
        ReferenceSet,
        evaluate_systems,
        load_reference_set,
        write_report,
    )
    from tarjama.eval.rouge import RougeScore, score_summaries
    from tarjama.models import PRESETS, GenerationOptions
    from tarjama.pipeline import ArticleSummary, Pipeline
    from tarjama.segment import Paragraph, Sentence, split_paragraphs, split_sentences
    from tarjama.summarization import Summarizer, SummarizerSettings, Summary, SummaryOptions
    from tarjama.terms.glossary import Glossary
    from tarjama.translation import TranslatedSentence, Translation, Translator, TranslatorSettings
