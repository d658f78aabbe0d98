"""``tarjama summarize``: an English summary of an Arabic (or English) article."""
from __future__ import annotations

import json
import time
from dataclasses import replace
from enum import Enum
from typing import Annotated

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BackendOpt,
    ComputeTypeOpt,
    DeviceOpt,
    EncodingOpt,
    GlossaryOpt,
    InputArg,
    ModelOpt,
    NoCacheOpt,
    OutputOpt,
    RevisionOpt,
    choices,
    emit,
    err_console,
    keeps_cache,
    refuse_overwriting_inputs,
    reports_errors,
)
from tarjama.cli.document_io import DocFormatOpt, read_article
from tarjama.cli.reporting import progress_bar, report_run
from tarjama.errors import InputError
from tarjama.models import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATION_MODEL,
    SUMMARIZATION,
    TRANSLATION,
    GenerationOptions,
    check_model_name,
)
from tarjama.models.presets import preset_names
from tarjama.pipeline import AUTO, STRATEGIES
from tarjama.summarization.settings import SummarizerSettings
from tarjama.terms.glossary import Glossary
from tarjama.translation.settings import TranslatorSettings


class SummaryFormat(str, Enum):
    """Formats of ``summarize``'s output."""

    text = "text"
    json = "json"


@reports_errors
def summarize(
    source: InputArg = "-",
    encoding: EncodingOpt = None,
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    summarizer: Annotated[str, typer.Option(
        help=f"Summarization model: preset ({', '.join(preset_names(SUMMARIZATION))}), Hub id, "
             "or local folder.")
    ] = DEFAULT_SUMMARIZER,
    strategy: Annotated[str, typer.Option(
        metavar=choices(STRATEGIES),
        help="What an Arabic article goes through first. auto: summarize the Arabic when the "
             "summarizer reads Arabic (mt5-xlsum, by name, Hub id or a local copy), else "
             "translate first.")
    ] = AUTO,
    revision: RevisionOpt = None,
    summarizer_revision: Annotated[str | None, typer.Option(
        help="Hub revision of the summarization model.")] = None,
    output: OutputOpt = None,
    format: Annotated[SummaryFormat, typer.Option(
        "--format", "-f", help="text: the summary; json: summary, sentences, chunks, flags, "
                               "signatures.")
    ] = SummaryFormat.text,
    max_words: Annotated[int | None, typer.Option(
        min=1, help="At most this many words (whole sentences kept).")] = None,
    min_words: Annotated[int | None, typer.Option(
        min=1, help="At least about this many words.")] = None,
    bullets: Annotated[bool, typer.Option(
        "--bullets", help="One sentence per line, each starting with '- '.")] = False,
    headline: Annotated[bool, typer.Option(
        "--headline", help="One short line (at most 16 words).")] = False,
    lead_only: Annotated[bool, typer.Option(
        "--lead-only", help="Summarize only the first chunk of a long article (says what is "
                            "left out).")] = False,
    summary_beams: Annotated[int | None, typer.Option(
        min=1, help="Beam size of the summarizer; default: its own generation config.")] = None,
    no_repeat_ngram_size: Annotated[int | None, typer.Option(
        min=0, help="Never repeat an n-gram of this size; default: the model's own.")] = None,
    length_penalty: Annotated[float | None, typer.Option(
        help="Above 1 favours longer summaries; default: the model's own.")] = None,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: Annotated[int | None, typer.Option(
        "--beams", min=1, help="Beam size of the translation model; default: its own generation "
                               "config.")] = None,
    no_cache: NoCacheOpt = False,
    glossary: GlossaryOpt = None,
    doc_format: DocFormatOpt = None,
) -> None:
    """Summarize an article in English; Arabic input is translated before or after. A web page
    is summarized from its article alone; other documents from all their text."""
    from tarjama.pipeline import Pipeline
    from tarjama.summarization import BULLETS, HEADLINE, PARAGRAPH, SummaryOptions
    from tarjama.summarization.faithfulness import describe

    started = time.perf_counter()
    translation_model = ModelSettings(model, revision=revision, backend=backend, device=device,
                                      compute_type=compute_type)
    translation = TranslatorSettings(translation_model, GenerationOptions(num_beams=beams),
                                     cache=not no_cache,
                                     glossary=Glossary.read(glossary) if glossary is not None else None)
    # The summarizer runs where the translator does.
    summarization = SummarizerSettings(
        replace(translation_model, model=summarizer, revision=summarizer_revision),
        GenerationOptions(num_beams=summary_beams, no_repeat_ngram_size=no_repeat_ngram_size,
                          length_penalty=length_penalty))
    if bullets and headline:
        raise InputError("--bullets and --headline exclude each other; choose one")
    form = BULLETS if bullets else HEADLINE if headline else PARAGRAPH
    options = SummaryOptions(max_words=max_words, min_words=min_words, form=form,
                             lead_only=lead_only)
    refuse_overwriting_inputs([source], [output])
    check_model_name(model, TRANSLATION, revision)
    check_model_name(summarizer, SUMMARIZATION, summarizer_revision)
    text = read_article(source, encoding, doc_format)
    pipeline = Pipeline(translation, summarization, strategy=strategy)
    keeps_cache(translation.cache is not False)
    with progress_bar("translating") as progress:
        result = pipeline.summarize(text, progress, options)
    summary = result.summary
    if summary.truncated:
        read = summary.sentence_count - summary.omitted_sentences
        err_console.print(f"--lead-only: summarized the first chunk only ({read} of "
                          f"{summary.sentence_count} sentences); {summary.omitted_sentences} "
                          "sentences left out", soft_wrap=True)
    chunks = len([c for c in summary.chunks if c.round == 1])
    if chunks > 1:
        err_console.print(f"the article was longer than the summarizer's input limit: summarized "
                          f"in {chunks} chunks over {summary.rounds} rounds", soft_wrap=True)
    if result.flags:
        err_console.print(describe(result.flags), style="yellow", markup=False, soft_wrap=True)
    if format is SummaryFormat.json:
        emit(json.dumps(result.to_record(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        emit(summary.text + "\n", output)
    tally = pipeline.translation_tally
    report_run("summarized an article of", result.source_sentences, tally.from_cache, tally.repeats,
               started)
