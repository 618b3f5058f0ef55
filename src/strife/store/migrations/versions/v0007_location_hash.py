"""location hash: articles are found by location through a hash index on PostgreSQL

PostgreSQL's btree indexes refuse an entry longer than about 2.7 kB, so one page with
a long URL (tracking parameters, a signed link) made the whole batch fail (E500). A
hash index has no such limit and serves the only query on this column, equality. On
SQLite, which has no hash index and no such limit, the btree stays (on location alone:
equality finds one location's few versions, and superseded is checked on them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 06:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_articles_location_superseded"), table_name="articles")
    op.create_index(op.f("ix_articles_location"), "articles", ["location"], postgresql_using="hash")


def downgrade() -> None:
    op.drop_index(op.f("ix_articles_location"), table_name="articles")
    op.create_index(op.f("ix_articles_location_superseded"), "articles", ["location", "superseded"])
