"""Alembic environment: runs on the connection `schema.migrate` hands over, in its transaction."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import newsdesk.core.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through newsdesk.core.store.schema.migrate, which supplies the connection.")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
