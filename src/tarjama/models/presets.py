"""The models tarjama knows by name. One table, written once; everything else reads it."""
from __future__ import annotations

from dataclasses import dataclass

TRANSLATION = "translation"
SUMMARIZATION = "summarization"


@dataclass(frozen=True)
class Preset:
    """A named model: what ``--model NAME`` or ``--summarizer NAME`` resolves to."""

    name: str
    task: str
    model_id: str
    description: str


PRESETS: tuple[Preset, ...] = (
    Preset("best", TRANSLATION, "Helsinki-NLP/opus-mt-tc-big-ar-en",
           "MarianMT transformer-big; FLORES-200 devtest BLEU 42.8 (published)"),
    Preset("fast", TRANSLATION, "Helsinki-NLP/opus-mt-ar-en",
           "MarianMT base, 3x smaller; FLORES-101 devtest BLEU 33.9 (published)"),
    Preset("distilbart", SUMMARIZATION, "sshleifer/distilbart-cnn-12-6",
           "DistilBART fine-tuned on CNN/DailyMail; English in, English out"),
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
