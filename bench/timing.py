"""Timing helpers the bench scripts share: samples of a repeated action, percentiles."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(action: Callable[[], object], count: int) -> list[float]:
    """Seconds taken by each of ``count`` runs of ``action``."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` (0..1) of the values lie (no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
