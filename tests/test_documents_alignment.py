"""Documents take the alignment of a sentence with markup inside it from the generation that
translated it; only a translation no generation of the run wrote (a cached one) is forced through
the model again."""
from __future__ import annotations

import pytest

from tarjama.documents import Document
from tarjama.translation import Translator

PAGE = ("<html><body><p>قال <b>وزير البيئة</b> إن <a href='/a'>المحطة الجديدة</a> ستعمل قريبا."
        " وأضاف أن <i>التكلفة</i> بلغت مليار دولار.</p><p><b>عنوان كامل بالخط العريض</b></p>"
        "</body></html>").encode()


def _forced_passes(translator, monkeypatch) -> list[int]:
    """Note how many outputs each forced (``targets``) pass of the backend aligns."""
    calls: list[int] = []
    real = translator.backend.generate_detailed

    def noted(texts, options, *, attention=False, targets=None):
        if targets is not None:
            calls.append(len(targets))
        return real(texts, options, attention=attention, targets=targets)

    monkeypatch.setattr(translator.backend, "generate_detailed", noted)
    return calls


@pytest.mark.parametrize("backend", ["ctranslate2", "torch"])
def test_alignment_from_the_translation_pass_and_forced_only_for_cached(tiny_models, tmp_path,
                                                                       monkeypatch, backend):
    def translator():
        return Translator(str(tiny_models.marian), backend=backend, device="cpu",
                          compute_type="float32", num_beams=1, guard="off",
                          cache=tmp_path / "cache.sqlite3")

    fresh = translator()
    forced = _forced_passes(fresh, monkeypatch)
    first = Document.from_bytes(PAGE, "html", "page.html").translate(fresh)
    assert forced == []  # every sentence with markup inside came with its attention
    assert all(s.confidence is not None for s in first.sentences)

    cached = translator()
    forced_again = _forced_passes(cached, monkeypatch)
    second = Document.from_bytes(PAGE, "html", "page.html").translate(cached)
    assert cached.tally.from_cache == cached.tally.sentences
    assert sum(forced_again) == 2  # the two sentences a mark starts or ends inside
    # The same English and structure; where a mark lands may differ, as the forced pass reads the
    # English tokenized again, and a random model's output does not always tokenize back the same.
    assert second.reopen().text == first.reopen().text
    assert second.reopen().counts() == first.reopen().counts()
