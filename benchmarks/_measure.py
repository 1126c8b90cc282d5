"""Shared by the benchmark scripts: time one process and append results."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak RSS in MiB) of that process alone."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def publish(text: str, *, append: bool) -> None:
    """Print a results section and, if asked, append it to benchmarks/RESULTS.md."""
    print(text)
    if append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
