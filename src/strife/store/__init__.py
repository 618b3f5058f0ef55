"""The durable record: articles, their sources, events and claims, in SQL.

``models.py`` declares the tables (SQLAlchemy 2), ``repository.py`` opens a
database, saves processed documents and answers queries with plain dataclasses,
and ``migrations/`` brings any database up to the current schema (Alembic).
Nothing outside this package sees an ORM object or a SQLAlchemy error.
"""
