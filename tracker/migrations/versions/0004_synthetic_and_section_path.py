"""Documents say whether they are synthetic; commitments keep their whole heading path.

document.synthetic is filled from each stored text's first line with the rules in use (as
ingest now decides it), so that a store made before still flags its test material.
commitment.section_path starts as the one heading stored until now; the next run extracts the
documents again (the code that decides the units changed) and writes the whole path.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The JSON array of one text, in each dialect the store runs on.
ONE_ELEMENT_ARRAY = {"sqlite": "json_array(section)", "postgresql": "json_build_array(section)"}


def upgrade() -> None:
    from tracker.rules import load_rules  # the rules in use decide, as they do at ingest

    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("synthetic", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("commitment") as batch:
        batch.add_column(sa.Column("section_path", sa.JSON(), nullable=False, server_default="[]"))
    connection = op.get_bind()
    op.execute(f"UPDATE commitment SET section_path = {ONE_ELEMENT_ARRAY[connection.dialect.name]}")
    cruft = load_rules().cruft
    document = sa.table(
        "document",
        sa.column("id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("synthetic", sa.Boolean),
    )
    texts = connection.execute(sa.select(document.c.id, document.c.text))
    synthetic = [row.id for row in texts if cruft.marks_synthetic(row.text)]
    if synthetic:
        connection.execute(sa.update(document).where(document.c.id.in_(synthetic)).values(synthetic=True))


def downgrade() -> None:
    with op.batch_alter_table("commitment") as batch:
        batch.drop_column("section_path")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("synthetic")
