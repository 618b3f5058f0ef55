"""Alembic migrations of the record's schema; ``repository.open_repository`` runs them."""
