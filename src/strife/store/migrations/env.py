"""Alembic environment: run migrations on the connection the repository hands over.

The repository calls ``alembic.command.upgrade`` with an open connection in
``config.attributes["connection"]``; there is no ``alembic.ini`` and no URL here.
"""

from __future__ import annotations

from alembic import context

from strife.store.models import Base


def _run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
