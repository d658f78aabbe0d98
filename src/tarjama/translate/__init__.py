"""Translation of Arabic documents into English."""
from tarjama.translate.result import TranslatedSentence, Translation
from tarjama.translate.translator import ProgressCallback, Translator

__all__ = ["ProgressCallback", "TranslatedSentence", "Translation", "Translator"]
