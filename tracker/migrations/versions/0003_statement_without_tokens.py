"""Statements are no longer segmented: candidate matching finds a commitment's words in their text.

statement.tokens is dropped. A store extracted before is extracted again on the next run (the
code that decides its units changed), so no statement is left without what scoring reads.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.drop_column("tokens")


def downgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.add_column(sa.Column("tokens", sa.JSON(), nullable=False, server_default="[]"))
