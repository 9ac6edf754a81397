"""Summaries of timings, and what the machine and its processes look like (Linux /proc)."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path


def percentile(samples: list[float], q: float) -> float:
    """Return the q-th percentile (0–100) by linear interpolation between ranks."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(samples_ms: list[float]) -> dict:
    """Return the count, median, p95, max and mean of timings in milliseconds."""
    if not samples_ms:
        return {"n": 0, "p50": None, "p95": None, "max": None, "mean": None}
    return {
        "n": len(samples_ms),
        "p50": round(statistics.median(samples_ms), 3),
        "p95": round(percentile(samples_ms, 95), 3),
        "max": round(max(samples_ms), 3),
        "mean": round(statistics.fmean(samples_ms), 3),
    }


def machine() -> dict:
    """Describe the machine: cores, CPU model, memory, Python, load."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(meminfo_kib("MemTotal") / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": load_average(),
    }


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def meminfo_kib(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid: int) -> int:
    """Return a process's resident set size in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system, all threads) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime: the 14th and 15th fields
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Return the child process ids of a process."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(c) for c in text]
    except OSError:
        pass
    return found


def tree_size(path: Path) -> int:
    """Return the bytes of all files under a folder."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
