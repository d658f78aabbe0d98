"""Neural metrics (COMET) behind one small interface, with the same intervals and tests as BLEU.

A neural metric scores each segment from its source, hypothesis and reference; the corpus score is
the mean, as COMET reports it. Intervals and p-values use sacrebleu's arithmetic on those segment
scores: the bootstrap draws the same resamples as sacrebleu's (its seed, ``default_rng``, ``choice``)
and approximate randomization swaps segments between the two systems as sacrebleu's test does.

COMET comes from the optional ``comet`` extra (unbabel-comet). A checkpoint is a local folder (with
``checkpoints/model.ckpt`` and ``hparams.yaml``), a ``.ckpt`` file, or a Hugging Face Hub id found in
the Hub cache; offline (``HF_HUB_OFFLINE=1``) nothing is downloaded, and a missing checkpoint or
encoder is a one-line :class:`~tarjama.errors.InputError`, never a hang.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tarjama.errors import InputError
from tarjama.eval.metrics import DECIMALS
from tarjama.eval.significance import PairedResult

COMET_EXTRA = "comet"
DEFAULT_COMET_MODEL = "Unbabel/wmt22-comet-da"
COMET_BATCH_SIZE = 16


class NeuralMetric(Protocol):
    """What tarjama asks of a neural metric."""

    name: str
    signature: str

    def segment_scores(self, sources: Sequence[str], hypotheses: Sequence[str],
                       references: Sequence[str]) -> list[float]:
        """One score per segment."""
        ...


@dataclass(frozen=True)
class NeuralScore:
    """A neural metric's corpus score (the mean of its segment scores) with its interval."""

    name: str
    score: float
    signature: str
    segments: tuple[float, ...]
    interval: tuple[float, float] | None = None
    mean: float | None = None

    def to_record(self) -> dict[str, object]:
        """The JSON form (segment scores kept whole)."""
        return {"score": self.score, "signature": self.signature,
                "interval": list(self.interval) if self.interval else None, "mean": self.mean,
                "segment_scores": list(self.segments)}


@dataclass(frozen=True)
class CometMetric:
    """A loaded COMET model; ``spec`` is what the user named (folder, file or Hub id)."""

    spec: str
    model: Any
    name: str = "comet"

    @property
    def signature(self) -> str:
        import comet

        return f"comet:{self.spec}|version:{getattr(comet, '__version__', 'unknown')}"

    def segment_scores(self, sources: Sequence[str], hypotheses: Sequence[str],
                       references: Sequence[str]) -> list[float]:
        data = [{"src": s, "mt": h, "ref": r}
                for s, h, r in zip(sources, hypotheses, references, strict=True)]
        output = self.model.predict(data, batch_size=COMET_BATCH_SIZE, gpus=0,
                                    progress_bar=False, num_workers=1)
        return [float(score) for score in output.scores]


def _missing(spec: str, what: str) -> InputError:
    return InputError(f"COMET checkpoint {spec!r}: {what}; give a local COMET folder "
                      "(checkpoints/model.ckpt and hparams.yaml), or fetch the Hub model once with "
                      f"network access (hf download {spec})")


def _checkpoint(spec: str, offline: bool) -> Path:
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        checkpoint = path / "checkpoints" / "model.ckpt"
        if not checkpoint.is_file():
            raise _missing(spec, f"no checkpoints/model.ckpt in {path}")
        return checkpoint
    if spec.count("/") != 1 or spec.startswith((".", "/", "~")):
        raise _missing(spec, "no such file or folder, and not a Hub id (ORG/NAME)")
    from huggingface_hub import snapshot_download

    try:
        folder = snapshot_download(spec, local_files_only=True)
    except Exception:
        if offline:
            raise _missing(spec, "not in the Hugging Face cache and HF_HUB_OFFLINE is set") from None
        try:
            folder = snapshot_download(spec)
        except Exception as err:
            raise _missing(spec, f"could not be fetched ({type(err).__name__})") from None
    checkpoint = Path(folder) / "checkpoints" / "model.ckpt"
    if not checkpoint.is_file():
        raise _missing(spec, f"the Hub snapshot has no checkpoints/model.ckpt ({folder})")
    return checkpoint


