"""The placement of inline marks on a translation, on alignments built by hand."""
import random

import pytest

from tarjama.backends import DetailedOutput
from tarjama.documents.alignment import token_words, word_alignment
from tarjama.documents.blocks import Block, Close, Mark, Open, check_marks, events
from tarjama.documents.placement import TranslatedSpan, WordAlignment, densest, place, spread


def links(pairs, targets, sources):
    """A word alignment from (target word, source word) links."""
    rows = [[0.0] * sources for _ in range(targets)]
    for t, s in pairs:
        rows[t][s] = 1.0
    return WordAlignment(tuple(tuple(r) for r in rows), sources)


def marked(block, key):
    [mark] = [m for m in block.marks if m.key == key]
    return block.text[mark.start:mark.end]


def render(block):
    return "".join(e if isinstance(e, str) else f"<{e.key}>" if isinstance(e, Open) else f"</{e.key}>"
                   for e in events(block))


def test_bold_word_follows_its_translation_across_reordering():
    # قال الرئيس الأمريكي -> "The American president said"; <b> on الرئيس (source word 1).
    source = Block("قال الرئيس الأمريكي", (Mark(4, 10, 0),))
    alignment = links([(0, 1), (1, 2), (2, 1), (3, 0)], 4, 3)
    result = place(source, [TranslatedSpan(0, len(source.text), "The American president said",
                                           alignment)])
    # "The" and "president" both link to الرئيس: the mark spans from the first to the last.
    assert marked(result, 0) == "The American president"
    source = Block("قال الرئيس الأمريكي", (Mark(11, 19, 0),))
    result = place(source, [TranslatedSpan(0, len(source.text), "The American president said",
                                           alignment)])
    assert marked(result, 0) == "American"


def test_link_over_two_words_and_nested_italic():
    # <a>وزير <i>الخارجية</i></a> قال  ->  "The foreign minister said"
    text = "وزير الخارجية قال"
    source = Block(text, (Mark(0, 13, 0), Mark(5, 13, 1, parent=0)))
    alignment = links([(0, 0), (1, 1), (2, 0), (3, 2)], 4, 3)
    result = place(source, [TranslatedSpan(0, len(text), "The foreign minister said", alignment)])
    check_marks(result)
    assert marked(result, 0) == "The foreign minister"
    assert marked(result, 1) == "foreign"
    assert render(result) == "<0>The <1>foreign</1> minister</0> said"


def test_overlapping_siblings_are_pulled_apart():
    # Two bold words both aligned to the same English word: the second keeps a free word.
    text = "أ ب ج"
    source = Block(text, (Mark(0, 1, 0), Mark(2, 3, 1)))
    alignment = WordAlignment(((0.6, 0.4, 0.0), (0.0, 0.0, 1.0)), 3)
    result = place(source, [TranslatedSpan(0, len(text), "one two", alignment)])
    check_marks(result)
    assert sorted(m.key for m in result.marks) == [0, 1]


@pytest.mark.parametrize("linked, expected", [
    ({2, 3, 4}, (2, 4)),          # contiguous: all of it
    ({2, 4}, (2, 4)),             # a one-word gap is bridged
    ({1, 2, 3, 9}, (1, 3)),       # a stray link far away is not followed
    ({0, 3}, (0, 3)),             # a two-word gap ties with one word: the longer stretch
    ({5}, (5, 5)),
])
def test_densest_stretch_of_a_mark_s_words(linked, expected):
    assert densest(linked, 0, 9) == expected


def test_links_aligned_to_one_word_each_keep_a_word():
    # A menu line, three links; a weak alignment gives every English word to the first link.
    text = "الرئيسية العالم الرياضة"
    source = Block(text, (Mark(0, 8, 0), Mark(9, 15, 1), Mark(16, 23, 2)))
    alignment = links([(t, 0) for t in range(4)], 4, 3)
    result = place(source, [TranslatedSpan(0, len(text), "Home world sports news", alignment)])
    check_marks(result)
    assert all(marked(result, key).strip() for key in range(3)), render(result)


def test_a_nested_mark_stays_inside_its_parent_beside_a_later_sibling():
    # <a>وزير <i>الخارجية</i></a> <b>قال</b>, every English word aligned to وزير.
    text = "وزير الخارجية قال"
    source = Block(text, (Mark(0, 13, 0), Mark(5, 13, 1, parent=0), Mark(14, 17, 2)))
    alignment = links([(t, 0) for t in range(4)], 4, 3)
    result = place(source, [TranslatedSpan(0, len(text), "The foreign minister said", alignment)])
    check_marks(result)
    parent, child = (next(m for m in result.marks if m.key == k) for k in (0, 1))
    assert parent.start <= child.start <= child.end <= parent.end
    assert marked(result, 0).strip() and marked(result, 2).strip(), render(result)


