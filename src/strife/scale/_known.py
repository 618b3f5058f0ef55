"""Which pages the record holds already, asked by the Ray workers before they extract.

The workers cannot see the driver's database (a SQLite file on the driver's machine,
or a server they may not reach), so one small actor, :class:`KnownPages`, started on
the driver's node with no CPU of its own, opens the same database read-only in its
own process and answers a whole batch of page digests in one query
(:meth:`Repository.known_hashes`). A page it names is never extracted: a re-run, or a
run resumed after a crash, extracts only the pages not stored yet. When the actor
cannot open the database, the run goes on without the check (every page is
extracted, and storing still finds the stored ones ``unchanged``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from strife.store._engine import BUSY_TIMEOUT, create
from strife.store.repository import Repository

logger = logging.getLogger(__name__)


class KnownPages:
    """The digests among a batch's that the record holds (run as a Ray actor)."""

    def __init__(self, url: str) -> None:
        self.repository: Repository | None = None
        try:
            database = make_url(url).database
            if url.startswith("sqlite") and not (database and Path(database).is_file()):
                return  # not on this node: connecting would create an empty file
            repository = Repository(create(url, busy_timeout=BUSY_TIMEOUT), url=url)
            repository.known_hashes(["0" * 64])  # reaches the database, or fails here
        except Exception as exc:  # strife's, SQLAlchemy's and the drivers' errors alike
            logger.warning("the record cannot be read from the cluster (%s)", exc)
            return
        self.repository = repository

    def ready(self) -> bool:
        """Whether the record could be opened here."""
        return self.repository is not None

    def known(self, hashes: list[str]) -> list[str]:
        """The digests among ``hashes`` that are stored."""
        return [] if self.repository is None else sorted(self.repository.known_hashes(hashes))


def start_known_pages(ray: Any, repository: Repository) -> Any | None:
    """A :class:`KnownPages` actor on this process's node, or None if it cannot read the record."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    url = repository.engine.url.render_as_string(hide_password=False)
    here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
    # No CPU: it only waits on the database, and the workers' pool takes the CPUs.
    # Restarted if killed, so a worker asking it waits for the new one, never fails.
    actor_class = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)(KnownPages)
    actor = actor_class.options(scheduling_strategy=here).remote(url)
    if ray.get(actor.ready.remote()):
        return actor
    ray.kill(actor)
    return None
