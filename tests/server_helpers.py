"""Running a real tarjama server (uvicorn, 127.0.0.1, a free port) for the tests."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from tarjama.pipeline import Pipeline
from tarjama.server import ServerSettings, create_app
from tarjama.server.engine import LocalEngine


@dataclass
class Running:
    url: str
    engine: Any


@contextmanager
def running_server(models, settings: ServerSettings | None = None, **pipeline) -> Iterator[Running]:
    """A server on the tiny models (its base URL and engine), stopped on exit."""
    # Generous: on a busy machine the first summary converts and loads the summarizer.
    settings = settings or ServerSettings(port=0, request_timeout_s=600)
    engine = LocalEngine(Pipeline(str(models.marian), str(models.summarizer),
                                  keep_models_loaded=True, **pipeline), settings)
    with running_engine(engine, settings) as running:
        yield running


@contextmanager
def running_engine(engine, settings: ServerSettings) -> Iterator[Running]:
    """A server of ``engine`` on 127.0.0.1 and a free port, stopped on exit."""
    server = uvicorn.Server(uvicorn.Config(create_app(engine, settings), host="127.0.0.1",
                                           port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 900  # a busy machine converts and loads the model slowly
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Running(f"http://127.0.0.1:{port}", engine)
    finally:
        server.should_exit = True
        thread.join(60)
