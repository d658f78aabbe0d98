"""Which model to run and how: one frozen object that a translator or a summarizer is built from.

It sits on top of the backends layer because it checks its choices against the backends' own
tuples (:data:`~tarjama.backends.BACKEND_CHOICES`, :data:`~tarjama.backends.DEVICES`,
:data:`~tarjama.backends.COMPUTE_TYPES`) and loads the model with :func:`~tarjama.backends.load_backend`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from tarjama.backends import (
    AUTO,
    Seq2SeqBackend,
    check_backend,
    check_compute_type,
    check_device,
    load_backend,
)
from tarjama.errors import InputError
from tarjama.models import resolve_model


@dataclass(frozen=True)
class ModelSettings:
    """The settings of one model: everything that changes what it writes or where it runs.

    ``model`` is a preset, a Hub id or a local folder, ``revision`` the Hub branch, tag or commit;
    ``backend`` is ``auto``, ``ctranslate2`` or ``torch``; ``device`` ``auto``, ``cpu``, ``cuda``
    or ``cuda:N``; ``compute_type`` ``auto`` or a type such as ``int8`` or ``float32``;
    ``num_beams`` the beam size (``None``: the model's own). A choice that is not one of these is an
    :class:`~tarjama.errors.InputError` when the settings are made, before any model loads.
    """

    model: str
    revision: str | None = None
    backend: str = AUTO
    device: str = AUTO
    compute_type: str = AUTO
    num_beams: int | None = None

    def __post_init__(self) -> None:
        check_backend(self.backend)
        check_device(self.device)
        check_compute_type(self.compute_type)
        if self.num_beams is not None and self.num_beams < 1:
            raise InputError(f"num_beams must be at least 1, not {self.num_beams}")

    @classmethod
    def of(cls, model: str | ModelSettings, *, revision: str | None = None, backend: str = AUTO,
           device: str = AUTO, compute_type: str = AUTO,
           num_beams: int | None = None) -> ModelSettings:
        """Settings from a model name and keywords, or ``model`` itself when it is settings already.

        This is how every constructor that takes either form reads its arguments; settings given
        both ways are refused rather than one silently winning.
        """
        name = model.model if isinstance(model, ModelSettings) else model
        built = cls(name, revision, backend, device, compute_type, num_beams)
        if not isinstance(model, ModelSettings):
            return built
        default = cls(name)
        given = [field.name for field in fields(cls)
                 if getattr(built, field.name) != getattr(default, field.name)]
        if given:
            raise InputError(f"{', '.join(given)} given both in the ModelSettings and as a keyword; "
                             "set it in the ModelSettings only")
        return model

    def load(self, task: str, *, shortlist: bool = False) -> Seq2SeqBackend:
        """Find the model for ``task`` (:data:`~tarjama.models.TRANSLATION` or
        :data:`~tarjama.models.SUMMARIZATION`) and load it with the backend these settings name.

        ``shortlist``: run it with its vocabulary shortlist (see :func:`~tarjama.backends.load_backend`).
        """
        source = resolve_model(self.model, task, self.revision)
        return load_backend(source, self.backend, self.device, self.compute_type,
                            shortlist=shortlist)

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values, for a run's manifest."""
        return asdict(self)
