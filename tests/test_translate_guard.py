"""The integrity guard: each check on hand-written pairs, real MT output, and the CLI's flags."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from tarjama.cli import app
from tarjama.env import CACHE
from tarjama.translation import guard
from tarjama.translation.confidence import LOW_CONFIDENCE

SOURCE = "قال الوزير إن الحكومة ستبني 3 محطات جديدة بحلول عام ٢٠٢٥ بتكلفة 1,500 مليون دولار."


@pytest.mark.parametrize("source,translation,expected", [
    (SOURCE, "The minister said the government would build 3 new stations by 2025 at a cost of "
             "$1,500 million.", ()),
    (SOURCE, "The minister said the government would build three new stations by 2025 at a cost "
             "of $1.5 billion.", (guard.MISSING_NUMBER,)),
    (SOURCE, "The minister said the government would build 3 new stations at a cost of $1500 "
             "million.", (guard.MISSING_NUMBER,)),
    (SOURCE, "The minister said the government said the government said the government would "
             "build 3 new stations by 2025 for $1,500 million.", (guard.REPETITION,)),
    (SOURCE, "The minister said the the the the government will build 3 stations by 2025, $1500 "
             "million.", (guard.REPETITION,)),
    (SOURCE, "The minister saiddddddd the government will build 3 stations by 2025, $1500 million.",
     (guard.REPETITION,)),
    (SOURCE, "The minister said the government would build 3 new stations by 2025 at a cost of "
             "1,500 مليون dollars.", (guard.ARABIC_IN_OUTPUT,)),
    (SOURCE, "The minister said.", (guard.LENGTH_RATIO, guard.MISSING_NUMBER)),
    ("نعم.", "Yes, that is absolutely right, indeed.", ()),
    ("قال: لا، لا، لا، لا.", "He said: No, no, no, no.", ()),
    ("هذا النص قصير جدا ولكنه كاف للاختبار.", "This text is very short but enough for the test. "
     "This text is very short but enough for the test. And it goes on and on and on and on.",
     (guard.REPETITION, guard.LENGTH_RATIO)),
], ids=["clean", "scaled-wrongly", "dropped-year", "phrase-loop", "word-loop", "char-loop",
        "arabic-left", "cut-short", "short-source", "repeating-source", "run-on"])
def test_check(source, translation, expected):
    assert guard.check(source, translation) == expected


@pytest.mark.parametrize("source,translation", [
    ("في عام ٢٠٢٠", "In 2020"),
    ("في عام 2020", "In 2020"),
    ("بلغ العدد ١٬٥٠٠ شخص", "The number reached 1,500 people"),
    ("النسبة ٣٩٫٢%", "The rate is 39.2%"),
    ("في الساعة ١٢:٠٠", "At 12:00"),
    ("في الساعة 12:00", "At 1200 GMT"),
    ("5 آلاف شخص", "5,000 people"),
    ("37 مليار دولار", "$37 billion"),
    ("الفصل 2", "the second chapter"),
    ("النوع 1", "type I"),
    ("3 أشخاص", "three people"),
    ("الساعة 4", "at 04:00"),
], ids=["arabic-indic-year", "year", "thousands", "decimal", "time", "time-as-1200", "thousands-word",
        "billion", "ordinal", "roman", "word", "hour"])
def test_numbers_written_differently_are_not_missing(source, translation):
    assert guard.missing_number(source, translation) is None


def test_published_opus_mt_output_is_rarely_flagged(shared_data):
    """Real MT output of a real OPUS-MT model on FLORES-200: thresholds must not cry wolf."""
    sources = (shared_data / "flores200" / "arb_Arab.devtest").read_text(encoding="utf-8").splitlines()
    outputs = (shared_data / "opusmt-ara-eng-flores200-output" / "flores200-devtest.ara-eng.output"
               ).read_text(encoding="utf-8").splitlines()
    flagged = [pair for pair in zip(sources, outputs, strict=True) if guard.check(*pair)]
    assert len(flagged) <= 0.02 * len(sources)
    references = (shared_data / "flores200" / "eng_Latn.devtest").read_text(encoding="utf-8")
    flagged = [p for p in zip(sources, references.splitlines(), strict=True) if guard.check(*p)]
    assert len(flagged) <= 0.005 * len(sources)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory, converted_tiny_models):
    """A translation cache of this module's own, holding the session's converted models."""
    cache = tmp_path_factory.mktemp("tarjama-cache")
    shutil.copytree(converted_tiny_models, cache / converted_tiny_models.name)
    return cache


def test_cli_flags_guarded_sentences_and_counts_them(tiny_models, tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv(CACHE.name, str(cache_dir))
    article = tmp_path / "a.txt"
    article.write_text("افتتحت السلطات يوم الثلاثاء محطة بطاقة 600 ألف متر مكعب في عام ٢٠٢٣.\n"
                       "نعم.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", str(article), "--model", str(tiny_models.marian),
                                      "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    # The tiny model writes noise: it cannot give the numbers back.
    assert guard.MISSING_NUMBER in records[0]["flags"]
    assert set(records[0]["flags"]) <= {*guard.FLAGS, LOW_CONFIDENCE}
    flagged = sum(1 for r in records if r["flags"])
    assert f"{flagged} of 2 sentences flagged (" in result.stderr
    assert 'see "flags" in --format jsonl' in result.stderr


def test_guard_off_flags_nothing(tiny_models, tmp_path, monkeypatch, cache_dir):
    monkeypatch.setenv(CACHE.name, str(cache_dir))
    article = tmp_path / "a.txt"
    article.write_text("بطاقة 600 ألف متر مكعب في عام ٢٠٢٣.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", str(article), "--model", str(tiny_models.marian),
                                      "--format", "jsonl", "--guard", "off",
                                      "--no-confidence"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["flags"] == []
    assert "flagged" not in result.stderr
