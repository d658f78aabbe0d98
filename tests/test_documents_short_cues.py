"""A sentence spread over more cues than its English has words: every cue that had Arabic text
still shows text (the continuation mark for those the English has no word left for), inside its
tags; cue numbers and timings stay byte for byte."""
from tarjama.documents import Document
from tarjama.documents.placement import TranslatedSpan, place
from tarjama.documents.subtitles import CONTINUATION

WORDS = ["قال", "الرئيس", "إن", "العمل", "سيستمر", "غدا", "في", "المدينة."]
CUES = [f"{n}\n00:00:{n:02d},000 --> 00:00:{n + 1:02d},000\n{word}\n"
        for n, word in enumerate(WORDS, 1)]
SRT = "\n".join(CUES)


def _cue_texts(data: bytes) -> list[list[str]]:
    return [chunk.split("\n")[2:] for chunk in data.decode().strip("\n").split("\n\n")]


def test_cues_without_an_english_word_carry_the_continuation_mark():
    # A short translation written by hand: three English words for eight cues.
    document = Document.from_bytes(SRT.encode(), "srt", "short.srt").parsed
    [block] = document.blocks
    translated = place(block, [TranslatedSpan(0, len(block.text), "He said so.")])
    out = document.write([translated])
    texts = _cue_texts(out)
    assert len(texts) == len(WORDS)
    assert all(lines and all(line.strip() for line in lines) for lines in texts), texts
    assert " ".join(line for lines in texts for line in lines if line != CONTINUATION) == "He said so."
    assert [c.split("\n")[:2] for c in out.decode().strip("\n").split("\n\n")] == \
        [c.split("\n")[:2] for c in CUES]


def test_continuation_mark_goes_inside_the_cue_s_tags():
    srt = "1\n00:00:01,000 --> 00:00:02,000\n<i>قال</i>\n\n2\n00:00:02,000 --> 00:00:03,000\n<i>الرئيس</i> إن.\n"
    document = Document.from_bytes(srt.encode(), "srt", "tags.srt").parsed
    [block] = document.blocks
    texts = _cue_texts(document.write([place(block, [TranslatedSpan(0, len(block.text), "Yes.")])]))
    assert sorted(texts) == sorted([["<i>Yes.</i>"], [f"<i>{CONTINUATION}</i>"]]), texts


# The tiny model writes three words for this sentence, over five cues.
SPOKEN = ["نعم يا", "سيدي هذا", "صحيح تماما", "كما قلت", "لك."]


def test_every_cue_of_a_sentence_gets_text_from_the_model(document_translator):
    srt = "\n".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n + 1:02d},000\n{text}\n"
                    for n, text in enumerate(SPOKEN, 1))
    source = Document.from_bytes(srt.encode(), "srt", "long.srt")
    result = source.translate(document_translator)
    texts = _cue_texts(result.data)
    assert len(result.sentences) == 1 and len(texts) == len(SPOKEN)
    assert all(lines and all(line.strip() for line in lines) for lines in texts), texts
    assert result.reopen().counts() == source.counts()
