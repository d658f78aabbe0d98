"""What int8 (or another backend) costs a model: translate one reference set under several
backend/compute-type variants and score them against the float32 CTranslate2 baseline.

CTranslate2 users report that int8 can cost BLEU on some models (CTranslate2 #1273); this runs the
same paired tests as ``tarjama eval`` and names the sentences that changed most, so the cost on a
user's own model and data is measured before it ships.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tarjama.backends.settings import ModelSettings
from tarjama.errors import InputError
from tarjama.eval.metrics import DEFAULT_BOOTSTRAP
from tarjama.eval.significance import DEFAULT_AR_TRIALS
from tarjama.translation.settings import TranslatorSettings

if TYPE_CHECKING:
    from tarjama.eval.refsets import ReferenceSet
    from tarjama.eval.run import EvalRun
    from tarjama.translation.translator import ProgressCallback


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
    backend, _, compute_type = text.partition(":")
    if not compute_type:
        raise InputError(f"variant {text!r}: write it as BACKEND:COMPUTE_TYPE, e.g. "
                         "ctranslate2:int8 or torch:float32")
    ModelSettings("x", backend=backend, compute_type=compute_type)  # checks both names
    return Variant(backend, compute_type)


def compare_computes(refset: ReferenceSet, settings: TranslatorSettings,
                     variants: Sequence[Variant] | None = None, *,
                     n_bootstrap: int = DEFAULT_BOOTSTRAP, n_trials: int = DEFAULT_AR_TRIALS,
                     progress: Callable[[str], ProgressCallback | None] | None = None) -> EvalRun:
    """Translate ``refset``'s source with ``settings`` under each variant's backend and compute
    type (the first is the baseline) and evaluate them together, with compare-mt's analyses.

    ``progress(label)`` may give a progress callback for each variant's translation.
    """
    from tarjama.eval.run import evaluate_systems, translate_system
    from tarjama.translation import Translator

    if refset.sources is None:
        raise InputError(f"{refset.name}: the set has no source to translate; give a set with "
                         "its Arabic source")
    chosen = tuple(variants) if variants else default_variants()
    labels = [v.label for v in chosen]
    if len(set(labels)) != len(labels):
        raise InputError(f"a variant is given twice: {', '.join(labels)}")
    if len(chosen) < 2:
        raise InputError("give at least two variants to compare (the first is the baseline)")
    systems = []
    for variant in chosen:
        model = replace(settings.model, backend=variant.backend, compute_type=variant.compute_type)
        translator = Translator(replace(settings, model=model))
        systems.append(translate_system(translator, refset.sources, variant.label,
                                        progress(variant.label) if progress else None))
    return evaluate_systems(refset, systems, n_bootstrap=n_bootstrap, n_trials=n_trials)


def changed_lines(run: EvalRun, system: int) -> int:
    """How many segments ``run.results[system]`` translated differently from the baseline."""
    baseline = run.baseline.system.hypotheses
    return sum(a != b for a, b in zip(baseline, run.results[system].system.hypotheses, strict=True))
