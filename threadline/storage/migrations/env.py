"""Alembic environment: runs on the connection handed over by `storage.db.migrate`."""

from __future__ import annotations

from alembic import context

from threadline.storage.db import managed_by_hand
from threadline.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - Threadline always passes a connection
    raise RuntimeError("run migrations through threadline.storage.db.migrate()")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave the hand-made trigram search objects (see 0001) out of autogenerate."""
    return not managed_by_hand(name, type_)


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
