"""event sort: incidents.sort_day, and indexes that serve the events list's order

The events list is ordered oldest first, undated last, then by id. As
``date_start IS NULL, date_start, id`` no index could serve it, so each page sorted
every incident. ``sort_day`` is ``date_start`` or 9999-12-31, filled here for existing
rows. Three indexes serve the order: (sort_day, id), and the same after country and
after category (replacing their single-column indexes), each carrying the columns of
the range filters, the map and the timeline, so those are answered from the index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 05:10:00
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: What undated incidents sort by (``models.UNDATED``, copied: a migration must not change
#: when the models do).
UNDATED = date(9999, 12, 31)
#: The columns the list's indexes carry after their key (``models.LISTED_COLUMNS``).
LISTED_COLUMNS = [
    "date_end",
    "date_start",
    "fatalities_best",
    "merged_into_id",
    "reports",
    "independent_sources",
    "lat",
    "lon",
]


def upgrade() -> None:
    # Added with a default, then filled, rather than by a batch copy of the table: on
    # SQLite a copy drops the old table, and each row's foreign-key check on the
    # unindexed merged_into_id scans the whole table again (quadratic).
    op.add_column(
        "incidents",
        sa.Column("sort_day", sa.Date(), nullable=False, server_default=UNDATED.isoformat()),
    )
    incidents = sa.table(
        "incidents", sa.column("sort_day", sa.Date()), sa.column("date_start", sa.Date())
    )
    op.execute(
        incidents.update()
        .where(incidents.c.date_start.is_not(None))
        .values(sort_day=incidents.c.date_start)
    )
    op.drop_index(op.f("ix_incidents_category"), table_name="incidents")
    op.drop_index(op.f("ix_incidents_country"), table_name="incidents")
    op.create_index("ix_incidents_listed", "incidents", ["sort_day", "id", *LISTED_COLUMNS])
    for column in ("country", "category"):
        op.create_index(
            f"ix_incidents_listed_by_{column}",
            "incidents",
            [column, "sort_day", "id", *LISTED_COLUMNS],
        )


def downgrade() -> None:
    for name in ("listed_by_category", "listed_by_country", "listed"):
        op.drop_index(f"ix_incidents_{name}", table_name="incidents")
    op.create_index(op.f("ix_incidents_country"), "incidents", ["country"])
    op.create_index(op.f("ix_incidents_category"), "incidents", ["category"])
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("sort_day")
