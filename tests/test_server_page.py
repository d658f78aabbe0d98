"""The web page in headless Chromium (the system's, driven by Playwright): type Arabic, read the
English back sentence by sentence, hover a sentence, download a translated document."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

from server_helpers import running_server  # noqa: E402
from test_server import ARTICLE, post  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                "(apt-get install chromium)")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Where the screenshot of the page is kept when TARJAMA_SCREENSHOT names a file.
SCREENSHOT_VARIABLE = "TARJAMA_SCREENSHOT"


@pytest.fixture(scope="module")
def server(tiny_models):
    with running_server(tiny_models) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_type_arabic_and_read_the_english_side_by_side(server, browser, tmp_path):
    import os

    page = browser.new_page(viewport={"width": 1100, "height": 760})
    requests_elsewhere: list[str] = []
    page.on("request", lambda r: r.url.startswith(server.url) or requests_elsewhere.append(r.url))
    page.goto(server.url + "/")
    source = page.locator("#source")
    assert source.get_attribute("dir") == "rtl"
    source.click()
    page.keyboard.insert_text(ARTICLE)
    page.keyboard.press("Control+Enter")
    rows = page.locator(".pair")
    rows.first.wait_for()
    _, expected, _ = post(server.url, "/v1/translate", {"texts": [ARTICLE]})
    sentences = expected["translations"][0]["sentences"]
    assert rows.count() == len(sentences) == 3
    assert [rows.nth(i).locator(".ar").inner_text() for i in range(3)] == [s["source"] for s in sentences]
    assert [rows.nth(i).locator(".en .text").inner_text() for i in range(3)] == \
        [s["translation"] for s in sentences]
    # Each flag is shown beside its sentence.
    assert [rows.nth(i).locator(".flag").count() for i in range(3)] == [len(s["flags"]) for s in sentences]
    # Hovering the second sentence's English highlights its Arabic source, and only that one.
    rows.nth(1).locator(".en").hover()
    background = [rows.nth(i).locator(".ar").evaluate("e => getComputedStyle(e).backgroundColor")
                  for i in range(3)]
    assert background[1] != background[0] == background[2]
    # Keyboard: Tab reaches the sentences.
    rows.nth(2).focus()
    assert page.evaluate("() => document.activeElement.classList.contains('pair')")
    screenshot = os.environ.get(SCREENSHOT_VARIABLE)
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    assert requests_elsewhere == []


def test_upload_a_document_and_download_its_translation(server, browser, tmp_path):
    document = tmp_path / "article.txt"
    document.write_text(ARTICLE, encoding="utf-8")
    page = browser.new_page()
    page.goto(server.url + "/")
    page.locator("#document").set_input_files(str(document))
    link = page.locator("#download-link")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = Path(download.value.path())
    _, expected, _ = post(server.url, "/v1/translate", {"texts": [ARTICLE]})
    assert saved.read_text(encoding="utf-8") == expected["translations"][0]["text"] + "\n"
    assert download.value.suggested_filename == "article.en.txt"


def test_phone_width_stacks_the_columns(server, browser):
    page = browser.new_page(viewport={"width": 375, "height": 700})
    page.goto(server.url + "/")
    page.locator("#source").fill(ARTICLE)
    page.locator("#translate").click()
    row = page.locator(".pair").first
    row.wait_for()
    arabic, english = row.locator(".ar").bounding_box(), row.locator(".en").bounding_box()
    assert english["y"] >= arabic["y"] + arabic["height"] - 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_api_docs_page_renders_offline(server, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 760})
    requests_elsewhere: list[str] = []
    page.on("request", lambda r: r.url.startswith(server.url) or requests_elsewhere.append(r.url))
    page.goto(server.url + "/docs")
    # Swagger UI drew the API from /openapi.json: LibreTranslate's endpoints and tarjama's own.
    page.locator(".opblock-summary-path", has_text="/v1/translate").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/translate", "/detect", "/languages", "/v1/translate", "/v1/summarize"} <= {
        p.strip().replace("\u200b", "") for p in paths}
    assert page.locator(".errors-wrapper").count() == 0
    assert requests_elsewhere == []
