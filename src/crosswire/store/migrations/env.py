"""Alembic environment: runs on the connection crosswire hands over (see store.sql.migrate)."""

from __future__ import annotations

from alembic import context

from crosswire.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "crosswire migrations run through crosswire.store.Store, not the alembic CLI"
    )
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
