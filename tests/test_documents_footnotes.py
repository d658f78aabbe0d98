"""Markdown footnotes (a GitHub and Pandoc extension, not CommonMark): the reference and the
definition's label are kept whole, once, where they were; the footnote's text is translated."""
import re

from tarjama.documents import Document

ARABIC = re.compile("[\u0600-\u06ff]")
MD = ("قال الوزير إن المشروع سيكتمل[^1] في العام المقبل[^مصدر].\n\n[^1]: حسب بيان الوزارة.\n\n"
      # One word: CommonMark would read it as a link's reference definition.
      "[^مصدر]: رويترز\n")


def test_footnote_labels_are_kept_and_their_text_translated(document_translator):
    out = Document.from_bytes(MD.encode("utf-8"), "md", "notes.md").translate(document_translator)
    text = out.data.decode("utf-8")
    assert text.count("[^1]") == 2
    paragraph, definition, one_word = text.rstrip("\n").split("\n\n")
    assert definition.startswith("[^1]: ") and not ARABIC.search(definition)
    assert one_word.startswith("[^مصدر]: ") and not ARABIC.search(one_word.replace("[^مصدر]", ""))
    assert not ARABIC.search(paragraph.replace("[^مصدر]", ""))
    assert text.count("[^مصدر]") == 2 and "](" not in text and "][" not in text
