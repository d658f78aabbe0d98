"""`tarjama serve --engine ray`: the same app on Ray Serve replicas gives the local answers."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("ray.serve")
libretranslatepy = pytest.importorskip("libretranslatepy")

from server_helpers import running_engine  # noqa: E402
from tarjama.errors import BackendUnavailableError  # noqa: E402
from tarjama.server import ServerSettings  # noqa: E402
from tarjama.summarization.settings import SummarizerSettings  # noqa: E402
from tarjama.translation import Translator  # noqa: E402
from tarjama.translation.settings import TranslatorSettings  # noqa: E402
from test_server import ARTICLE, SENTENCES  # noqa: E402

pytestmark = pytest.mark.slow


def test_ray_serve_replica_answers_as_the_local_translator(tiny_models):
    from tarjama.server.ray_engine import RayEngine

    translation = TranslatorSettings.of(str(tiny_models.marian))
    settings = ServerSettings(port=0, request_timeout_s=600)
    try:
        engine = RayEngine(translation, SummarizerSettings.of(str(tiny_models.summarizer)),
                           settings, strategy="auto", replicas=1)
    except BackendUnavailableError as err:
        # Only Ray's own start-up is excused (a machine too busy for its node to start in time).
        pytest.skip(f"Ray did not start here: {err}")
    local = Translator(translation)
    with running_engine(engine, settings) as server:
        client = libretranslatepy.LibreTranslateAPI(server.url)
        with ThreadPoolExecutor(8) as pool:
            served = list(pool.map(lambda s: client.translate(s, "ar", "en"), SENTENCES))
        article = client.translate(ARTICLE, "ar", "en")
    assert served == [t.text for t in local.translate_documents(SENTENCES)]
    assert article == local.translate(ARTICLE).text
