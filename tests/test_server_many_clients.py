"""64 LibreTranslate clients at once (libretranslatepy, one per thread): each gets the answer to its
own request, or a clean 503 with Retry-After; none is lost and none gets another's answer."""
from __future__ import annotations

import json
import threading
import time
import urllib.error
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
libretranslatepy = pytest.importorskip("libretranslatepy")

from server_helpers import running_server  # noqa: E402
from tarjama.server import ServerSettings  # noqa: E402
from tarjama.translation import Translator  # noqa: E402
from test_server import SENTENCES  # noqa: E402

CLIENTS = 64
# Each request carries its own address, which the translation keeps as written: an answer given
# to the wrong client cannot pass for the right one.
TEXTS = [f"{SENTENCES[i % len(SENTENCES)]} وللمزيد زوروا https://news.example.org/story-{i}"
         for i in range(CLIENTS)]
BUSY = {"error": "the server is busy (its queue of requests is full); retry after 1 s"}


@pytest.fixture(scope="module")
def expected(tiny_models) -> list[str]:
    english = [t.text for t in Translator(str(tiny_models.marian)).translate_documents(TEXTS)]
    for i, text in enumerate(english):
        assert f"https://news.example.org/story-{i}" in text
    return english


def ask(url: str, text: str) -> tuple[int, object, str | None]:
    """Status, answer (the English, or the error body) and Retry-After of one client's request."""
    client = libretranslatepy.LibreTranslateAPI(url)
    try:
        return 200, client.translate(text, "ar", "en", timeout=600), None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), err.headers.get("Retry-After")


def all_at_once(url: str, texts: list[str], rounds: int = 1) -> list[list[tuple[int, object, str | None]]]:
    """Each text sent by its own client, all clients starting together; each sends ``rounds``
    requests one after another. The answers by client, in order."""
    start = threading.Barrier(len(texts))

    def client(text: str) -> list[tuple[int, object, str | None]]:
        start.wait()
        return [ask(url, text) for _ in range(rounds)]

    with ThreadPoolExecutor(len(texts)) as pool:
        return list(pool.map(client, texts))


def test_64_clients_are_all_served_by_default(tiny_models, expected):
    settings = ServerSettings(port=0, request_timeout_s=600)  # the default queue and batch sizes
    with running_server(tiny_models, settings) as server:
        answers = all_at_once(server.url, TEXTS, rounds=2)
        batches = server.engine.batches
    print(f"{CLIENTS} clients x 2 requests: statuses {Counter(s for mine in answers for s, _, _ in mine)}, "
          f"{batches} model batches")
    assert [[status for status, _, _ in mine] for mine in answers] == [[200, 200]] * CLIENTS
    assert [[english for _, english, _ in mine] for mine in answers] == [[e, e] for e in expected]
    assert batches < 2 * CLIENTS, "concurrent requests share model batches"


def test_64_clients_against_a_full_queue_get_their_answer_or_503(tiny_models, expected):
    settings = ServerSettings(port=0, request_timeout_s=600, max_queued_requests=4)
    with running_server(tiny_models, settings) as server:
        engine = server.engine
        # Hold the model thread: the first client's request is taken into a batch that waits for
        # it, then the other 63 arrive together; 4 find room in the queue, the rest find it full.
        release = threading.Event()
        engine._executor.submit(release.wait, 120)
        refused = threading.Semaphore(0)

        def client(text: str) -> tuple[int, object, str | None]:
            answer = ask(server.url, text)
            if answer[0] != 200:
                refused.release()
            return answer

        start = threading.Barrier(CLIENTS - 1)
        with ThreadPoolExecutor(CLIENTS) as pool:
            first = pool.submit(client, TEXTS[0])
            wait_until(lambda: engine.batches == 1)
            others = [pool.submit(lambda t: (start.wait(), client(t))[1], text) for text in TEXTS[1:]]
            # Every client is either refused already or taken by the server (in a batch or queued).
            turned_away = 0

            def all_arrived() -> bool:
                nonlocal turned_away
                while refused.acquire(blocking=False):
                    turned_away += 1
                return turned_away + engine.in_flight == CLIENTS

            wait_until(all_arrived)
            taken = engine.in_flight
            release.set()
            answers = [future.result(600) for future in [first, *others]]
    statuses = [status for status, _, _ in answers]
    print(f"{CLIENTS} clients against a queue of 4: statuses {Counter(statuses)}")
    assert set(statuses) <= {200, 503}
    assert (statuses.count(200), statuses.count(503)) == (taken, CLIENTS - taken) == (5, 59)
    for (status, answer, retry_after), english in zip(answers, expected, strict=True):
        if status == 200:
            assert answer == english
        else:
            assert (answer, retry_after) == (BUSY, "1")


def wait_until(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.01)
