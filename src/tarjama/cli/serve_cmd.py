"""``tarjama serve``: the HTTP API and the web page, models loaded once (see :mod:`tarjama.server`)."""
from __future__ import annotations

import errno
import logging
import math
import signal
import socket
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tarjama.backends.settings import ModelSettings
from tarjama.cli._common import (
    BackendOpt,
    BeamsOpt,
    ComputeTypeOpt,
    DeviceOpt,
    GlossaryOpt,
    GuardOpt,
    ModelOpt,
    NoCacheOpt,
    RevisionOpt,
    choices,
    err_console,
    reports_errors,
)
from tarjama.errors import InputError
from tarjama.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATION_MODEL, SUMMARIZATION, GenerationOptions
from tarjama.models.presets import preset_names
from tarjama.pipeline import AUTO, STRATEGIES
from tarjama.server.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_BATCH_SENTENCES,
    DEFAULT_MAX_QUEUED_REQUESTS,
    DEFAULT_MAX_REQUEST_BYTES,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_MAX_WAIT_S,
    DEFAULT_PORT,
    DEFAULT_REQUEST_TIMEOUT_S,
    ServerSettings,
)
from tarjama.summarization.settings import SummarizerSettings
from tarjama.terms.glossary import Glossary
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    import uvicorn

    from tarjama.server.engine import Engine


class ServeEngine(str, Enum):
    """Where ``serve`` runs the models."""

    local = "local"
    ray = "ray"


@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface "
                                           "(then set --api-keys).")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).")] = DEFAULT_PORT,
    model: ModelOpt = DEFAULT_TRANSLATION_MODEL,
    revision: RevisionOpt = None,
    summarizer: Annotated[str, typer.Option(
        help=f"Summarization model: preset ({', '.join(preset_names(SUMMARIZATION))}), Hub id, "
             "or local folder; loaded at the first summary.")] = DEFAULT_SUMMARIZER,
    summarizer_revision: Annotated[str | None, typer.Option(
        help="Hub revision of the summarization model.")] = None,
    strategy: Annotated[str, typer.Option(
        metavar=choices(STRATEGIES), help="What an Arabic article goes through first when "
                                          "summarized (as in `tarjama summarize`).")] = AUTO,
    backend: BackendOpt = "auto",
    device: DeviceOpt = "auto",
    compute_type: ComputeTypeOpt = "auto",
    beams: BeamsOpt = None,
    guard: GuardOpt = "retry",
    shortlist: Annotated[bool, typer.Option(
        "--shortlist", help="Use the model's vocabulary shortlist (as `tarjama translate "
                            "--shortlist`).")] = False,
    no_cache: NoCacheOpt = False,
    glossary: GlossaryOpt = None,
    api_keys: Annotated[Path | None, typer.Option(
        "--api-keys", help="File of API keys, one per line, each optionally followed by its "
                           "requests per minute; without it every request is let in.")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option(
        "--cors-origin", help="An origin whose pages may call the API from a browser "
                              "(repeat for several; * for any). Default: none.")] = None,
    max_request_size: Annotated[int, typer.Option(
        min=1, help="Largest request body in bytes (413 above).")] = DEFAULT_MAX_REQUEST_BYTES,
    max_upload_size: Annotated[int, typer.Option(
        min=1, help="Largest uploaded document in bytes (413 above).")] = DEFAULT_MAX_UPLOAD_BYTES,
    queue_size: Annotated[int, typer.Option(
        min=1, help="Requests that may wait for the model (503 with Retry-After "
                    "beyond).")] = DEFAULT_MAX_QUEUED_REQUESTS,
    batch_size: Annotated[int, typer.Option(
        min=1, help="Texts of concurrent requests gathered into one translator "
                    "call.")] = DEFAULT_MAX_BATCH_SENTENCES,
    max_wait_ms: Annotated[float, typer.Option(
        min=0, help="How long a request waits for others to share its batch.")
    ] = DEFAULT_MAX_WAIT_S * 1000,
    timeout: Annotated[float, typer.Option(
        min=0.001, help="Seconds a request may take (504 beyond).")] = DEFAULT_REQUEST_TIMEOUT_S,
    engine: Annotated[ServeEngine, typer.Option(
        "--engine", help="local: this process; ray: Ray Serve replicas (local Ray, or "
                         "--ray-address).")] = ServeEngine.local,
    # No min= here: the library's check words a bad count in one line (click's would be a box).
    replicas: Annotated[int, typer.Option(
        help="--engine ray: model replicas, each loading the model once.")] = 1,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", help="--engine ray: the cluster to join; default: a local Ray.")] = None,
) -> None:
    """Serve translation over HTTP (LibreTranslate's API and /v1) and a web page at /."""
    if engine is ServeEngine.local and (replicas != 1 or ray_address is not None):
        given = "--replicas" if replicas != 1 else "--ray-address"
        raise InputError(f"{given} is for --engine ray; add --engine ray, or leave {given} out")
    try:
        import uvicorn

        from tarjama.server.app import create_app
    except ImportError as err:
        raise InputError(f"tarjama serve needs the server extra ({err.name} is missing); "
                         "pip install 'tarjama[server]'") from None
    settings = ServerSettings(
        host=host, port=port, max_request_bytes=max_request_size, max_upload_bytes=max_upload_size,
        max_queued_requests=queue_size, max_batch_sentences=batch_size,
        max_wait_s=max_wait_ms / 1000, request_timeout_s=timeout, api_keys=api_keys,
        cors_origins=tuple(cors_origin or ()))
    # Built as `translate` and `summarize` build them, so a request gets the command line's answer.
    translation_model = ModelSettings(model, revision=revision, backend=backend, device=device,
                                      compute_type=compute_type, shortlist=shortlist)
    translation = TranslatorSettings(
        translation_model, GenerationOptions(num_beams=beams), guard=guard, cache=not no_cache,
        glossary=Glossary.read(glossary) if glossary is not None else None)
    # The summarizer runs where the translator does.
    summarization = SummarizerSettings(replace(translation_model, model=summarizer,
                                               revision=summarizer_revision, shortlist=False))
    # The port is taken before the models load: one that is in use is said at once, in one line.
    listening = listening_socket(host, port)
    try:
        app = create_app(_engine(engine, translation, summarization, settings, strategy=strategy,
                                 replicas=replicas, ray_address=ray_address), settings)
    except BaseException:
        listening.close()
        raise
    logging.getLogger("tarjama.server").setLevel(logging.INFO)
    port = listening.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"serving on http://{shown}:{port} (the page at /, the API's docs at /docs); "
                      "Ctrl-C or SIGTERM stops after the requests in flight", soft_wrap=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info",
                                           timeout_graceful_shutdown=math.ceil(settings.request_timeout_s)))
    run_until_signalled(server, listening)


