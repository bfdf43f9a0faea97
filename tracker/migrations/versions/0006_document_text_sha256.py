"""A document's content hash: the same report in another encoding or with other line endings.

document.text_sha256 is the sha256 of the document's normalised text (decoded, width folded,
line endings and indentation dropped): the same report saved as UTF-8 and as GBK, or with CRLF
and LF, has one. Ingest takes a new file whose text_sha256 is stored under another name for a
duplicate. Filled here for the stored documents.

Revision ID: 0006
Revises: 0005
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("text_sha256", sa.String(), nullable=True))
        batch.create_index("ix_document_text_sha256", ["text_sha256"], unique=False)
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, text FROM document")).all()
    if not rows:
        return
    from tracker.normalize import normalize

    for document_id, text in rows:
        digest = hashlib.sha256(normalize(text).text.encode()).hexdigest()
        connection.execute(
            sa.text("UPDATE document SET text_sha256 = :digest WHERE id = :id"),
            {"digest": digest, "id": document_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_text_sha256")
        batch.drop_column("text_sha256")
