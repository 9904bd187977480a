"""Evaluation: score reports against gold files (dev sets and seed-gold.json).

``run(paths, limit=None, progress=True) -> list[SetResult]`` and ``format_table(results)`` are the
API the CLI's ``sitroom eval`` calls. Metric definitions live in ``metrics.py``.
"""

from .metrics import MetricValue, aggregate, lower_is_better
from .runner import SetResult, format_table, run

__all__ = ["MetricValue", "SetResult", "aggregate", "format_table", "lower_is_better", "run"]
