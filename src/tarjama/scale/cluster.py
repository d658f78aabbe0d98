"""Joining a Ray cluster, or starting a local one on this machine's CPUs."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from tarjama.errors import BackendUnavailableError
from tarjama.scale._ray import require_ray


def local_cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def ray_session(address: str | None = None) -> Iterator[None]:
    """Inside, Ray is connected: to the cluster at ``address``, or to a Ray this process already
    joined, or else to a new local Ray on this machine's CPUs that is shut down on leaving."""
    ray = require_ray()
    if ray.is_initialized():
        yield
        return
    try:
        if address:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
        else:
            ray.init(address="local", num_cpus=local_cpus(), include_dashboard=False,
                     logging_level=logging.WARNING, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise BackendUnavailableError(f"cannot connect to {where}: {reason}") from None
    try:
        yield
    finally:
        ray.shutdown()


def quiet_ray_data() -> None:
    """Keep Ray Data's warnings but not its progress log, written every few seconds when stderr is
    no terminal (on a terminal its progress bars stay)."""
    require_ray()
    logging.getLogger("ray.data").setLevel(logging.WARNING)
