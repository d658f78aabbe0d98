"""Where the models run for the server: this process (one model thread, batches shared across
requests), or Ray Serve replicas (:mod:`tarjama.server.ray_engine`). The routers see only
:class:`Engine`."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol, TypeVar

from tarjama.server.batching import BatchQueue, QueueFull
from tarjama.server.settings import ServerSettings

T = TypeVar("T")

if TYPE_CHECKING:
    from tarjama.pipeline import ArticleSummary, Pipeline
    from tarjama.summarization import SummaryOptions
    from tarjama.translation import Translation


class Engine(Protocol):
    """What the routers ask of the models."""

    signature: str
    model: str

    async def start(self) -> None:
        """Load the translation model and start taking requests."""

    async def stop(self) -> None:
        """Finish the requests taken, then let the models go."""

    @property
    def ready(self) -> bool:
        """Whether the translation model is loaded."""

    @property
    def waiting(self) -> int:
        """Requests waiting for the model."""

    @property
    def in_flight(self) -> int:
        """Requests taken and not yet answered."""

    async def translate(self, texts: list[str]) -> list[Translation]:
        """One translation per document, each line of a document a paragraph."""

    async def summarize(self, text: str, options: SummaryOptions) -> ArticleSummary:
        """An English summary of an article."""

    async def translate_document(self, data: bytes, format: str, name: str) -> bytes:
        """A document file (in the :mod:`tarjama.documents` format named ``format``) in English,
        in the same format."""


class LocalEngine:
    """The models of one :class:`~tarjama.Pipeline` in this process, on one thread.

    Translations go through a :class:`BatchQueue`, so concurrent requests share model batches;
    summaries run on the same thread between batches. The pipeline is built by the caller exactly
    as the command line builds it, so a request gets the command line's answer.
    """

    def __init__(self, pipeline: Pipeline, settings: ServerSettings):
        self._pipeline = pipeline
        # One thread: a model is never run by two threads at once.
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="tarjama-model")
        self._queue: BatchQueue[Translation] = BatchQueue(
            self._translate_batch, self._executor, max_batch=settings.max_batch_sentences,
            max_wait_s=settings.max_wait_s, max_queued=settings.max_queued_requests)
        self._ready = False
        self._other_work = 0
        self._max_other_work = settings.max_queued_requests
        self.model = pipeline.translator_settings.model.model
        self.signature = ""

    def _translate_batch(self, texts: list[str]) -> list[Translation]:
        return self._pipeline.translator.translate_documents(texts)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        translator = await loop.run_in_executor(self._executor, lambda: self._pipeline.translator)
        self.signature = translator.signature
        self._queue.start()
        self._ready = True

    async def stop(self) -> None:
        self._ready = False
        await self._queue.stop()
        self._executor.shutdown(wait=True)

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def waiting(self) -> int:
        return self._queue.waiting

    @property
    def in_flight(self) -> int:
        return self._queue.in_flight + self._other_work

    @property
    def batches(self) -> int:
        """Batches run so far (a batch holds the texts of one or more requests)."""
        return self._queue.batches

    async def translate(self, texts: list[str]) -> list[Translation]:
        return await self._queue.submit(texts)

    async def summarize(self, text: str, options: SummaryOptions) -> ArticleSummary:
        return await self._on_model_thread(lambda: self._pipeline.summarize(text, options=options))

    async def translate_document(self, data: bytes, format: str, name: str) -> bytes:
        from tarjama.documents import Document

        return await self._on_model_thread(
            lambda: Document.from_bytes(data, format, name).translate(self._pipeline.translator).data)

    async def _on_model_thread(self, work: Callable[[], T]) -> T:
        """``work`` run between batches on the model thread; at most as many wait as the queue
        holds."""
        if self._other_work >= self._max_other_work:
            raise QueueFull()
        self._other_work += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        finally:
            self._other_work -= 1