def _engine(engine: ServeEngine, translation: TranslatorSettings, summarization: SummarizerSettings,
            settings: ServerSettings, *, strategy: str, replicas: int, ray_address: str | None) -> Engine:
    """Where the models run: this process, or Ray Serve replicas."""
    if engine is ServeEngine.ray:
        from tarjama.server.ray_engine import RayEngine

        return RayEngine(translation, summarization, settings, strategy=strategy,
                         replicas=replicas, address=ray_address)
    from tarjama.pipeline import Pipeline
    from tarjama.server.engine import LocalEngine

    pipeline = Pipeline(translation, summarization, strategy=strategy, keep_models_loaded=True)
    return LocalEngine(pipeline, settings)


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (not yet listening), for uvicorn to serve on."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"cannot listen on {host}: not an address of this machine ({reason}); "
                         "give --host an address such as 127.0.0.1 or 0.0.0.0") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as err:
        sock.close()
        advice = ("choose another --port, or stop the program that uses it"
                  if err.errno == errno.EADDRINUSE else
                  "choose a port above 1023 with --port" if err.errno == errno.EACCES else
                  "give --host an address of this machine, such as 127.0.0.1 or 0.0.0.0")
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror}); {advice}") from None
    return sock


def run_until_signalled(server: uvicorn.Server, listening: socket.socket) -> None:
    """Run a uvicorn server on the socket ``listening`` until SIGINT or SIGTERM, which it answers
    by finishing the requests in flight; then return (exit 0)."""
    # uvicorn raises the signal it caught again once it has shut down, for whatever handler was
    # there before; by then the work is finished, so that handler ignores it.
    ignore = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[listening])
    finally:
        listening.close()
        for sig, previous in ignore.items():
            signal.signal(sig, previous)
