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
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BackendOpt,
    BeamsOpt,
    ComputeTypeOpt,
    DeviceOpt,
    EncodingOpt,
    GlossaryOpt,
    GuardOpt,
    InputsArg,
    ModelOpt,
    NoCacheOpt,
    OutputFormat,
    OutputPathOpt,
    RevisionOpt,
    cli_message,
    emit,
    err_console,
    keeps_cache,
    refuse_overwriting_inputs,
    reports_errors,
    warn_cache_fault,
)
from tarjama.cli.document_io import ArticleOnlyOpt, DocFormatOpt, document_format, read_article
from tarjama.cli.reporting import progress_bar, report_run
from tarjama.documents.document import Document
from tarjama.documents.registry import DOCUMENT_SUFFIXES
from tarjama.errors import InputError
from tarjama.models import DEFAULT_TRANSLATION_MODEL, GenerationOptions
from tarjama.terms.glossary import Glossary
from tarjama.textio import (
    FILE,
    FOLDER,
    STDIN,
    JsonlError,
    dumps_jsonl,
    join_problems,
    path_kind,
    read_jsonl,
    read_text,
    write_bytes_atomic,
    write_text_atomic,
)
from tarjama.translation.result import Translation
from tarjama.translation.settings import TranslatorSettings

CORPUS_SUFFIX = ".jsonl"
TEXT_SUFFIX = ".txt"


class Engine(str, Enum):
    """Where ``translate`` runs: this process, or a Ray cluster."""

    local = "local"
    ray = "ray"


EngineOpt = Annotated[Engine, typer.Option(
    "--engine", help="local: this process; ray: a corpus on a Ray cluster, into shards in -o OUTDIR.")]
RayAddressOpt = Annotated[str | None, typer.Option(
    "--ray-address", help="--engine ray: the cluster to join (ray start --head prints it); "
                          "default: a local Ray on this machine's CPUs.")]
WorkersOpt = Annotated[int, typer.Option(
    "--workers", min=1, help="--engine ray: workers, each loading the model once.")]
GpusPerWorkerOpt = Annotated[float, typer.Option(
    "--gpus-per-worker", min=0, help="--engine ray: GPUs of each worker (0: CPU, int8).")]
ShardSizeOpt = Annotated[int | None, typer.Option(
    "--shard-size", min=1, help="--engine ray: records per output shard (default 1000); a "
                                "rerun redoes only the shards that are not finished.", show_default=False)]


@dataclass(frozen=True)
class Job:
    """One input and where its translation goes (``None``: standard output); ``document`` is
    the input's document format (``None``: text or a corpus), ``article`` true when only a web
    page's article is translated."""

    source: str
    corpus: bool
    target: Path | None
    document: str | None = None
    article: bool = False

    @property
    def whole_document(self) -> bool:
        """Whether the output is the same document format as the input."""
        return self.document is not None and not self.article


