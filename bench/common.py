"""What every benchmark family shares: a metric, statistics over repeated runs, the machine's load."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field


BASE_SCALE = 20_000  # the scale whose metric names carry no size (the interface since issue 7)
# A metric's name at another scale (issue 19): the size goes where the 20,000-case name has it or at the end.
SCALED_NAMES = {
    "sync_initial_20k_s": "sync_initial_{k}_s",
    "sync_initial_ratio_to_limit": "sync_initial_ratio_to_limit_{k}",
    "ui_max_stall_ms": "ui_max_stall_{k}_ms",
    "filter_20k_median_ms": "filter_{k}_median_ms",
    "filter_20k_p90_ms": "filter_{k}_p90_ms",
    "cold_start_s": "cold_start_{k}_s",
    "cold_start_full_list_s": "cold_start_full_list_{k}_s",
    "peak_rss_mb": "peak_rss_{k}_mb",
}


def scaled(name: str, scale: int) -> str:
    """`name` (as at 20,000 cases) at `scale`: unchanged at 20,000 and for the smoke run's tiny data
    (below 1,000), else with the size: `scaled("peak_rss_mb", 100_000) == "peak_rss_100k_mb"`."""
    if scale == BASE_SCALE or scale < 1000 or name not in SCALED_NAMES:
        return name
    return SCALED_NAMES[name].format(k=f"{scale // 1000}k")


def target(scale: int, at_base: str, larger: str) -> str:
    """The target at `scale`: issue 19 allows some metrics more at 100,000 cases than at 20,000."""
    return larger if scale > BASE_SCALE else at_base


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


def context_switches(pid: int) -> dict[int, tuple[int, int]]:
    """Per thread of a process: (voluntary, involuntary) context switches so far (/proc). A
    voluntary one is the thread going to sleep, so each is a wake-up to come. Compare two readings
    per thread (`switches_between`): a thread that ended takes its counts with it."""
    threads = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        counts = {}
        try:
            with open(f"/proc/{pid}/task/{task}/status") as handle:
                for line in handle:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        key, value = line.split()
                        counts[key] = int(value)
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        threads[int(task)] = (counts["voluntary_ctxt_switches:"], counts["nonvoluntary_ctxt_switches:"])
    return threads


def switches_between(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]) -> tuple[int, int, int]:
    """(voluntary, involuntary, threads that ended) between two `context_switches` readings."""
    voluntary = involuntary = 0
    for tid, (vol, invol) in after.items():
        vol0, invol0 = before.get(tid, (0, 0))  # a thread started meanwhile counts from zero
        voluntary, involuntary = voluntary + vol - vol0, involuntary + invol - invol0
    return voluntary, involuntary, len(set(before) - set(after))


def drop_page_cache() -> bool:
    """Empty the OS page cache (root on Linux) so that a cold start reads its files from disk;
    False where the OS does not allow it (then the start is warm, and its note says so)."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as handle:
            handle.write("1\n")
        return True
    except OSError:
        return False


def process_cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
