"""Alembic environment: runs on the connection handed over by `storage.db.migrate`."""

from __future__ import annotations

from alembic import context

from threadline.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - Threadline always passes a connection
    raise RuntimeError("run migrations through threadline.storage.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