@reports_errors
def translate(
    sources: InputsArg = None,  # type: ignore[assignment]
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    output: OutputPathOpt = None,
    format: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", help="text (default): one line per paragraph; jsonl: one record per "
                               "sentence. A JSONL corpus is always written as JSONL. With --engine "
                               "ray: jsonl (default) or parquet shards.")
    ] = None,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
    no_cache: NoCacheOpt = False,
    guard: GuardOpt = "retry",
    encoding: EncodingOpt = None,
    shortlist: Annotated[bool, typer.Option(
        "--shortlist", help="Use the model's vocabulary shortlist (built with `tarjama shortlist "
                            "build`): faster on CPU, may miss a rare word.")] = False,
    engine: EngineOpt = Engine.local,
    ray_address: RayAddressOpt = None,
    workers: WorkersOpt = 1,
    gpus_per_worker: GpusPerWorkerOpt = 0,
    shard_size: ShardSizeOpt = None,
    doc_format: DocFormatOpt = None,
    article_only: ArticleOnlyOpt = False,
    glossary: GlossaryOpt = None,
    confidence: Annotated[bool, typer.Option(
        "--confidence/--no-confidence", help="Give each sentence the model's own \"confidence\" "
                                             "0-1 in --format jsonl, and the low_confidence flag."
                                             )] = True,
) -> None:
    """Translate Arabic articles into English, keeping their paragraphs in order.

    Web pages, Word files, subtitles and Markdown come back in their own format, as
    NAME.en.SUFFIX beside the input (or in -o OUTDIR), with their markup kept."""
    settings = TranslatorSettings(
        ModelSettings(model, revision=revision, backend=backend, device=device,
                      compute_type=compute_type, shortlist=shortlist),
        GenerationOptions(num_beams=beams), guard=guard, cache=not no_cache,
        glossary=Glossary.read(glossary) if glossary is not None else None, confidence=confidence)
    if engine is Engine.ray:
        from tarjama.cli.translate_ray import translate_on_ray

        translate_on_ray(sources or [STDIN], output, format, settings, encoding=encoding,
                         address=ray_address,
                         workers=workers, gpus_per_worker=gpus_per_worker, shard_size=shard_size)
        return
    if format is OutputFormat.parquet:
        raise InputError("--format parquet writes shards, which only --engine ray does")
    from tarjama.translation import Translator

    started = time.perf_counter()
    jobs = plan_jobs(sources or [STDIN], output, format, doc_format, article_only)
    _refuse_text_for_corpora(jobs, format)
    refuse_overwriting_inputs([job.source for job in jobs], [job.target for job in jobs])
    inputs = _read_all(jobs, encoding)
    translator = Translator(settings, on_cache_error=warn_cache_fault)
    keeps_cache(translator.cache is not None)
    flags: Counter[str] = Counter()
    sentences = flagged = 0
    for number, (job, content) in enumerate(zip(jobs, inputs, strict=True), 1):
        name = "standard input" if job.source == STDIN else Path(job.source).name
        label = f"translating {name}" + (f" ({number}/{len(jobs)})" if len(jobs) > 1 else "")
        with progress_bar(label) as progress:
            if isinstance(content, Document):
                done = content.translate(translator, progress)
                translations = [done.translation]
                data = (done.data if format is None else
                        (translations[0].to_jsonl() if format is OutputFormat.jsonl
                         else translations[0].text + "\n").encode("utf-8"))
            elif not isinstance(content, str):  # a corpus: one record per document
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
        if isinstance(content, Document):
            assert job.target is not None, "plan_jobs gives every document a file"
            write_bytes_atomic(job.target, data)
            if len(jobs) == 1:
                err_console.print(f"wrote {job.target}")
        elif len(jobs) == 1:
            emit(text, job.target)
        else:
            assert job.target is not None, "plan_jobs gives each of several inputs a file"
            write_text_atomic(job.target, text)
    if len(jobs) > 1:
        err_console.print(f"wrote {len(jobs)} files to {output}")
    _report_flags(flags, flagged, sentences)
    tally = translator.tally
    report_run("translated", sentences, tally.from_cache, tally.repeats, started)


