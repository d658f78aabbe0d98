"""The models tarjama knows by name. One table, written once; everything else reads it."""
from __future__ import annotations

from dataclasses import dataclass

from tarjama.models.generation import GenerationOptions

TRANSLATION = "translation"
SUMMARIZATION = "summarization"


@dataclass(frozen=True)
class Preset:
    """A named model: what ``model=NAME`` or ``summarizer=NAME`` resolves to."""

    name: str
    task: str
    model_id: str
    description: str
    #: The language a summarizer is given by default: "en" (the translation) or "ar" (the article).
    source_language: str = "en"
    #: Generation settings the model card recommends where the model's own config has none; the
    #: user's own flags win over them.
    generation: GenerationOptions = GenerationOptions()
    #: ``config.json`` fields of the published checkpoint that recognise a local copy of it
    #: (see :mod:`tarjama.models.recognition`); values recalled, not checked against the Hub.
    fingerprint: tuple[tuple[str, object], ...] = ()


PRESETS: tuple[Preset, ...] = (
    Preset("best", TRANSLATION, "Helsinki-NLP/opus-mt-tc-big-ar-en",
           "MarianMT transformer-big; FLORES-200 devtest BLEU 42.8 (published)"),
    Preset("fast", TRANSLATION, "Helsinki-NLP/opus-mt-ar-en",
           "MarianMT base, 3x smaller; FLORES-101 devtest BLEU 33.9 (published)"),
    Preset("distilbart", SUMMARIZATION, "sshleifer/distilbart-cnn-12-6",
           "DistilBART fine-tuned on CNN/DailyMail; English in, English out",
           fingerprint=(("model_type", "bart"), ("vocab_size", 50264), ("d_model", 1024),
                        ("encoder_layers", 12), ("decoder_layers", 6))),
    Preset("bart-large", SUMMARIZATION, "facebook/bart-large-cnn",
           "BART-large fine-tuned on CNN/DailyMail, the model DistilBART was distilled from",
           fingerprint=(("model_type", "bart"), ("vocab_size", 50264), ("d_model", 1024),
                        ("encoder_layers", 12), ("decoder_layers", 12))),
    Preset("pegasus", SUMMARIZATION, "google/pegasus-cnn_dailymail",
           "PEGASUS-large fine-tuned on CNN/DailyMail; English in, English out",
           fingerprint=(("model_type", "pegasus"), ("vocab_size", 96103), ("d_model", 1024),
                        ("encoder_layers", 16), ("decoder_layers", 16))),
    Preset("mt5-xlsum", SUMMARIZATION, "csebuetnlp/mT5_multilingual_XLSum",
           "mT5-base fine-tuned on XL-Sum (45 languages): summarizes the Arabic, then the summary "
           "is translated; 512-token input",
           source_language="ar",
           generation=GenerationOptions(max_new_tokens=84, no_repeat_ngram_size=2, num_beams=4),
           fingerprint=(("model_type", "mt5"), ("vocab_size", 250112), ("d_model", 768),
                        ("num_layers", 12), ("num_decoder_layers", 12))),
)

DEFAULT_TRANSLATION_MODEL = "best"
DEFAULT_SUMMARIZER = "distilbart"


def find_preset(name: str, task: str) -> Preset | None:
    """The preset called ``name`` for ``task``, or ``None`` when ``name`` is no preset."""
    for preset in PRESETS:
        if preset.task == task and preset.name == name:
            return preset
    return None


def preset_names(task: str) -> list[str]:
    """Names of the presets for ``task``, in table order."""
    return [preset.name for preset in PRESETS if preset.task == task]
