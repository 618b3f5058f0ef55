"""strife at scale: the ingest pipeline on a Ray cluster (``strife ingest --engine ray``).

Needs the ``ray`` extra (``pip install 'strife[ray]'``); Ray itself is imported only
when the engine runs, so importing this package stays cheap. See docs/scale.md.
"""

from __future__ import annotations

from strife.scale.engine import RayReport, ingest_with_ray

__all__ = ["RayReport", "ingest_with_ray"]
