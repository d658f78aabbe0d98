"""Coalescing concurrent requests into shared model batches, as Ray Serve's ``@serve.batch`` does.

Requests wait in a bounded queue; one task takes the first, waits at most ``max_wait_s`` for
others to join until ``max_batch`` texts are gathered, and hands all their texts to one call of
the batch function on the single model thread. The translator sorts a call's sentences by length
into its model batches, so the coalescing is length-aware without a second planner here. A full
queue refuses at once (:class:`QueueFull`) instead of growing memory without bound.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Generic, TypeVar

R = TypeVar("R")


class QueueFull(Exception):
    """The queue holds as many requests as it may; the client should retry later."""


@dataclass
class _Job(Generic[R]):
    texts: Sequence[str]
    future: asyncio.Future[list[R]]


class BatchQueue(Generic[R]):
    """Runs ``run_batch(texts) -> one result per text`` over the texts of many requests at once.

    ``run_batch`` runs on ``executor`` (one thread: the models are not shared between threads).
    Start with :meth:`start` inside the event loop; :meth:`stop` finishes what is queued first.
    """

    def __init__(self, run_batch: Callable[[list[str]], list[R]], executor: Executor, *,
                 max_batch: int, max_wait_s: float, max_queued: int):
        self._run_batch = run_batch
        self._executor = executor
        self.max_batch = max_batch
        self.max_wait_s = max_wait_s
        self._queue: asyncio.Queue[_Job[R]] = asyncio.Queue(max_queued)
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.in_flight = 0

    @property
    def waiting(self) -> int:
        """Requests queued and not yet taken into a batch."""
        return self._queue.qsize()

    def start(self) -> None:
        """Start the task that forms and runs batches."""
        self._task = asyncio.get_running_loop().create_task(self._serve())

    async def stop(self) -> None:
        """Run what is queued, then stop."""
        await self._queue.join()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def submit(self, texts: Sequence[str]) -> list[R]:
        """The results of ``texts``, computed in a batch shared with other requests.

        Raises :class:`QueueFull` at once when the queue is full.
        """
        if not texts:
            return []
        future: asyncio.Future[list[R]] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait(_Job(texts, future))
        except asyncio.QueueFull:
            raise QueueFull() from None
        self.in_flight += 1
        try:
            return await future
        finally:
            self.in_flight -= 1

    async def _serve(self) -> None:
        while True:
            jobs = await self._gather()
            try:
                await self._run(jobs)
            finally:
                for _ in jobs:
                    self._queue.task_done()

    async def _gather(self) -> list[_Job[R]]:
        loop = asyncio.get_running_loop()
        jobs = [await self._queue.get()]
        size = len(jobs[0].texts)
        deadline = loop.time() + self.max_wait_s
        while size < self.max_batch:
            # What is queued already joins at once; then wait for more until the deadline.
            try:
                job = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    job = await asyncio.wait_for(self._queue.get(), remaining)
                except asyncio.TimeoutError:
                    break
            jobs.append(job)
            size += len(job.texts)
        return jobs

    async def _run(self, jobs: list[_Job[R]]) -> None:
        live = [job for job in jobs if not job.future.done()]
        if not live:
            return
        texts = [text for job in live for text in job.texts]
        self.batches += 1
        try:
            results = await asyncio.get_running_loop().run_in_executor(
                self._executor, self._run_batch, texts)
        except Exception as err:  # handed to each request, which words it for its client
            for job in live:
                if not job.future.done():
                    job.future.set_exception(err)
            return
        start = 0
        for job in live:
            end = start + len(job.texts)
            if not job.future.done():
                job.future.set_result(results[start:end])
            start = end
