"""One run at a time, and one decision per place in a commitment's review history.

run_lock holds the run that writes the store (who, where, since when). review_decision gets
sequence, the place of a decision in its commitment's history (1, 2, …): unique per commitment,
so of two reviewers deciding on the same history at once only the first is recorded.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_lock",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("review_decision") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer()))
    op.execute(
        "UPDATE review_decision SET sequence = (SELECT count(*) FROM review_decision AS earlier"
        " WHERE earlier.commitment_id = review_decision.commitment_id AND earlier.id <= review_decision.id)"
    )
    with op.batch_alter_table("review_decision") as batch:
        batch.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_review_decision_sequence", ["commitment_id", "sequence"])


def downgrade() -> None:
    with op.batch_alter_table("review_decision") as batch:
        batch.drop_constraint("uq_review_decision_sequence", type_="unique")
        batch.drop_column("sequence")
    op.drop_table("run_lock")
