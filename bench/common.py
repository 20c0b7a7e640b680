"""What every benchmark family shares: a metric, statistics over repeated runs, the machine's load."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field


@dataclass
class Metric:
    """One row of the table and of `latest.json`. `ok` is None when the target is only 'reported'."""

    name: str
    value: float | None
    unit: str
    target: str  # e.g. "<= 1.5", ">= 500", "reported"
    samples: list[float] = field(default_factory=list)
    note: str = ""
    loadavg: str = ""

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return False
        if self.target == "reported":
            return None
        op, bound = self.target.split()
        return self.value <= float(bound) if op == "<=" else self.value >= float(bound)

    def spread(self) -> str:
        """min–max of the samples (the machine is shared: the spread says how far to trust a value)."""
        if len(self.samples) < 2:
            return ""
        return f"{min(self.samples):.4g}–{max(self.samples):.4g} (n={len(self.samples)})"

    def to_json(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
            "samples": [round(s, 6) for s in self.samples],
            "spread": self.spread(),
            "loadavg": self.loadavg,
            "note": self.note,
        }


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): the value below which p% of the samples lie."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def loadavg() -> str:
    """The 1/5/15-minute load averages, noted beside each result (others share the machine)."""
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return ""


def vm_hwm_mb(pid: int | str = "self") -> float:
    """The process's resident-set high-water mark (VmHWM) in MiB."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def process_cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
