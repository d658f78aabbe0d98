"""The CTranslate2 backend and what it needs around the library: a converted copy of the model
(:mod:`~tarjama.backends.ctranslate2.convert`, checked by its
:mod:`~tarjama.backends.ctranslate2.manifest`), the thread split measured per CPU
(:mod:`~tarjama.backends.ctranslate2.threads`), the vocabulary shortlist
(:mod:`~tarjama.backends.ctranslate2.vmap`), the tokenizers that run without transformers
(:mod:`~tarjama.backends.ctranslate2.marian_spm`, :mod:`~tarjama.backends.ctranslate2.saved_tokenizer`)
and the backend itself (:mod:`~tarjama.backends.ctranslate2.backend`).

Importing this package imports nothing of them, and never the ``ctranslate2`` library itself.
"""
