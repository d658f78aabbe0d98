"""Translation of Arabic documents into English."""
from tarjama.translation.result import TranslatedSentence, Translation
from tarjama.translation.settings import TranslatorSettings
from tarjama.translation.translator import (
    CUT_WORD,
    TRANSLATION_FLAGS,
    ProgressCallback,
    TranslationTally,
    Translator,
)

__all__ = ["CUT_WORD", "TRANSLATION_FLAGS", "ProgressCallback", "TranslatedSentence", "Translation",
           "TranslationTally", "Translator", "TranslatorSettings"]
