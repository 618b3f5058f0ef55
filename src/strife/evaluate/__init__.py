"""Evaluation of strife against public gold data, and the report every evaluation returns.

Each evaluation command (``clean.py`` for article cleaning; events and
locations later) reads a data set from a path it is given, runs strife and
its baselines side by side and returns an :class:`EvalReport`. Rendering the
report (a table for people, ``--json`` for machines) is left to the CLI, and
comparing it with pinned floors to ``strife bench``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Decimal places kept in ``to_dict``: enough to see a one-page change on 181 pages.
DECIMALS = 4


@dataclass(slots=True)
class EvalReport:
    """Scores of each system on one data set.

    ``systems`` maps a system name to its metrics (``f1``, ``precision``,
    ``recall``, ``pages_per_second``, ...). ``failures`` maps a system name
    (or ``"input"`` for pages that could not be read at all) to one message per
    page that failed; a failed page is scored as an empty output.
    """

    dataset: str
    n: int
    seconds: float
    systems: dict[str, dict[str, float]]
    failures: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON types, floats rounded; ``failures`` only when any."""
        data: dict[str, Any] = {
            "dataset": self.dataset,
            "n": self.n,
            "seconds": round(self.seconds, DECIMALS),
            "systems": {
                name: {metric: round(value, DECIMALS) for metric, value in metrics.items()}
                for name, metrics in self.systems.items()
            },
        }
        if self.failures:
            data["failures"] = {name: list(messages) for name, messages in self.failures.items()}
        return data
