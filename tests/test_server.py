"""`tarjama serve` as LibreTranslate's clients see it: libretranslatepy against a real server."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
libretranslatepy = pytest.importorskip("libretranslatepy")

from typer.testing import CliRunner  # noqa: E402

from server_helpers import running_server  # noqa: E402
from tarjama.cli import app as cli  # noqa: E402

ARTICLE = ("قال الرئيس إن الاجتماع كان ناجحا. وأضاف أن العمل سيستمر.\n"
           "افتتحت السلطات محطة جديدة لتحلية المياه في المدينة.\n")
SENTENCES = ["قال الرئيس إن الاجتماع كان ناجحا.", "وأضاف أن العمل سيستمر.",
             "افتتحت السلطات محطة جديدة لتحلية المياه.", "ارتفعت أسعار النفط اليوم.",
             "أعلنت الحكومة عن خطة جديدة للتعليم.", "فاز الفريق الوطني بالمباراة.",
             "هطلت أمطار غزيرة على العاصمة.", "التقى الوزير بنظيره الفرنسي في باريس."]


@pytest.fixture(scope="module")
def url(tiny_models):
    with running_server(tiny_models) as server:
        yield server.url


@pytest.fixture(scope="module")
def client(url):
    return libretranslatepy.LibreTranslateAPI(url)


def post(url: str, path: str, body: dict | None = None, *, form: dict | None = None,
         data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, dict]:
    """Status, JSON body and headers of a POST (an error status is returned, not raised)."""
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif form is not None:
        data = urllib.parse.urlencode(form, doseq=True).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    request = urllib.request.Request(url + path, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read()), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), {k.lower(): v for k, v in err.headers.items()}


def cli_translation(tiny_models, text: str, tmp_path) -> str:
    source = tmp_path / "in.txt"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", str(source), "--model", str(tiny_models.marian)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_libretranslatepy_translate_detect_languages(client):
    english = client.translate(SENTENCES[0], "ar", "en")
    assert isinstance(english, str) and english and english != SENTENCES[0]
    assert client.detect(SENTENCES[0])[0]["language"] == "ar"
    assert client.detect("The minister met his French counterpart.")[0]["language"] == "en"
    assert {"code": "ar", "name": "Arabic", "targets": ["en"]} in client.languages()


def test_same_answer_as_the_command_line(client, tiny_models, tmp_path):
    assert client.translate(ARTICLE, "ar", "en") + "\n" == cli_translation(tiny_models, ARTICLE, tmp_path)


def test_concurrent_clients_share_batches_and_get_the_command_lines_answers(url, client, tiny_models, tmp_path):
    with ThreadPoolExecutor(len(SENTENCES)) as pool:
        served = list(pool.map(lambda s: client.translate(s, "auto", "en"), SENTENCES * 2))
    alone = cli_translation(tiny_models, "\n".join(SENTENCES), tmp_path).splitlines()
    assert served == alone * 2


def test_json_and_form_bodies_and_q_as_a_list(url):
    status, json_answer, _ = post(url, "/translate", {"q": SENTENCES[:2], "source": "ar", "target": "en"})
    assert status == 200 and len(json_answer["translatedText"]) == 2
    status, form_answer, _ = post(url, "/translate", form={"q": SENTENCES[:2], "source": "ar", "target": "en"})
    assert status == 200 and form_answer == json_answer
    status, auto, _ = post(url, "/translate", {"q": SENTENCES[0], "source": "auto", "target": "en"})
    assert auto["translatedText"] == json_answer["translatedText"][0]
    assert auto["detectedLanguage"]["language"] == "ar"


def test_html_keeps_the_markup(url):
    document = f'<p class="lead">{SENTENCES[0]}</p><script>var x = "{SENTENCES[1]}";</script>'
    status, answer, _ = post(url, "/translate", {"q": document, "source": "ar", "target": "en",
                                                 "format": "html"})
    status_plain, plain, _ = post(url, "/translate", {"q": SENTENCES[0], "source": "ar", "target": "en"})
    assert status == status_plain == 200
    assert answer["translatedText"].startswith('<p class="lead">')
    assert plain["translatedText"].replace("&", "&amp;").replace("<", "&lt;") in answer["translatedText"]
    assert f'<script>var x = "{SENTENCES[1]}";</script>' in answer["translatedText"]


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"source": "ar", "target": "en"}, 400, "Invalid request: missing q parameter"),
    ({"q": "x", "target": "en"}, 400, "Invalid request: missing source parameter"),
    ({"q": "x", "source": "ar"}, 400, "Invalid request: missing target parameter"),
    ({"q": "x", "source": "fr", "target": "en"}, 400, "fr is not supported"),
    ({"q": "x", "source": "ar", "target": "de"}, 400, "de is not supported"),
    ({"q": "x", "source": "ar", "target": "en", "format": "pdf"}, 400, "pdf format is not supported"),
    ({"q": [1, 2], "source": "ar", "target": "en"}, 400, "Invalid request: q must be a string or a list of strings"),
])
def test_bad_translate_requests(url, body, status, error):
    got, answer, _ = post(url, "/translate", body)
    assert got == status
    assert set(answer) == {"error"} and answer["error"].startswith(error)


def test_bad_json_is_a_json_error(url):
    status, answer, _ = post(url, "/translate", data=b"{not json", headers={"Content-Type": "application/json"})
    assert status == 400 and answer == {"error": "Invalid request: the body is not valid JSON"}


def test_translate_file_and_download(url, client):
    boundary = "tarjama-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in (("source", "ar"), ("target", "en"))]
    body = ("".join(parts) + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="article.txt"\r\nContent-Type: text/plain\r\n\r\n').encode() \
        + ARTICLE.encode("utf-8") + f"\r\n--{boundary}--\r\n".encode()
    status, answer, _ = post(url, "/translate_file", data=body,
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200, answer
    with urllib.request.urlopen(answer["translatedFileUrl"], timeout=30) as response:
        assert 'filename="article.en.txt"' in response.headers["Content-Disposition"]
        assert response.read().decode("utf-8") == client.translate(ARTICLE, "ar", "en") + "\n"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(url + "/download_file/..%2F..%2Fetc%2Fpasswd", timeout=30)
    assert missing.value.code == 404 and "error" in json.loads(missing.value.read())


def test_native_api_sentences_with_spans(url, client):
    status, answer, _ = post(url, "/v1/translate", {"texts": [ARTICLE]})
    assert status == 200
    [translation] = answer["translations"]
    assert translation["text"] + "\n" == client.translate(ARTICLE, "ar", "en") + "\n"
    assert [ARTICLE[s["start"]:s["end"]] for s in translation["sentences"]] == \
        [s["source"] for s in translation["sentences"]]
    assert "|engine:" not in translation["signature"] and translation["signature"]


def test_native_segment_eval_summarize(url):
    status, segmented, _ = post(url, "/v1/segment", {"text": ARTICLE})
    assert status == 200 and [len(p["sentences"]) for p in segmented["paragraphs"]] == [2, 1]
    status, scores, _ = post(url, "/v1/eval", {"hypotheses": ["the cat sat"], "references": [["the cat sat"]]})
    assert status == 200 and scores["chrf"]["score"] == pytest.approx(100.0)
    assert set(scores) == {"bleu", "chrf", "chrf++", "ter"} and scores["bleu"]["signature"].startswith("nrefs:1")
    status, bad, _ = post(url, "/v1/eval", {"hypotheses": ["a", "b"], "references": [["a"]]})
    assert status == 400 and "must be aligned line by line" in bad["error"]
    status, summary, _ = post(url, "/v1/summarize", {"text": ARTICLE, "max_words": 30})
    assert status == 200 and summary["summary"] and summary["translated"] is True
    status, bad, _ = post(url, "/v1/summarize", {"text": ARTICLE, "form": "poem"})
    assert status == 400 and "unknown summary form 'poem'" in bad["error"]


def test_health_ready_docs_and_page(url):
    for path in ("/health", "/ready"):
        with urllib.request.urlopen(url + path, timeout=10) as response:
            assert response.status == 200
    with urllib.request.urlopen(url + "/openapi.json", timeout=10) as response:
        paths = json.loads(response.read())["paths"]
    assert {"/translate", "/detect", "/languages", "/translate_file", "/v1/translate",
            "/v1/summarize", "/v1/eval", "/v1/segment"} <= set(paths)
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        page = response.read().decode()
    assert 'dir="rtl"' in page and "http" not in page.replace("http-equiv", "")


def test_api_docs_load_nothing_from_elsewhere(url):
    with urllib.request.urlopen(url + "/docs", timeout=10) as response:
        page = response.read().decode()
    assert "//" not in page, "no URL of another host (FastAPI's own page loads a CDN's)"
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"url: '([^']+)'", page)
    assert len(loaded) == 4 and all(path.startswith("/") for path in loaded), loaded
    for path in loaded:
        with urllib.request.urlopen(url + path, timeout=30) as response:
            assert response.status == 200 and len(response.read()) > 500, path
    for missing in ("/redoc", "/docs/assets/index.html"):  # ReDoc would load its fonts from the web
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url + missing, timeout=10)
        assert error.value.code == 404


def test_translate_file_takes_the_document_formats(url, tiny_models):
    pytest.importorskip("lxml")
    from tarjama.documents import Document
    from tarjama.translation import Translator

    page = f'<html><body><h1>{SENTENCES[0]}</h1><p>{SENTENCES[1]} <b>{SENTENCES[2]}</b></p></body></html>'
    boundary = "tarjama-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nar\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nen\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="page.html"\r\n'
            f'Content-Type: text/html\r\n\r\n{page}\r\n--{boundary}--\r\n').encode()
    status, answer, _ = post(url, "/translate_file", data=body,
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200, answer
    with urllib.request.urlopen(answer["translatedFileUrl"], timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        served = response.read()
    expected = Document.from_bytes(page.encode("utf-8"), "html", "page.html").translate(
        Translator(str(tiny_models.marian))).data
    assert served == expected
