"""Scoring translations against references: reference sets, scores with intervals, paired
significance tests and reports.

Nothing heavy is imported here, not even this package's own modules until a name is used:
``tarjama eval`` starts fast, and sacrebleu and matplotlib load when a score or a plot is made.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from tarjama._lazy import lazy_getattr

_EXPORTS = {
    "ConfidenceAgainstScores": "tarjama.eval.confidence",
    "DEFAULT_BOOTSTRAP": "tarjama.eval.metrics",
    "DISPLAY_NAMES": "tarjama.eval.metrics",
    "METRIC_NAMES": "tarjama.eval.metrics",
    "MetricScore": "tarjama.eval.metrics",
    "check_alignment": "tarjama.eval.metrics",
    "score_corpus": "tarjama.eval.metrics",
    "ReferenceSet": "tarjama.eval.refsets",
    "load_reference_set": "tarjama.eval.refsets",
    "load_sacrebleu_set": "tarjama.eval.refsets",
    "reference_set_from_files": "tarjama.eval.refsets",
    "write_report": "tarjama.eval.report",
    "EvalRun": "tarjama.eval.run",
    "System": "tarjama.eval.systems",
    "SystemResult": "tarjama.eval.run",
    "WorstSentence": "tarjama.eval.run",
    "evaluate_systems": "tarjama.eval.run",
    "translate_system": "tarjama.eval.run",
    "DEFAULT_AR_TRIALS": "tarjama.eval.significance",
    "PairedResult": "tarjama.eval.significance",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from tarjama.eval.confidence import ConfidenceAgainstScores
    from tarjama.eval.metrics import (
        DEFAULT_BOOTSTRAP,
        DISPLAY_NAMES,
        METRIC_NAMES,
        MetricScore,
        check_alignment,
        score_corpus,
    )
    from tarjama.eval.refsets import (
        ReferenceSet,
        load_reference_set,
        load_sacrebleu_set,
        reference_set_from_files,
    )
    from tarjama.eval.report import write_report
    from tarjama.eval.run import (
        EvalRun,
        SystemResult,
        WorstSentence,
        evaluate_systems,
        translate_system,
    )
    from tarjama.eval.significance import DEFAULT_AR_TRIALS, PairedResult
    from tarjama.eval.systems import System
