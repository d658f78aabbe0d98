"""What a server is started with, besides the models: where it listens and its limits."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tarjama.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
#: A JSON or form body larger than this is refused with 413 (LibreTranslate's default character
#: limit is unlimited; a megabyte is about 500,000 Arabic letters, a long book chapter).
DEFAULT_MAX_REQUEST_BYTES = 1 << 20
#: An uploaded document larger than this is refused with 413.
DEFAULT_MAX_UPLOAD_BYTES = 10 << 20
#: Requests waiting for the model at once; one more is refused with 503 and Retry-After. Sized so
#: that 64 clients, each with a request or two in flight, are always served, while a flood is
#: refused before it grows memory without bound.
DEFAULT_MAX_QUEUED_REQUESTS = 256
#: Sentences gathered into one call of the translator: it sorts them by length into model batches.
DEFAULT_MAX_BATCH_SENTENCES = 256
#: How long the first request of a batch waits for others to join it.
DEFAULT_MAX_WAIT_S = 0.01
#: A request still waiting for the model after this long gets 504.
DEFAULT_REQUEST_TIMEOUT_S = 120.0
#: Texts in one /translate request (``q`` as a list).
DEFAULT_MAX_TEXTS = 1000
#: Translated files kept for download, and for how long.
DEFAULT_MAX_STORED_FILES = 200
DEFAULT_FILE_TTL_S = 3600.0


@dataclass(frozen=True)
class ServerSettings:
    """Where the server listens and what it accepts. The model settings are separate: the same
    :class:`~tarjama.ModelSettings` the command line builds for ``translate`` and ``summarize``.

    ``api_keys`` is a file of keys (see :mod:`tarjama.server.keys`); ``None`` lets every request
    in. ``cors_origins`` lists the origins a browser may call the API from; empty: none (CORS off).
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_queued_requests: int = DEFAULT_MAX_QUEUED_REQUESTS
    max_batch_sentences: int = DEFAULT_MAX_BATCH_SENTENCES
    max_wait_s: float = DEFAULT_MAX_WAIT_S
    request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S
    max_texts: int = DEFAULT_MAX_TEXTS
    api_keys: Path | None = None
    cors_origins: tuple[str, ...] = field(default=())
    max_stored_files: int = DEFAULT_MAX_STORED_FILES
    file_ttl_s: float = DEFAULT_FILE_TTL_S

    def __post_init__(self) -> None:
        for name in ("max_request_bytes", "max_upload_bytes", "max_queued_requests",
                     "max_batch_sentences", "max_texts", "max_stored_files"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1, not {getattr(self, name)}")
        for name in ("request_timeout_s", "file_ttl_s"):
            if getattr(self, name) <= 0:
                raise InputError(f"{name} must be above 0, not {getattr(self, name)}")
        if self.max_wait_s < 0:
            raise InputError(f"max_wait_s must be 0 or more, not {self.max_wait_s}")
        if not 0 <= self.port <= 65535:
            raise InputError(f"port {self.port} is not a TCP port; choose one from 1 to 65535")