def plan_jobs(sources: list[str], output: Path | None, format: OutputFormat | None,
              doc_format: str | None = None, article_only: bool = False) -> list[Job]:
    """The inputs named on the command line, each with the file its translation goes to."""
    expanded: list[str] = []
    folders = {source for source in sources if source != STDIN and path_kind(source) == FOLDER}
    for source in sources:
        path = Path(source)
        if source in folders:
            known = (TEXT_SUFFIX, CORPUS_SUFFIX, *DOCUMENT_SUFFIXES)
            found = sorted(str(p) for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in known and not _english_document(p))
            if not found:
                raise InputError(f"{path}: no {', '.join(known)} files in this folder")
            expanded.extend(found)
        else:
            expanded.append(source)
    several = len(sources) > 1 or bool(folders)
    if not several:
        [source] = expanded
        document = document_format(source, doc_format)
        if document is not None and source == STDIN:
            raise InputError("documents are read from files, not standard input; give the file")
        job = Job(source, document is None and source.endswith(CORPUS_SUFFIX), output, document,
                  article_only and document == "html")
        if output is None and job.whole_document:
            job = replace(job, target=_english_name(Path(source), format, Path(source).parent))
        return [job]
    if STDIN in expanded:
        raise InputError("- (standard input) can only be translated on its own; "
                         "give files or folders instead")
    if output is None or path_kind(output) == FILE:
        raise InputError("several inputs need -o OUTDIR, a folder to write one translation "
                         "per input into" + (f" ({output} is a file)" if output else ""))
    jobs: list[Job] = []
    taken: dict[Path, str] = {}
    for source in expanded:
        document = document_format(source, doc_format)
        corpus = document is None and source.endswith(CORPUS_SUFFIX)
        job = Job(source, corpus, None, document, article_only and document == "html")
        if job.whole_document:
            target = _english_name(Path(source), format, output)
        else:
            suffix = ".en.jsonl" if corpus or format is OutputFormat.jsonl else ".en.txt"
            target = output / (Path(source).stem + suffix)
        if target in taken:
            raise InputError(f"{taken[target]} and {source} would both be written to {target}; "
                             "rename one, or translate them into different folders")
        taken[target] = source
        jobs.append(replace(job, target=target))
    return jobs


def _english_document(path: Path) -> bool:
    """Whether ``path`` is a document's translation written beside it (NAME.en.SUFFIX), which a
    folder run must not take for an input."""
    return path.suffix.lower() in DOCUMENT_SUFFIXES and path.stem.endswith(".en")


def _english_name(source: Path, format: OutputFormat | None, folder: Path) -> Path:
    """Where a document's translation goes: NAME.en.SUFFIX (or .en.txt / .en.jsonl when only
    its text is written)."""
    suffix = {None: source.suffix, OutputFormat.jsonl: ".jsonl"}.get(format, ".txt")
    return folder / f"{source.stem}.en{suffix}"


def _refuse_text_for_corpora(jobs: list[Job], format: OutputFormat | None) -> None:
    """A corpus's output keeps each record (its id, its other fields), which plain text cannot."""
    corpus = next((job.source for job in jobs if job.corpus), None)
    if format is OutputFormat.text and corpus is not None:
        raise InputError(f"{corpus}: a JSONL corpus is translated into JSONL (each record with its "
                         "\"translation\" added), never plain text; leave out --format text, or "
                         "give .txt files")


def _read_all(jobs: list[Job], encoding: str | None
              ) -> list[str | list[dict[str, Any]] | Document]:
    """Every input, read and checked before any work; all problems in all inputs are reported
    together, so one run shows everything to fix."""
    inputs: list[str | list[dict[str, Any]] | Document] = []
    problems: list[str] = []
    for job in jobs:
        try:
            if job.whole_document:
                inputs.append(Document.open(job.source, job.document, encoding))
            elif job.document is not None:
                inputs.append(read_article(job.source, encoding, job.document))
            else:
                inputs.append(read_jsonl(job.source, encoding, _corpus_problem) if job.corpus
                              else read_text(job.source, encoding))
        except JsonlError as err:
            problems.extend(err.problems)
        except InputError as err:
            problems.append(cli_message(err))
    if problems:
        raise InputError(join_problems(problems) + ("; nothing was translated" if len(jobs) > 1
                                                    else ""))
    return inputs


def _corpus_problem(record: Any) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return 'no "text" string; a corpus has one {"id": ..., "text": ...} object per line'
    return None


def _corpus_record(record: dict, translation: Translation, format: OutputFormat | None) -> dict:
    result = {**record, **translation.corpus_fields()}
    if format is OutputFormat.jsonl:
        result["sentences"] = [s.to_record() for s in translation.sentences]
    return result


def _report_flags(flags: Counter[str], flagged: int, sentences: int) -> None:
    if flagged:
        kinds = ", ".join(f"{name} {count}" for name, count in flags.most_common())
        err_console.print(f"{flagged} of {sentences} sentences flagged ({kinds}); "
                          'see "flags" in --format jsonl', soft_wrap=True)
