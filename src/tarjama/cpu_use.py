"""How busy the machine's CPUs are, and how much of it is other processes' work: whether a speed
measurement (CTranslate2's thread split, a benchmark round) timed the CPU or the competition."""
from __future__ import annotations

import os

#: A measurement is busy when other processes kept more than this share of the cores busy.
BUSY_OTHERS_SHARE = 0.25


def machine_load() -> float:
    """The machine's load average over the last minute (0 where the system does not tell it)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def machine_busy_cpu_s() -> float | None:
    """Seconds of CPU the whole machine has spent busy since boot (user, nice, system, irq,
    softirq and hypervisor steal, all cores); ``None`` where ``/proc/stat`` is missing."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if len(fields) < 9 or fields[0] != "cpu":
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def others_cores(machine_before: float | None, machine_after: float | None, wall_s: float,
                 own_cpu_s: float) -> float | None:
    """The cores that processes other than ours kept busy on average over ``wall_s`` seconds, in
    which the machine's busy CPU time went from ``machine_before`` to ``machine_after`` and ours
    took ``own_cpu_s``; ``None`` when the machine's busy time is unknown."""
    if machine_before is None or machine_after is None or wall_s <= 0:
        return None
    return max(0.0, (machine_after - machine_before - own_cpu_s) / wall_s)
