"""The server's models on Ray Serve: N replicas, each a :class:`~tarjama.Pipeline` loaded once,
each batching the requests it gets with ``@serve.batch`` (a queue, a maximum batch size, a maximum
wait: what :class:`~tarjama.server.batching.BatchQueue` does in one process). The HTTP app is the
same; only its :class:`~tarjama.server.engine.Engine` differs."""
from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from tarjama.errors import Advice, BackendUnavailableError, InputError
from tarjama.server.batching import QueueFull
from tarjama.server.settings import ServerSettings

if TYPE_CHECKING:
    from tarjama.pipeline import ArticleSummary
    from tarjama.summarization import SummaryOptions
    from tarjama.summarization.settings import SummarizerSettings
    from tarjama.translation import Translation
    from tarjama.translation.settings import TranslatorSettings

APP_NAME = "tarjama"


class PipelineReplica:
    """One replica: the models of a pipeline built as the command line builds it."""

    def __init__(self, translation: TranslatorSettings, summarization: SummarizerSettings,
                 strategy: str, max_batch: int, max_wait_s: float):
        from tarjama.pipeline import Pipeline

        self._pipeline = Pipeline(translation, summarization, strategy=strategy,
                                  keep_models_loaded=True)
        self.signature = self._pipeline.translator.signature
        self.translate_one.set_max_batch_size(max_batch)  # type: ignore[attr-defined]
        self.translate_one.set_batch_wait_timeout_s(max_wait_s)  # type: ignore[attr-defined]

    def get_signature(self) -> str:
        """The translator's signature."""
        return self.signature

    async def translate_one(self, texts: list[str]) -> list[Translation]:
        """Called with one text; Ray Serve gathers the concurrent calls into ``texts``."""
        return self._pipeline.translator.translate_documents(texts)

    def summarize(self, text: str, options: SummaryOptions) -> ArticleSummary:
        """An English summary of an article."""
        return self._pipeline.summarize(text, options=options)

    def translate_document(self, data: bytes, format: str, name: str) -> bytes:
        """A document file in English, in its own format."""
        from tarjama.documents import Document

        return Document.from_bytes(data, format, name).translate(self._pipeline.translator).data


class RayEngine:
    """Ray Serve replicas behind the server's app (see :class:`~tarjama.server.engine.Engine`).

    Ray is joined (``address``) or started locally, and the replicas are deployed, when the engine
    is made; :meth:`stop` shuts down what it started.
    """

    def __init__(self, translation: TranslatorSettings, summarization: SummarizerSettings,
                 settings: ServerSettings, *, strategy: str, replicas: int,
                 address: str | None = None):
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 1:
            raise InputError(f"replicas must be a whole number of at least 1, not {replicas!r}",
                             Advice("replicas", "give {}", metavar="N"))
        try:
            from ray import serve
        except ImportError as err:
            raise BackendUnavailableError(f"the Ray engine needs Ray Serve ({err}); pip install "
                                          "\"ray[serve]\"") from None
        from tarjama.scale.cluster import ray_session

        self._session = contextlib.ExitStack()
        try:
            self._session.enter_context(ray_session(address))
        except BackendUnavailableError:
            raise
        except Exception as err:  # Ray raises a bare Exception when its node fails to start
            where = f"the Ray cluster at {address}" if address else "a local Ray"
            first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
            raise BackendUnavailableError(f"cannot start {where}: {first_line}; check `ray status`, "
                                          "or serve on the local engine") from None
        # Each replica takes one CPU; Ray Serve would wait for ever for a replica with none left.
        import ray

        cpus = int(ray.cluster_resources().get("CPU", 0))
        if replicas > cpus:
            self._session.close()
            raise InputError(f"{replicas} replicas need {replicas} CPUs, one each, and the Ray cluster "
                             f"has {cpus}", Advice("replicas", "give {}, or add nodes to the cluster",
                                                   value=max(cpus, 1)))
        replica = _replica_class(serve)
        app = replica.options(num_replicas=replicas,
                              max_ongoing_requests=settings.max_queued_requests).bind(
            translation, summarization, strategy, settings.max_batch_sentences, settings.max_wait_s)
        serve.start(proxy_location="Disabled")  # the app is served by our own uvicorn
        self._handle: Any = serve.run(app, name=APP_NAME, route_prefix=None)
        self._serve = serve
        self.model = translation.model.model
        self.signature = self._handle.get_signature.remote().result()
        self.replicas = replicas
        self._ready = False
        self._in_flight = 0
        self._max_in_flight = settings.max_queued_requests * replicas

    async def start(self) -> None:
        self._ready = True

    async def stop(self) -> None:
        self._ready = False
        while self._in_flight:
            await asyncio.sleep(0.05)
        self._serve.shutdown()
        self._session.close()

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def waiting(self) -> int:
        return self._in_flight

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def translate(self, texts: list[str]) -> list[Translation]:
        if self._in_flight + len(texts) > self._max_in_flight:
            raise QueueFull()
        self._in_flight += len(texts)
        try:
            return list(await asyncio.gather(*(self._handle.translate_one.remote(text)
                                               for text in texts)))
        finally:
            self._in_flight -= len(texts)

    async def summarize(self, text: str, options: SummaryOptions) -> ArticleSummary:
        result: ArticleSummary = await self._one(self._handle.summarize, text, options)
        return result

    async def translate_document(self, data: bytes, format: str, name: str) -> bytes:
        result: bytes = await self._one(self._handle.translate_document, data, format, name)
        return result

    async def _one(self, method: Any, *args: Any) -> Any:
        if self._in_flight >= self._max_in_flight:
            raise QueueFull()
        self._in_flight += 1
        try:
            return await method.remote(*args)
        finally:
            self._in_flight -= 1


def _replica_class(serve: Any) -> Any:
    """:class:`PipelineReplica` as a Ray Serve deployment whose ``translate_one`` is batched."""

    class Replica(PipelineReplica):
        @serve.batch(max_batch_size=256, batch_wait_timeout_s=0.01)
        async def translate_one(self, texts: list[str]) -> list[Translation]:
            return await super().translate_one(texts)

    Replica.__name__ = Replica.__qualname__ = "TarjamaReplica"
    return serve.deployment(Replica)
