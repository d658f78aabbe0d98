"""What int8 (or another backend) costs a model: translate one reference set under several
backend/compute-type variants and score them against the float32 CTranslate2 baseline.

CTranslate2 users report that int8 can cost BLEU on some models (CTranslate2 #1273); this runs the
same paired tests as ``tarjama eval`` and names the sentences that changed most, so the cost on a
user's own model and data is measured before it ships.
"""
from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tarjama.backends.settings import ModelSettings
from tarjama.errors import InputError, TarjamaError
from tarjama.eval.metrics import DEFAULT_BOOTSTRAP
from tarjama.eval.significance import DEFAULT_AR_TRIALS
from tarjama.translation.settings import TranslatorSettings

logger = logging.getLogger("tarjama")

if TYPE_CHECKING:
    from tarjama.eval.refsets import ReferenceSet
    from tarjama.eval.run import EvalRun
    from tarjama.eval.significance import TestProgress
    from tarjama.eval.systems import System


@dataclass(frozen=True)
class Variant:
    """A backend and compute type to translate with."""

    backend: str
    compute_type: str

    @property
    def label(self) -> str:
        return f"{self.backend} {self.compute_type}"


BASELINE = Variant("ctranslate2", "float32")


def default_variants() -> tuple[Variant, ...]:
    """float32 (the baseline) and int8 on CTranslate2, and float32 on torch when it is installed."""
    variants = [BASELINE, Variant("ctranslate2", "int8")]
    if importlib.util.find_spec("torch") is not None:
        variants.append(Variant("torch", "float32"))
    return tuple(variants)


def parse_variant(text: str) -> Variant:
    """``backend:compute_type`` (``ctranslate2:int8``, ``torch:float32``) as a :class:`Variant`."""
    from tarjama.backends.torch_backend import TORCH_COMPUTE_TYPES

    backend, _, compute_type = text.partition(":")
    if not backend or not compute_type:
        raise InputError(f"variant {text!r}: write it as BACKEND:COMPUTE_TYPE, e.g. "
                         "ctranslate2:int8 or torch:float32")
    if "auto" in (backend, compute_type):
        raise InputError(f"variant {text!r}: name the backend and the compute type themselves, "
                         "not auto, e.g. ctranslate2:int8 or torch:float32")
    try:
        ModelSettings("x", backend=backend, compute_type=compute_type)  # checks both names
    except InputError as err:
        raise InputError(f"variant {text!r}: {err.problem}") from None
    if backend == "torch" and compute_type not in TORCH_COMPUTE_TYPES:
        raise InputError(f"variant {text!r}: the torch backend runs "
                         f"{', '.join(TORCH_COMPUTE_TYPES)}, not {compute_type}")
    return Variant(backend, compute_type)


#: ``progress(variant_label, done, total)``: the segments a variant has translated so far; it is
#: called with ``done == 0`` before the variant's model is loaded and ``done == total`` at its end.
VariantProgress = Callable[[str, int, int], None]


def compare_computes(refset: ReferenceSet, settings: TranslatorSettings,
                     variants: Sequence[Variant] | None = None, *,
                     n_bootstrap: int = DEFAULT_BOOTSTRAP, n_trials: int = DEFAULT_AR_TRIALS,
                     segments: int | None = None, progress: VariantProgress | None = None,
                     test_progress: TestProgress | None = None) -> EvalRun:
    """Translate ``refset``'s source with ``settings`` under each variant's backend and compute
    type (the first is the baseline; default: :func:`default_variants`) and evaluate them
    together, with compare-mt's analyses.

    ``segments`` keeps only the set's first segments (a quick check of a slow model);
    ``progress`` follows each variant's translation (:data:`VariantProgress`), ``test_progress``
    the significance tests.
    """
    from tarjama.eval.run import evaluate_systems

    chosen = tuple(variants) if variants else default_variants()
    labels = [v.label for v in chosen]
    if len(set(labels)) != len(labels):
        raise InputError(f"a variant is given twice: {', '.join(labels)}; give each once")
    if len(chosen) < 2:
        raise InputError(f"only one variant ({labels[0]}) to compare; give at least two, the "
                         "first being the baseline")
    if refset.sources is None:
        raise InputError(f"{refset.name}: the set has no source to translate; give a set with "
                         "its Arabic source")
    if segments is not None:
        refset = refset.head(segments)
    systems: list[System] = []
    for position, variant in enumerate(chosen):
        try:
            systems.append(translate_variant(refset, settings, variant, progress))
        except TarjamaError as err:
            # The baseline is needed; another variant that cannot run here (a compute type this
            # build lacks, a model without torch weights) leaves the others to compare, if any.
            still_possible = len(systems) + len(chosen) - position - 1
            if position == 0 or still_possible < 2:
                raise
            logger.warning("%s: skipped, it cannot run here: %s", variant.label, err.problem)
    return evaluate_systems(refset, systems, n_bootstrap=n_bootstrap, n_trials=n_trials,
                            progress=test_progress)


def translate_variant(refset: ReferenceSet, settings: TranslatorSettings, variant: Variant,
                      progress: VariantProgress | None = None) -> System:
    """``refset``'s source translated with ``settings`` under ``variant``, as a system named by
    the variant."""
    from tarjama.eval.run import translate_system
    from tarjama.translation import Translator

    sources = refset.sources or ()
    total = len(sources)
    if progress is not None:
        progress(variant.label, 0, total)
    model = replace(settings.model, backend=variant.backend, compute_type=variant.compute_type)
    translator = Translator(replace(settings, model=model))
    system = translate_system(translator, sources, variant.label,
                              None if progress is None
                              else lambda done, _: progress(variant.label, done, total))
    if progress is not None:
        progress(variant.label, total, total)
    return system


def changed_lines(run: EvalRun, system: int) -> int:
    """How many segments ``run.results[system]`` translated differently from the baseline."""
    baseline = run.baseline.system.hypotheses
    return sum(a != b for a, b in zip(baseline, run.results[system].system.hypotheses, strict=True))
