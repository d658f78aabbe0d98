"""`tarjama serve --engine ray --replicas 2`: the same app on two Ray Serve replicas gives the
local answers, and the requests are shared between the replicas."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
from test_server import ARTICLE  # noqa: E402
from test_server_many_clients import TEXTS  # noqa: E402

pytestmark = pytest.mark.slow

REPLICAS = 2


@pytest.fixture(scope="module")
def translation(tiny_models) -> TranslatorSettings:
    return TranslatorSettings.of(str(tiny_models.marian))


@pytest.fixture(scope="module")
def served(tiny_models, translation):
    from tarjama.server.ray_engine import RayEngine

    settings = ServerSettings(port=0, request_timeout_s=600)
    try:
        engine = RayEngine(translation, SummarizerSettings.of(str(tiny_models.summarizer)),
                           settings, strategy="auto", replicas=REPLICAS)
    except BackendUnavailableError as err:
        # Only Ray's own start-up is excused (a machine too busy for its node to start in time).
        pytest.skip(f"Ray did not start here: {err}")
    with running_engine(engine, settings) as server:
        yield server


def replica_calls() -> Counter[str] | None:
    """Calls each replica of the app has logged, by replica; ``None`` where Ray keeps no logs
    that this process can find."""
    import ray

    node = getattr(ray._private.worker, "_global_node", None)  # Ray has no public way to its logs
    if node is None:
        return None
    logs = Path(node.get_session_dir_path()) / "logs" / "serve"
    return Counter({path.stem.rsplit("_", 1)[-1]: path.read_text(errors="replace").count("translate_one")
                    for path in logs.glob("replica_tarjama_TarjamaReplica_*.log")})


def test_two_replicas_answer_as_the_local_translator(served, translation):
    from ray import serve

    deployment = serve.status().applications["tarjama"].deployments["TarjamaReplica"]
    assert deployment.replica_states.get("RUNNING") == REPLICAS
    before = replica_calls()
    client = libretranslatepy.LibreTranslateAPI(served.url)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda text: client.translate(text, "ar", "en", timeout=600), TEXTS))
    article = client.translate(ARTICLE, "ar", "en", timeout=600)
    local = Translator(translation)
    assert answers == [t.text for t in local.translate_documents(TEXTS)]
    assert article == local.translate(ARTICLE).text
    after = replica_calls()
    if before is None or after is None:
        pytest.skip("the answers are the local ones; whether both replicas took requests is not "
                    "observable here (Ray's logs were not found)")
    taken = after - before
    print(f"calls taken by each replica: {dict(taken)}")
    assert sum(taken.values()) == len(TEXTS) + 1
    assert len(after) == REPLICAS and len(taken) == REPLICAS, \
        f"the requests went to one replica only: {dict(taken)}"


def test_more_replicas_than_the_cluster_has_cpus_is_one_line(served, tiny_models, translation):
    import ray

    from tarjama.errors import InputError
    from tarjama.server.ray_engine import RayEngine

    cpus = int(ray.cluster_resources()["CPU"])
    # Ray Serve itself would wait for ever for the replica that finds no CPU.
    with pytest.raises(InputError, match=f"^{cpus + 1} replicas need {cpus + 1} CPUs, one each, "
                                         f"and the Ray cluster has {cpus}; give replicas={cpus}, "
                                         "or add nodes to the cluster$"):
        RayEngine(translation, SummarizerSettings.of(str(tiny_models.summarizer)),
                  ServerSettings(port=0), strategy="auto", replicas=cpus + 1)
