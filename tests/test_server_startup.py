"""`tarjama serve` starting: with `--glossary` every request is translated with the glossary, as
`translate --glossary` does; a bad glossary file, a replica count that cannot work, a port in use
or an address not of this machine stops the command at start-up, in one line, before any model
loads."""
from __future__ import annotations

import socket

import pytest

pytest.importorskip("fastapi")
libretranslatepy = pytest.importorskip("libretranslatepy")

from typer.testing import CliRunner  # noqa: E402

from server_helpers import running_engine  # noqa: E402
from tarjama.cli import app as cli  # noqa: E402
from tarjama.pipeline import Pipeline  # noqa: E402
from tarjama.server import ServerSettings  # noqa: E402
from tarjama.server.engine import LocalEngine  # noqa: E402
from tarjama.terms.glossary import Glossary  # noqa: E402
from tarjama.translation import Translator, TranslatorSettings  # noqa: E402
from test_server import post  # noqa: E402

GLOSSARY = "الكاظمي\tMustafa al-Kadhimi\nداعش\tISIS\nالبنتاغون\tthe Pentagon\n"
ARTICLE = "قال رئيس الوزراء للكاظمي إن داعش هُزم.\nوزار الكاظمي البنتاغون.\n"


@pytest.fixture(scope="module")
def glossary_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("glossary") / "terms.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    return path


def test_requests_are_translated_with_the_glossary(tiny_models, glossary_file):
    # What `tarjama serve --glossary FILE` builds: translator settings holding the glossary.
    translation = TranslatorSettings.of(str(tiny_models.marian), glossary=Glossary.read(glossary_file))
    settings = ServerSettings(port=0, request_timeout_s=600)
    engine = LocalEngine(Pipeline(translation, str(tiny_models.summarizer), keep_models_loaded=True),
                         settings)
    expected = Translator(translation).translate(ARTICLE)
    with running_engine(engine, settings) as server:
        served = libretranslatepy.LibreTranslateAPI(server.url).translate(ARTICLE, "ar", "en")
        status, native, _ = post(server.url, "/v1/translate", {"texts": [ARTICLE]})
    assert served + "\n" == expected.text + "\n"
    for rendering in ("Mustafa al-Kadhimi", "ISIS", "the Pentagon"):
        assert rendering.casefold() in served.casefold()
    assert status == 200
    [record] = native["translations"]
    assert [[t["english"] for t in s["terms"]] for s in record["sentences"]] == \
        [["Mustafa al-Kadhimi", "ISIS"], ["Mustafa al-Kadhimi", "the Pentagon"]]
    assert f"glossary:{translation.glossary.digest}" in record["signature"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--glossary", "{bad}"], "{bad} line 2: no English rendering"),
    (["--glossary", "{missing}"], "glossary {missing}: no such file; give an existing file with "
                                  "--glossary FILE"),
    (["--glossary", "{folder}"], "glossary {folder}: is a folder, not a file"),
    (["--engine", "ray", "--replicas", "0"], "replicas must be a whole number of at least 1, not 0; "
                                             "give --replicas N"),
    (["--engine", "ray", "--replicas", "-2"], "replicas must be a whole number of at least 1, not -2"),
    (["--replicas", "2"], "--replicas is for --engine ray; add --engine ray, or leave --replicas out"),
    (["--ray-address", "10.0.0.1:6379"], "--ray-address is for --engine ray"),
    (["--port", "{busy}"], "cannot listen on 127.0.0.1:{busy} (Address already in use); choose "
                           "another --port, or stop the program that uses it"),
    (["--port", "70000"], "port 70000 is not a TCP port; choose one from 1 to 65535"),
    (["--host", "192.0.2.1"], "cannot listen on 192.0.2.1:0 (Cannot assign requested address); give "
                              "--host an address of this machine"),
    (["--host", "no-such-host.invalid"], "cannot listen on no-such-host.invalid: not an address of "
                                         "this machine"),
], ids=["bad-glossary", "missing-glossary", "folder-glossary", "zero-replicas", "negative-replicas",
        "replicas-without-ray", "address-without-ray", "port-in-use", "port-too-high",
        "foreign-address", "unknown-host"])
def test_bad_start_up_options_are_one_line(tiny_models, tmp_path, arguments, message):
    bad = tmp_path / "bad.tsv"
    bad.write_text("الكاظمي\tKadhimi\nداعش\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        paths = {"bad": bad, "missing": tmp_path / "nope.tsv", "folder": tmp_path,
                 "busy": busy.getsockname()[1]}
        arguments = [a.format(**paths) for a in arguments]
        result = CliRunner().invoke(cli, ["serve", "--port", "0", "--model", str(tiny_models.marian),
                                          *arguments])
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert message.format(**paths) in " ".join(result.output.split())