def test_mark_over_whole_sentences_covers_their_translations():
    text = "جملة أولى. جملة ثانية. ثالثة هنا."
    source = Block(text, (Mark(0, 22, 0),))
    spans = [TranslatedSpan(0, 10, "First sentence."), TranslatedSpan(11, 22, "Second one."),
             TranslatedSpan(23, len(text), "Third here.")]
    result = place(source, spans)
    assert result.text == "First sentence. Second one. Third here."
    assert marked(result, 0) == "First sentence. Second one."


def test_mark_without_text_goes_before_the_word_that_followed_it():
    text = "قال الرئيس"
    source = Block(text, (Mark(4, 4, 0),))  # an image before الرئيس
    alignment = links([(0, 1), (1, 1), (2, 0)], 3, 2)
    result = place(source, [TranslatedSpan(0, len(text), "The president said", alignment)])
    assert render(result) == "<0></0>The president said"


def test_mark_glued_to_a_sentence_s_last_word_stays_at_that_sentence_s_end():
    # سيكتمل[^1]. وأضاف أن العمل مستمر.  The monotone fallback would link "Re" to the glued word.
    text = "قال إنه سيكتمل. وأضاف أن العمل مستمر."
    at = text.index(".")
    source = Block(text, (Mark(at, at, 0),))
    spans = [TranslatedSpan(0, at + 1, "He said it would be complete."),
             TranslatedSpan(at + 2, len(text), "He added that work goes on.")]
    assert render(place(source, spans)) == \
        "He said it would be complete<0></0>. He added that work goes on."
    # After the full stop in the source: after it in the English.
    source = Block(text, (Mark(at + 1, at + 1, 0),))
    assert render(place(source, spans)) == \
        "He said it would be complete.<0></0> He added that work goes on."


def test_mark_glued_inside_a_sentence_follows_its_word_s_english():
    # قال الرئيس[^1]، إن  ->  "The president, said that": the mark goes after "president".
    text = "قال الرئيس، إن"
    at = text.index("،")
    source = Block(text, (Mark(at, at, 0),))
    alignment = links([(0, 1), (1, 1), (2, 0), (3, 2)], 4, 3)
    result = place(source, [TranslatedSpan(0, len(text), "The president, said that", alignment)])
    assert render(result) == "The president<0></0>, said that"
    # With a space before it, the mark keeps to the word after it.
    source = Block("قال الرئيس إن", (Mark(4, 4, 0),))
    alignment = links([(0, 1), (1, 1), (2, 0), (3, 2)], 4, 3)
    result = place(source, [TranslatedSpan(0, 13, "The president said that", alignment)])
    assert render(result) == "<0></0>The president said that"


def test_punctuation_outside_a_mark_stays_outside_its_english():
    # «<b><i>قال</i></b>». ->  "<b><i>said</i></b>".
    text = "وهو «قال»."
    start, end = text.index("ق"), text.index("»")
    source = Block(text, (Mark(start, end, 0), Mark(start, end, 1, parent=0)))
    alignment = links([(0, 0), (1, 1)], 2, 2)
    result = place(source, [TranslatedSpan(0, len(text), 'He "said".', alignment)])
    check_marks(result)
    assert render(result) == 'He "<0><1>said</1></0>".'
    # A mark over the whole sentence but its full stop leaves the full stop out.
    source = Block("جملة أولى.", (Mark(0, 9, 0),))
    assert render(place(source, [TranslatedSpan(0, 10, "First sentence.")])) == \
        "<0>First sentence</0>."


def test_whitespace_around_the_block_is_kept():
    source = Block("  مرحبا  ", ())
    assert place(source, [TranslatedSpan(2, 7, "Hello")]).text == "  Hello  "


def test_parts_stay_in_order_and_cover_everything():
    # Two cues, one sentence: "قال الرئيس | إن الحرب انتهت" -> "The president said the war ended"
    text = "قال الرئيس إن الحرب انتهت"
    source = Block(text, (Mark(0, 10, 0), Mark(11, len(text), 1)), parts=True)
    alignment = links([(0, 1), (1, 1), (2, 0), (3, 3), (4, 3), (5, 4)], 6, 5)
    result = place(source, [TranslatedSpan(0, len(text), "The president said the war ended",
                                           alignment)])
    assert marked(result, 0) == "The president said"
    assert marked(result, 1) == "the war ended"


