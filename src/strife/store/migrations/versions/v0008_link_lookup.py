"""link lookup: an index on events (country, date_start) for linking's candidate lookup

Linking looks up, for each report, the linked reports of its country (or of none)
within a few days of its dates. Through the country index alone that read every
stored report of the country (BENCHMARKS.md, "Linking at scale"); with the date after
the country, it reads the days asked for. The new index serves lookups by country
alone as well, so it replaces ``ix_events_country``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 06:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_link_lookup", "events", ["country", "date_start"])
    op.drop_index(op.f("ix_events_country"), table_name="events")


def downgrade() -> None:
    op.create_index(op.f("ix_events_country"), "events", ["country"])
    op.drop_index("ix_events_link_lookup", table_name="events")
