"""``tarjama translate``: Arabic text in, English out, one line per paragraph (or JSONL).

One input (a file, or ``-``) is written to stdout or to ``-o FILE``, as before. Several inputs, or a
folder, need ``-o OUTDIR`` and give one output per input: ``OUTDIR/<name>.en.txt`` (or
``.en.jsonl`` with ``--format jsonl``). A ``.jsonl`` input is a corpus of ``{"id", "text", ...}``
records; its output repeats each record with ``"translation"`` and ``"flags"`` added (and the
sentences with ``--format jsonl``). The model is loaded once for all inputs; each output is written
atomically when its input is done, and the translation cache makes a rerun resume where it stopped.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from tarjama.cli._common import (
    BackendOpt,
    BeamsOpt,
    ComputeTypeOpt,
    DeviceOpt,
    EncodingOpt,
    GuardOpt,
    InputsArg,
    ModelOpt,
    NoCacheOpt,
    OutputFormat,
    OutputPathOpt,
    RevisionOpt,
    emit,
    err_console,
    refuse_overwriting_inputs,
    reports_errors,
)
from tarjama.cli.reporting import progress_bar, report_run
from tarjama.errors import InputError
from tarjama.models import DEFAULT_TRANSLATION_MODEL
from tarjama.textio import STDIN, dumps_jsonl, read_jsonl, read_text, write_text_atomic

CORPUS_SUFFIX = ".jsonl"
TEXT_SUFFIX = ".txt"


@dataclass(frozen=True)
class Job:
    """One input and where its translation goes (``None``: standard output)."""

    source: str
    corpus: bool
    target: Path | None


@reports_errors
def translate(
    sources: InputsArg = None,  # type: ignore[assignment]
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    output: OutputPathOpt = None,
    format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text: one line per paragraph; jsonl: one record per sentence.")
    ] = OutputFormat.text,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
    no_cache: NoCacheOpt = False,
    guard: GuardOpt = "retry",
    encoding: EncodingOpt = None,
) -> None:
    """Translate Arabic articles into English, keeping their paragraphs in order."""
    from tarjama.translation import Translator

    started = time.perf_counter()
    jobs = plan_jobs(sources or [STDIN], output, format)
    refuse_overwriting_inputs([job.source for job in jobs], [job.target for job in jobs])
    inputs = [_read(job, encoding) for job in jobs]
    translator = Translator(model, revision=revision, backend=backend, device=device,
                            compute_type=compute_type, num_beams=beams, guard=guard,
                            cache=not no_cache)
    flags: Counter[str] = Counter()
    sentences = flagged = 0
    for number, (job, content) in enumerate(zip(jobs, inputs, strict=True), 1):
        name = "standard input" if job.source == STDIN else Path(job.source).name
        label = f"translating {name}" + (f" ({number}/{len(jobs)})" if len(jobs) > 1 else "")
        with progress_bar(label) as progress:
            if not isinstance(content, str):  # a corpus: one record per document
                texts = [record["text"] for record in content]
                translations = translator.translate_documents(texts, progress)
                text = dumps_jsonl(_corpus_record(record, translation, format)
                                   for record, translation in zip(content, translations, strict=True))
            else:
                [translation] = translations = translator.translate_documents([content], progress)
                text = translation.to_jsonl() if format is OutputFormat.jsonl else translation.text + "\n"
        for translation in translations:
            sentences += len(translation.sentences)
            flagged += sum(1 for s in translation.sentences if s.flags)
            flags.update(f for s in translation.sentences for f in s.flags)
        if len(jobs) == 1:
            emit(text, job.target)
        else:
            assert job.target is not None, "plan_jobs gives each of several inputs a file"
            write_text_atomic(job.target, text)
    if len(jobs) > 1:
        err_console.print(f"wrote {len(jobs)} files to {output}")
    _report_flags(flags, flagged, sentences)
    tally = translator.tally
    report_run("translated", sentences, tally.from_cache, tally.repeats, started)


def plan_jobs(sources: list[str], output: Path | None, format: OutputFormat) -> list[Job]:
    """The inputs named on the command line, each with the file its translation goes to."""
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if source != STDIN and path.is_dir():
            found = sorted(str(p) for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                           and p.suffix in (TEXT_SUFFIX, CORPUS_SUFFIX))
            if not found:
                raise InputError(f"{path}: no {TEXT_SUFFIX} or {CORPUS_SUFFIX} files in this folder")
            expanded.extend(found)
        else:
            expanded.append(source)
    several = len(sources) > 1 or any(s != STDIN and Path(s).is_dir() for s in sources)
    if not several:
        [source] = expanded
        return [Job(source, source.endswith(CORPUS_SUFFIX), output)]
    if STDIN in expanded:
        raise InputError("- (standard input) can only be translated on its own; "
                         "give files or folders instead")
    if output is None or output.is_file():
        raise InputError("several inputs need -o OUTDIR, a folder to write one translation "
                         "per input into" + (f" ({output} is a file)" if output else ""))
    jobs: list[Job] = []
    taken: dict[Path, str] = {}
    for source in expanded:
        corpus = source.endswith(CORPUS_SUFFIX)
        suffix = ".en.jsonl" if corpus or format is OutputFormat.jsonl else ".en.txt"
        target = output / (Path(source).stem + suffix)
        if target in taken:
            raise InputError(f"{taken[target]} and {source} would both be written to {target}; "
                             "rename one, or translate them into different folders")
        taken[target] = source
        jobs.append(Job(source, corpus, target))
    return jobs


def _read(job: Job, encoding: str | None) -> str | list[dict[str, Any]]:
    """A text input's text, or a corpus's records (each a dict with a "text" string)."""
    if not job.corpus:
        return read_text(job.source, encoding)
    records = read_jsonl(job.source, encoding)
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f"{job.source}: record {number} has no \"text\" string; a corpus has "
                             "one {\"id\": ..., \"text\": ...} object per line")
    return records


def _corpus_record(record: dict, translation, format: OutputFormat) -> dict:
    flags = list(dict.fromkeys(f for s in translation.sentences for f in s.flags))
    result = {**record, "translation": translation.text, "flags": flags}
    if format is OutputFormat.jsonl:
        result["sentences"] = [s.to_record() for s in translation.sentences]
    return result


def _report_flags(flags: Counter[str], flagged: int, sentences: int) -> None:
    if flagged:
        kinds = ", ".join(f"{name} {count}" for name, count in flags.most_common())
        err_console.print(f"{flagged} of {sentences} sentences flagged ({kinds}); "
                          'see "flags" in --format jsonl', soft_wrap=True)