def test_spread_gives_every_part_a_word_when_it_can():
    gain = [[1.0, 0.0, 0.0]] * 4
    cuts = spread(gain, 3)
    assert cuts[0] == 0 and cuts[-1] == 4
    assert all(b > a for a, b in zip(cuts, cuts[1:], strict=False))


@pytest.mark.parametrize("seed", range(200))
def test_random_marks_and_alignments_keep_every_mark_once_and_nested(seed):
    rng = random.Random(seed)
    source_words = [rng.choice(["كلمة", "خبر", "الرئيس", "في", "«قال»", "سيكتمل.", "(١)،"])
                    for _ in range(rng.randint(1, 12))]
    text = " ".join(source_words)
    starts = [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]
    ends = [i for i, c in enumerate(text) if c != " " and (i + 1 == len(text) or text[i + 1] == " ")]
    letters = [[i for i in range(starts[w], ends[w] + 1) if text[i].isalnum()]
               for w in range(len(source_words))]
    marks: list[Mark] = []

    def add(lo, hi, parent, depth, bounds):
        # Random nested, non-overlapping marks over word ranges [lo, hi): some without text,
        # before a word or glued to its end; some leaving the punctuation around their words out.
        position = lo
        while position < hi and len(marks) < 12:
            a = rng.randint(position, hi - 1)
            b = rng.randint(a, hi - 1)
            kind = rng.random()
            index = len(marks)
            if kind < 0.15:
                at = min(max(starts[a], bounds[0]), bounds[1])
                marks.append(Mark(at, at, index, parent))
            elif kind < 0.3:
                at = rng.choice([letters[b][-1] + 1, ends[b] + 1])
                at = min(max(at, bounds[0]), bounds[1])
                marks.append(Mark(at, at, index, parent))
            else:
                inner = rng.random() < 0.5
                start = max(letters[a][0] if inner else starts[a], bounds[0])
                end = min(letters[b][-1] + 1 if inner else ends[b] + 1, bounds[1])
                marks.append(Mark(start, end, index, parent))
                if depth < 3 and rng.random() < 0.5:
                    add(a, b + 1, index, depth + 1, (start, end))
            position = b + 1
    add(0, len(source_words), -1, 0, (0, len(text)))
    block = Block(text, tuple(marks), parts=False)
    check_marks(block)
    target = " ".join(rng.choice(["the", "news", "president", "in", "of", "said.", '"it"', "(1),"])
                      for _ in range(rng.randint(0, 15)))
    n_target = len(target.split())
    weights = tuple(tuple(rng.random() for _ in source_words) for _ in range(n_target))
    result = place(block, [TranslatedSpan(0, len(text), target,
                                          WordAlignment(weights, len(source_words)))])
    check_marks(result)
    assert sorted(m.key for m in result.marks) == list(range(len(marks)))
    assert [m.parent for m in result.marks] == [m.parent for m in marks]
    assert "".join(e for e in events(result) if isinstance(e, str)) == target
    opened = [e.key for e in events(result) if isinstance(e, Open)]
    closed = [e.key for e in events(result) if isinstance(e, Close)]
    assert sorted(opened) == sorted(closed) == list(range(len(marks)))


def test_tokens_are_summed_into_words():
    assert token_words(["▁The", "▁pres", "ident", "</s>"], 2) == [0, 1, 1, None]
    assert token_words(["▁The", "▁pres"], 3) is None
    detail = DetailedOutput(text="The president", tokens=("▁The", "▁pres", "ident"), score=-1.0,
                            source_tokens=("▁الرئيس", "</s>"),
                            attention=((0.9, 0.1), (0.5, 0.5), (1.0, 0.0)))
    alignment = word_alignment(detail, 1)
    assert alignment is not None and alignment.weights == ((1.0,), (1.0,))


def test_a_mark_whose_words_a_sibling_took_stays_after_it():
    # <b>أ</b> <i>ب</i> -> "one": both marks link to the one English word; <b> takes it, and <i>,
    # after <b> in the source, comes back empty after it, not before it.
    text = "أ ب"
    source = Block(text, (Mark(0, 1, 0), Mark(2, 3, 1)))
    alignment = WordAlignment(((0.6, 0.4),), 2)
    result = place(source, [TranslatedSpan(0, len(text), "one", alignment)])
    check_marks(result)
    assert render(result) == "<0>one</0><1></1>"
