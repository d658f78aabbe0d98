"""The server's limits: sizes, a full queue, time, API keys and rates, CORS, and SIGTERM."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from server_helpers import running_server  # noqa: E402
from tarjama.server import ServerSettings  # noqa: E402
from test_server import SENTENCES, post  # noqa: E402

ORIGIN = "http://intranet.example"


@pytest.fixture(scope="module")
def keys_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keys.txt"
    path.write_text("# newsroom keys\ngood-key\nslow-key 2\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def limited(tiny_models, keys_file):
    settings = ServerSettings(port=0, max_request_bytes=4000, max_upload_bytes=6000,
                              max_queued_requests=1, request_timeout_s=2, api_keys=keys_file,
                              cors_origins=(ORIGIN,))
    with running_server(tiny_models, settings) as server:
        yield server


def keyed(body: dict, key: str = "good-key") -> dict:
    return {**body, "api_key": key}


TRANSLATE = {"q": SENTENCES[0], "source": "ar", "target": "en"}


def assert_one_line_error(answer: dict) -> None:
    assert set(answer) == {"error"} and "\n" not in answer["error"]
    assert "Traceback" not in answer["error"] and 'File "' not in answer["error"]


@pytest.mark.parametrize(("key", "status", "error"), [
    (None, 403, "Invalid API key: this server needs one; send it as api_key"),
    ("wrong-key", 403, "Invalid API key"),
])
def test_missing_or_wrong_key_is_403(limited, key, status, error):
    body = TRANSLATE if key is None else keyed(TRANSLATE, key)
    got, answer, _ = post(limited.url, "/translate", body)
    assert (got, answer) == (status, {"error": error})


def test_key_in_a_form_a_header_or_a_bearer_token(limited):
    assert post(limited.url, "/translate", form=keyed(TRANSLATE))[0] == 200
    assert post(limited.url, "/translate", TRANSLATE, headers={"X-API-Key": "good-key"})[0] == 200
    assert post(limited.url, "/v1/translate", {"texts": [SENTENCES[0]]},
                headers={"Authorization": "Bearer good-key"})[0] == 200
    assert post(limited.url, "/v1/translate", {"texts": [SENTENCES[0]]})[0] == 403


def test_a_key_past_its_rate_is_429_with_retry_after(limited):
    statuses = [post(limited.url, "/detect", keyed({"q": "نص"}, "slow-key")) for _ in range(3)]
    assert [status for status, _, _ in statuses] == [200, 200, 429]
    _, answer, headers = statuses[2]
    assert answer["error"].startswith("Slowdown: this key's limit is 2 requests per minute")
    assert int(headers["retry-after"]) >= 1


def test_body_over_the_limit_is_413_json(limited):
    status, answer, _ = post(limited.url, "/translate", keyed({**TRANSLATE, "q": "ب" * 3000}))
    assert status == 413
    assert answer == {"error": "request body too large: at most 4000 bytes; send less text at once"}


def test_chunked_body_over_the_limit_is_413_json(limited):
    host, port = urllib.parse.urlsplit(limited.url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    body = json.dumps(keyed({**TRANSLATE, "q": "ب" * 3000})).encode()
    connection.request("POST", "/translate", body=iter([body[:1000], body[1000:]]),
                       headers={"Content-Type": "application/json"}, encode_chunked=True)
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"].startswith("request body too large")


def test_upload_over_its_limit_is_413(limited):
    boundary = "b"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
            + "ب" * 4000 + f"\r\n--{boundary}--\r\n").encode()
    status, answer, _ = post(limited.url, "/translate_file", data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-API-Key": "good-key"})
    assert status == 413 and answer["error"].startswith("request body too large: at most 6000 bytes")


def test_unsupported_upload_is_400(limited):
    boundary = "b"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nar\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nen\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.exe"\r\n\r\n'
            f"MZ\r\n--{boundary}--\r\n").encode()
    status, answer, _ = post(limited.url, "/translate_file", data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-API-Key": "good-key"})
    assert status == 400 and answer["error"].startswith("Invalid request: file format not supported (.exe)")


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.01)


def test_full_queue_is_503_with_retry_after_and_slow_work_504(limited):
    # Hold the model thread: the first request is taken into a batch that cannot run, the second
    # waits in the queue (its one place), the third finds it full.
    release = threading.Event()
    limited.engine._executor.submit(release.wait, 30)
    held: list = []
    waiters = [threading.Thread(target=lambda: held.append(post(limited.url, "/translate", keyed(TRANSLATE))))
               for _ in range(2)]
    batches = limited.engine.batches
    waiters[0].start()
    wait_until(lambda: limited.engine.batches == batches + 1)
    waiters[1].start()
    wait_until(lambda: limited.engine.waiting == 1)
    status, answer, headers = post(limited.url, "/translate", keyed(TRANSLATE))
    for waiter in waiters:
        waiter.join(30)
    release.set()
    assert status == 503 and headers["retry-after"] == "1"
    assert answer == {"error": "the server is busy (its queue of requests is full); retry after 1 s"}
    assert [status for status, _, _ in held] == [504, 504]
    assert held[0][1] == {"error": "the request took longer than 2 s; send less text at once, or "
                                   "retry when the server is less busy"}


def test_cors_only_for_the_configured_origin(limited, tiny_models):
    request = urllib.request.Request(limited.url + "/languages", headers={"Origin": ORIGIN})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    request = urllib.request.Request(limited.url + "/languages", headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "Access-Control-Allow-Origin" not in response.headers


def test_every_answer_has_a_request_id(limited):
    status, answer, headers = post(limited.url, "/translate", {"q": "x"})
    assert status == 403 and len(headers["x-request-id"]) == 16
    assert_one_line_error(answer)


@pytest.mark.parametrize("limit", ["-3", "0", "²", "٣", "1.5", "ten"])
def test_bad_keys_file_is_one_line(tmp_path, limit):
    from tarjama.errors import InputError
    from tarjama.server.keys import ApiKeys

    path = tmp_path / "keys.txt"
    path.write_text(f"good 10\nbad {limit}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: expected KEY or KEY REQUESTS_PER_MINUTE"):
        ApiKeys.read(path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_sigterm_finishes_the_requests_in_flight_then_exits_0(tiny_models):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "tarjama", "serve", "--port", str(port),
                                "--model", str(tiny_models.marian), "--no-cache"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/ready", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                assert process.poll() is None, process.communicate()[1].decode()
                assert time.monotonic() < deadline, "the server did not get ready"
                time.sleep(0.1)
        answers: list = []
        long_text = "\n".join(SENTENCES * 40)
        client = threading.Thread(target=lambda: answers.append(
            post(url, "/translate", {"q": long_text, "source": "ar", "target": "en"})))
        client.start()

        def in_flight() -> bool:
            with urllib.request.urlopen(url + "/ready", timeout=5) as response:
                return bool(json.loads(response.read())["in_flight"])

        wait_until(in_flight)
        process.send_signal(signal.SIGTERM)
        client.join(120)
        assert process.wait(120) == 0, process.communicate()[1].decode()
    finally:
        if process.poll() is None:
            process.kill()
    status, answer, _ = answers[0]
    assert status == 200 and len(answer["translatedText"].splitlines()) == len(SENTENCES) * 40
