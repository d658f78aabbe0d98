"""How fast `tarjama serve` answers many clients at once, against offline batched translation.

On the opus-mt-ar-en stand-in (the real architecture of ``Helsinki-NLP/opus-mt-ar-en`` with random
weights, built as ``translate_speed.py --arch base`` builds it), three variants, each in its own
process, in interleaved rounds (``_rounds``):

  (offline) ``Translator(...).translate_sentences(texts)``: every sentence in one call, one process
  (serve)   ``tarjama serve`` in a child process; 32 client threads each send single sentences to
            LibreTranslate's ``/translate``, one after another, until all are translated. The
            server coalesces the concurrent requests into shared batches.
  (cli)     ``tarjama translate`` of the same sentences, for its peak memory

Both translating variants use the model's own beam size and ``guard=flag`` (the random model's
noise is flagged; retrying it would time the noise), without a cache. The serve variant checks
that every answer equals the offline translation of its sentence.

    python benchmarks/serve_speed.py            # 256 sentences, 3 rounds
    python benchmarks/serve_speed.py --quick    # 64 sentences, 2 rounds

The last line is ``ratios: concurrent/offline=X.XX p50_ms=N p95_ms=N rss_serve/rss_cli=X.XX``
(sentences per second of serve over offline; request latencies; peak resident memory of the
server, model loaded and after the run, over the CLI's). Targets: concurrent/offline >= 0.7,
rss_serve/rss_cli <= 1.3.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import _rounds
import translate_speed

CLIENTS = 32
VARIANTS = ("offline", "serve", "cli")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=None, help="default 256 (64 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tarjama-serve-bench")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    _rounds.add_options(parser)
    args = parser.parse_args()
    args.sentences = args.sentences or (64 if args.quick else 256)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.variant:
        print(json.dumps(CHILDREN[args.variant](args)))
        return
    _build(args)
    env = {**os.environ, "TARJAMA_CACHE": str(args.workdir / "cache")}
    results = _rounds.run_rounds(
        VARIANTS,
        lambda v: _rounds.spawn([sys.executable, __file__, "--variant", v, "--workdir",
                                 str(args.workdir), "--sentences", str(args.sentences),
                                 "--clients", str(args.clients)], env=env),
        _rounds.rounds_wanted(args), describe=_describe)
    _rounds.report(results, {
        "concurrent/offline": lambda r: r["serve"].data["rate"] / r["offline"].data["rate"],
        "p50_ms": lambda r: r["serve"].data["p50_ms"],
        "p95_ms": lambda r: r["serve"].data["p95_ms"],
        "rss_serve/rss_cli": lambda r: r["serve"].data["server_rss_mb"] / r["cli"].rss_mb,
    })


def _describe(variant: str, child: _rounds.Child) -> str:
    data = child.data
    if variant == "cli":
        return f"(cli) peak RSS {child.rss_mb:.0f} MB"
    line = f"({variant}) {data['rate']:7.2f} sentences/s"
    if variant == "serve":
        line += (f", p50 {data['p50_ms']:.0f} ms, p95 {data['p95_ms']:.0f} ms, server peak RSS "
                 f"{data['server_rss_mb']:.0f} MB")
    return line


def _build(args: argparse.Namespace) -> None:
    model_dir = args.workdir / "marian-base"
    if not (model_dir / "model.safetensors").is_file():
        translate_speed._build_model(model_dir, translate_speed.ARCHS["base"], args.workdir)
    from tarjama.backends.ctranslate2.marian_spm import MarianSentencePiece

    texts, _ = translate_speed._sentences(MarianSentencePiece(model_dir), args.sentences)
    (args.workdir / "sentences.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    # Converted (and its thread split measured) once, before any variant is timed.
    from tarjama.translation import Translator

    Translator(str(model_dir), guard="flag").translate_sentences(["جملة."])


def _texts(args: argparse.Namespace) -> list[str]:
    return (args.workdir / "sentences.txt").read_text(encoding="utf-8").splitlines()


def _offline(args: argparse.Namespace) -> dict:
    from tarjama.translation import Translator

    texts = _texts(args)
    translator = Translator(str(args.workdir / "marian-base"), guard="flag")
    started = time.perf_counter()
    outputs = translator.translate_sentences(texts)
    seconds = time.perf_counter() - started
    (args.workdir / "offline.json").write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")
    return {"rate": len(texts) / seconds}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(args: argparse.Namespace) -> dict:
    texts = _texts(args)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "tarjama", "serve", "--port", str(port),
                               "--model", str(args.workdir / "marian-base"), "--guard", "flag",
                               "--no-cache", "--timeout", "36000"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(url, server)
        answers: dict[int, str] = {}
        latencies: list[float] = []
        lock = threading.Lock()
        next_text = iter(range(len(texts)))

        def client() -> None:
            while True:
                with lock:
                    index = next(next_text, None)
                if index is None:
                    return
                body = json.dumps({"q": texts[index], "source": "ar", "target": "en"}).encode()
                request = urllib.request.Request(url + "/translate", data=body,
                                                 headers={"Content-Type": "application/json"})
                sent = time.perf_counter()
                with urllib.request.urlopen(request, timeout=600) as response:
                    english = json.loads(response.read())["translatedText"]
                with lock:
                    latencies.append(time.perf_counter() - sent)
                    answers[index] = english

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        with urllib.request.urlopen(url + "/ready", timeout=30):
            pass
        rss_mb = _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(3600)
    offline = args.workdir / "offline.json"
    if offline.is_file():
        expected = json.loads(offline.read_text(encoding="utf-8"))
        differ = sum(answers[i] != expected[i] for i in range(len(texts)))
        if differ:
            print(f"warning: {differ} of {len(texts)} served translations differ from offline",
                  file=sys.stderr)
    quantiles = statistics.quantiles([s * 1000 for s in latencies], n=100)
    return {"rate": len(texts) / seconds, "p50_ms": quantiles[49], "p95_ms": quantiles[94],
            "server_rss_mb": rss_mb}


def _wait_ready(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 600
    while True:
        try:
            with urllib.request.urlopen(url + "/ready", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("cannot read the server's peak memory (VmHWM)")


def _cli(args: argparse.Namespace) -> dict:
    subprocess.run([sys.executable, "-m", "tarjama", "translate", str(args.workdir / "sentences.txt"),
                    "--model", str(args.workdir / "marian-base"), "--guard", "flag", "--no-cache",
                    "-o", str(args.workdir / "cli.en.txt")], check=True, stderr=subprocess.DEVNULL)
    return {}


CHILDREN = {"offline": _offline, "serve": _serve, "cli": _cli}

if __name__ == "__main__":
    main()
