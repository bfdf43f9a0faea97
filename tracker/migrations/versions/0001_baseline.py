"""The store as it stood before migrations: documents, parts, units, verdicts, review decisions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("encoding", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("street", sa.String()),
        sa.Column("district", sa.String()),
        sa.Column("city", sa.String()),
        sa.Column("source_url", sa.String()),
        sa.Column("published", sa.String()),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extracted_with", sa.String()),
    )
    op.create_index("ix_document_name", "document", ["name"], unique=True)
    op.create_index("ix_document_sha256", "document", ["sha256"])
    op.create_index("ix_document_street", "document", ["street"])

    op.create_table(
        "section",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("heading", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
    )
    op.create_index("ix_section_document_id", "section", ["document_id"])

    op.create_table(
        "commitment",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("street", sa.String()),
        sa.Column("district", sa.String()),
        sa.Column("plan_doc", sa.String(), nullable=False),
        sa.Column("plan_period", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("ref", sa.String()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("checkable", sa.Boolean(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.String()),
        sa.Column("level", sa.String()),
        sa.Column("tokens", sa.JSON(), nullable=False),
    )
    op.create_index("ix_commitment_document_id", "commitment", ["document_id"])
    op.create_index("ix_commitment_street", "commitment", ["street"])

    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("street", sa.String()),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("level", sa.String()),
        sa.Column("not_done", sa.Boolean(), nullable=False),
        sa.Column("tokens", sa.JSON(), nullable=False),
    )
    op.create_index("ix_statement_document_id", "statement", ["document_id"])
    op.create_index("ix_statement_period", "statement", ["period"])
    op.create_index("ix_statement_street", "statement", ["street"])

    op.create_table(
        "match",
        sa.Column("commitment_id", sa.String(), primary_key=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason", sa.String()),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("ratio", sa.Float()),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("followup_docs", sa.JSON(), nullable=False),
        sa.Column("awaited_period", sa.String()),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("reported", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_match_disputed", "match", ["disputed"])
    op.create_index("ix_match_status", "match", ["status"])

    op.create_table(
        "segmentcache",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("spans", sa.JSON(), nullable=False),
    )

    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("commitment_id", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("status_before", sa.String(), nullable=False),
        sa.Column("status_after", sa.String(), nullable=False),
        sa.Column("reason", sa.String()),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("note", sa.String()),
        sa.Column("machine_status", sa.String(), nullable=False),
        sa.Column("machine_reason", sa.String()),
        sa.Column("machine_digest", sa.String(), nullable=False),
        sa.Column("undoes", sa.Integer()),
    )
    op.create_index("ix_review_decision_commitment_id", "review_decision", ["commitment_id"])


def downgrade() -> None:
    for table in ("review_decision", "segmentcache", "match", "statement", "commitment", "section"):
        op.drop_table(table)
    op.drop_table("document")