def load_comet(spec: str = DEFAULT_COMET_MODEL) -> CometMetric:
    """Load a COMET checkpoint (a folder, a ``.ckpt`` file or a Hub id from the cache)."""
    try:
        import comet
    except ImportError:
        raise InputError("COMET needs the optional unbabel-comet package; install the "
                         f"'{COMET_EXTRA}' extra, then unbabel-comet 2.2.7 without its "
                         "dependencies (their pins clash with transformers 5; README, Install)") from None
    from huggingface_hub import constants

    from tarjama.eval.comet_compat import mend_xlmr_encoder

    mend_xlmr_encoder()
    offline = bool(constants.HF_HUB_OFFLINE)
    checkpoint = _checkpoint(spec, offline)
    try:
        model = comet.load_from_checkpoint(str(checkpoint), local_files_only=offline)
    except OSError as err:
        # The encoder's tokenizer or configuration (e.g. xlm-roberta-large) is not reachable.
        raise _missing(spec, f"its encoder could not be loaded ({str(err).splitlines()[0]})") \
            from None
    return CometMetric(spec, model)


def _seed(seed: str) -> int | None:
    return None if seed.lower() == "none" else int(seed)


def score_systems(metric: NeuralMetric, sources: Sequence[str],
                  systems: Sequence[Sequence[str]], references: Sequence[str],
                  n_bootstrap: int, n_trials: int, seed: str
                  ) -> list[tuple[NeuralScore, PairedResult | None]]:
    """Score every system with ``metric``; intervals from ``n_bootstrap`` resamples and, for all
    but the first, the paired bootstrap and approximate randomization p-values against it."""
    import numpy as np
    from sacrebleu.significance import estimate_ci

    segment_scores = [np.asarray(metric.segment_scores(sources, hyps, references), dtype="float64")
                      for hyps in systems]
    size = len(references)
    indices = (np.random.default_rng(_seed(seed)).choice(size, size=(n_bootstrap, size))
               if n_bootstrap > 1 else None)
    resampled = [scores[indices].mean(1) for scores in segment_scores] if indices is not None \
        else None
    outcome: list[tuple[NeuralScore, PairedResult | None]] = []
    for index, scores in enumerate(segment_scores):
        interval = mean = None
        if resampled is not None:
            centre, ci = estimate_ci(resampled[index])
            mean = round(float(centre), DECIMALS)
            interval = (round(float(centre - ci), DECIMALS), round(float(centre + ci), DECIMALS))
        score = NeuralScore(metric.name, round(float(scores.mean()), DECIMALS), metric.signature,
                            tuple(float(s) for s in scores), interval, mean)
        paired = None
        if index > 0:
            base = segment_scores[0]
            actual = abs(float(scores.mean()) - float(base.mean()))
            p_bootstrap = p_ar = None
            if resampled is not None:
                differences = np.abs(resampled[index] - resampled[0])
                centred = differences - differences.mean()
                p_bootstrap = (int(np.sum(centred > actual)) + 1) / (n_bootstrap + 1)
            if n_trials > 0:
                swap = np.random.default_rng(_seed(seed)).integers(2, size=(n_trials, size),
                                                                   dtype=bool)
                first = np.where(swap, base, scores).mean(1)
                second = np.where(swap, scores, base).mean(1)
                p_ar = (int(np.sum(np.abs(first - second) > actual)) + 1) / (n_trials + 1)
            paired = PairedResult(metric.name, round(score.score - outcome[0][0].score, DECIMALS),
                                  p_bootstrap, p_ar)
        outcome.append((score, paired))
    return outcome
