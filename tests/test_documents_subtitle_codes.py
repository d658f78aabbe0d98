"""SubRip files as broadcasters and fansubbers write them: SSA override codes (``{\\an8}`` to
lift a cue to the top, ``{\\i1}`` italics) are kept whole, once, where they were; the English
takes the text around them."""
import re

from tarjama.documents import Document

ARABIC = re.compile("[\u0600-\u06ff]")
SRT = ("1\r\n00:00:01,000 --> 00:00:03,000\r\n{\\an8}<font color=\"#ffff00\">قال الرئيس إن</font>"
       "\r\n\r\n2\r\n00:00:03,000 --> 00:00:05,000\r\nالعمل سيستمر في المدينة.\r\n\r\n"
       "3\r\n00:00:05,000 --> 00:00:07,000\r\n{\\i1}وأضاف أن الحكومة مستعدة.{\\i0}\r\n")


def test_override_codes_are_kept_whole_and_the_text_around_them_translated(document_translator):
    source = Document.from_bytes(SRT.encode("utf-8"), "srt", "codes.srt")
    out = source.translate(document_translator).data.decode("utf-8")
    for code in ("{\\an8}", "{\\i1}", "{\\i0}", '<font color="#ffff00">', "</font>"):
        assert out.count(code) == 1, (code, out)
    cues = out.split("\r\n\r\n")
    assert cues[0].split("\r\n")[2].startswith("{\\an8}")
    assert cues[2].split("\r\n")[2].startswith("{\\i1}") and cues[2].rstrip().endswith("{\\i0}")
    assert [c.split("\r\n")[1] for c in cues] == [c.split("\r\n")[1] for c in SRT.split("\r\n\r\n")]
    assert not ARABIC.search(out)
    assert source.counts()["tags"] == Document.from_bytes(out.encode(), "srt", "x.srt").counts()["tags"] == 5
