"""What to load: one frozen object naming a model and how it runs, which every stage is built from.

It sits on top of the backends layer because it checks its choices against the backends' own
tuples (:data:`~tarjama.backends.BACKEND_CHOICES`, :data:`~tarjama.backends.DEVICES`,
:data:`~tarjama.backends.COMPUTE_TYPES`) and loads the model with :func:`~tarjama.backends.load_backend`.
How to generate is another object (:class:`~tarjama.models.GenerationOptions`); a stage's settings
hold one of each (:class:`~tarjama.translation.settings.TranslatorSettings`,
:class:`~tarjama.summarization.settings.SummarizerSettings`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, TypeVar

from tarjama import env
from tarjama._checks import check_fields
from tarjama.backends import (
    AUTO,
    Seq2SeqBackend,
    check_backend,
    check_compute_type,
    check_device,
    check_shortlist,
    load_backend,
)
from tarjama.errors import InputError
from tarjama.models import GenerationOptions, resolve_model


@dataclass(frozen=True)
class ModelSettings:
    """The settings of one model: which model to load, and where and how it runs.

    ``model`` is a preset (``best``, ``fast``, ``distilbart``...), a Hub id or a local folder;
    ``revision`` the Hub branch, tag or commit (``None``: ``main``); ``backend`` is ``auto``
    (CTranslate2 when it can run the model, else torch), ``ctranslate2`` or ``torch``; ``device``
    ``auto``, ``cpu``, ``cuda`` or ``cuda:N``; ``compute_type`` ``auto`` or a type such as ``int8``
    or ``float32``; ``shortlist`` runs the model with its vocabulary shortlist (CTranslate2 only,
    built with ``tarjama shortlist build``). ``inter_threads`` and ``intra_threads`` are
    CTranslate2's thread split (batches run at once, threads per batch); ``None`` leaves it to
    ``TARJAMA_CT2_INTER_THREADS``/``TARJAMA_CT2_INTRA_THREADS`` when set, else to the split
    measured once for this CPU and model. The split changes speed, never the output.

    A choice that is not one of these is an :class:`~tarjama.errors.InputError` when the settings
    are made, before any model loads.
    """

    model: str
    revision: str | None = None
    backend: str = AUTO
    device: str = AUTO
    compute_type: str = AUTO
    shortlist: bool = False
    inter_threads: int | None = None
    intra_threads: int | None = None

    def __post_init__(self) -> None:
        check_fields(self)
        check_backend(self.backend)
        check_device(self.device)
        check_compute_type(self.compute_type)
        check_shortlist(self.backend, self.shortlist)
        for name in ("inter_threads", "intra_threads"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 1):
                raise InputError(f"{name} must be a whole number, 1 or more, not {value!r}")

    @classmethod
    def of(cls, model: str | ModelSettings, **keywords: Any) -> ModelSettings:
        """Settings from a model name and keywords (the fields above), or ``model`` itself when it
        is settings already.

        This is how every constructor that takes either form reads its arguments. A field given
        both in ``model`` and as a keyword is refused rather than one silently winning.

        Raises :class:`~tarjama.errors.InputError` for a keyword that is not a field, or a field
        given twice, or a bad choice.
        """
        [own] = route_keywords(keywords, cls)
        if isinstance(model, ModelSettings):
            if own:
                raise given_twice(own, "ModelSettings")
            return model
        return cls(model, **own)

    def load(self, task: str) -> Seq2SeqBackend:
        """Find the model for ``task`` (:data:`~tarjama.models.TRANSLATION` or
        :data:`~tarjama.models.SUMMARIZATION`) and load it as these settings say.

        Raises :class:`~tarjama.errors.ModelNotAvailableError` when the model cannot be found,
        :class:`~tarjama.errors.BackendUnavailableError` when the backend named cannot run it, and
        :class:`~tarjama.errors.InputError` for a bad TARJAMA_CT2_*_THREADS value.
        """
        source = resolve_model(self.model, task, self.revision)
        threads = (self.inter_threads, self.intra_threads)
        if threads == (None, None):
            threads = env.ct2_threads()
        return load_backend(source, self.backend, self.device, self.compute_type,
                            shortlist=self.shortlist, threads=threads)

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values, for a run's manifest."""
        return asdict(self)


Stage = TypeVar("Stage")


def stage_settings(cls: type[Stage], settings: object, keywords: Mapping[str, Any]) -> Stage:
    """A stage's settings (a class with ``model`` and ``generation`` fields, such as
    :class:`~tarjama.translation.settings.TranslatorSettings`) from ``settings`` and keywords.

    ``settings`` is the stage's settings already (then no keywords), or a model name or
    :class:`ModelSettings`. Each keyword goes to :class:`ModelSettings`,
    :class:`~tarjama.models.GenerationOptions` or ``cls`` by its name; one of
    :class:`~tarjama.models.GenerationOptions` replaces that field of a ``generation`` given too.
    """
    model, generation, own = route_keywords(keywords, ModelSettings, GenerationOptions, cls)
    if isinstance(settings, cls):
        if keywords:
            raise given_twice(keywords, cls.__name__)
        return settings
    if not isinstance(settings, str | ModelSettings):
        raise InputError(f"settings must be a model name, a ModelSettings or a {cls.__name__}, "
                         f"not {type(settings).__name__}")
    options = own.pop("generation", None) or GenerationOptions()
    return cls(model=ModelSettings.of(settings, **model),  # type: ignore[call-arg]
               generation=replace(options, **generation), **own)


def route_keywords(keywords: Mapping[str, Any], *kinds: type) -> list[dict[str, Any]]:
    """Share ``keywords`` out among settings classes: each goes to the first of ``kinds`` that
    has a field of its name. Raises :class:`~tarjama.errors.InputError` naming a keyword that
    none has, with the valid names."""
    names = [{field.name for field in fields(kind)} for kind in kinds]
    routed: list[dict[str, Any]] = [{} for _ in kinds]
    for key, value in keywords.items():
        owner = next((i for i, known in enumerate(names) if key in known), None)
        if owner is None:
            valid = sorted(set().union(*names))
            raise InputError(f"unknown setting {key!r}; the settings are: {', '.join(valid)}")
        routed[owner][key] = value
    return routed


def given_twice(keywords: Mapping[str, object], holder: str) -> InputError:
    """The error for keywords given beside a settings object that holds them already."""
    return InputError(f"{', '.join(keywords)} given both in the {holder} and as a keyword; set it "
                      f"in the {holder} only")
