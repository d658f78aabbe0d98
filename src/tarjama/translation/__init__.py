"""Translation of Arabic documents into English."""
from tarjama.translation.result import TranslatedSentence, Translation
from tarjama.translation.settings import TranslatorSettings
from tarjama.translation.translator import ProgressCallback, TranslationTally, Translator

__all__ = ["ProgressCallback", "TranslatedSentence", "Translation", "TranslationTally", "Translator",
           "TranslatorSettings"]
