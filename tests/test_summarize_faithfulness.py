"""Numbers and names of a summary that the article does not mention; shaping of the summary text."""
import pytest

from tarjama.summarization import SummaryOptions
from tarjama.summarization.faithfulness import Flag, names, normalize_number, numbers, unsupported
from tarjama.summarization.result import Summary
from tarjama.summarization.shaping import fit_words, shape_summary


@pytest.mark.parametrize("written,value", [
    ("1,000", "1000"),
    ("1000", "1000"),
    ("12,345,678", "12345678"),
    ("2.5", "2.5"),
    ("2.50", "2.5"),
    ("3.0", "3"),
    ("007", "7"),
    ("٤٢", "42"),
    ("١٬٥٠٠", "1500"),
    ("٢٫٥", "2.5"),
])
def test_numbers_compare_by_value(written, value):
    assert normalize_number(written) == value


@pytest.mark.parametrize("text,found", [
    ("It cost 2.5 billion dollars in 2024.", ["2.5", "2024"]),
    ("About 1,000 people, 30 of them children.", ["1,000", "30"]),
    ("قتل ٤٢ شخصا عام ٢٠٢٤.", ["42", "2024"]),
    ("No figures here.", []),
])
def test_numbers_in_text(text, found):
    assert numbers(text) == found


@pytest.mark.parametrize("text,found", [
    ("The minister met Obama in Cairo.", ["Obama", "Cairo"]),
    ("Obama met the minister.", []),
    ("The plan. Officials in Amman's ministry agreed.", ["Amman"]),
    ("Talks ended. I said it was over.", []),
])
def test_names_are_capitalised_words_inside_sentences(text, found):
    assert names(text) == found


@pytest.mark.parametrize("summary,article,flags", [
    ("The plant cost 1000 dollars.", "The plant cost 1,000 dollars.", []),
    ("The plant cost 2.5 million.", "The plant cost 25 million.", [Flag("number", "2.5")]),
    ("Some 42 people died, Obama said.", "Some people died.",
     [Flag("number", "42"), Flag("name", "Obama")]),
    ("The king met officials in AMMAN.", "The King travelled to amman.", []),
    ("He met Sisi twice. Sisi agreed.", "Nothing about that.", [Flag("name", "Sisi")]),
    ("Egypt's minister spoke.", "The minister of egypt spoke.", []),
], ids=["thousands", "decimal", "number-and-name", "case", "once", "possessive"])
def test_unsupported_statements(summary, article, flags):
    assert list(unsupported(summary, article)) == flags


def test_numbers_are_checked_against_arabic_but_names_are_not():
    flags = unsupported("The minister said 42 people and 7 more came, Obama said.",
                        "قال الوزير إن ٤٢ شخصا حضروا.", check_names=False)
    assert flags == (Flag("number", "7"),)


@pytest.mark.parametrize("sentences,limit,kept", [
    (["One two three.", "Four five."], None, ["One two three.", "Four five."]),
    (["One two three.", "Four five."], 5, ["One two three.", "Four five."]),
    (["One two three.", "Four five."], 4, ["One two three."]),
    (["One two three.", "Four five."], 2, ["One two"]),
])
def test_word_limit_keeps_whole_sentences(sentences, limit, kept):
    assert fit_words(sentences, limit) == kept


@pytest.mark.parametrize("form,max_words,text,sentences", [
    ("paragraph", None, "It rained. Roads closed. Schools shut.",
     ("It rained.", "Roads closed.", "Schools shut.")),
    ("bullets", None, "- It rained.\n- Roads closed.\n- Schools shut.",
     ("It rained.", "Roads closed.", "Schools shut.")),
    ("headline", None, "It rained.", ("It rained.",)),
    ("bullets", 4, "- It rained.\n- Roads closed.", ("It rained.", "Roads closed.")),
])
def test_shape(form, max_words, text, sentences):
    raw = Summary("It rained.  Roads closed.\nSchools shut.", (), 3, "sig")
    shaped = shape_summary(raw, SummaryOptions(max_words=max_words, form=form))
    assert (shaped.text, shaped.sentences) == (text, sentences)


def test_headline_keeps_sixteen_words_at_most():
    raw = Summary(" ".join(f"w{n}" for n in range(30)) + ". Second sentence.", (), 1, "sig")
    shaped = shape_summary(raw, SummaryOptions(form="headline"))
    assert shaped.text.split() == [f"w{n}" for n in range(16)]
