"""Run by alembic for every command: migrate over the connection tracker.store hands in."""

from alembic import context
from sqlmodel import SQLModel

import tracker.decisions  # noqa: F401  (registers the review tables beside the store's)

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
