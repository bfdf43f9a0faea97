"""Documents carry their province and a place identity; plans and summaries pair only within one.

document.province, document.place (province/city/district/street, None for a place unknown or
ambiguous) and document.place_note (why such a document pairs with nothing); commitment.place
and statement.place copy their document's, and scoring groups by them instead of the street
name, so two same-named streets of different provinces are never paired. A stored document
keeps its street, district and city; its province comes from the national gazetteer.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UNITS = ("commitment", "statement")


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("province", sa.String(), nullable=True))
        batch.add_column(sa.Column("place", sa.String(), nullable=True))
        batch.add_column(sa.Column("place_note", sa.String(), nullable=True))
        batch.create_index("ix_document_place", ["place"], unique=False)
    for table in UNITS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("place", sa.String(), nullable=True))
            batch.create_index(f"ix_{table}_place", ["place"], unique=False)
    _fill_places(op.get_bind())


def _fill_places(connection: sa.Connection) -> None:
    """Each stored document's province and place, from its street, district and city."""
    rows = connection.execute(sa.text("SELECT id, street, district, city FROM document")).all()
    if not rows:
        return
    from tracker.gazetteer import load_gazetteer  # half a second: only for a store with documents
    from tracker.rules import default_rules_dir

    gazetteer = load_gazetteer(default_rules_dir())
    for document_id, street, district, city in rows:
        province = gazetteer.province_of_city(city) if city else None
        place = "/".join(level or "" for level in (province, city, district, street)) if street else None
        note = None if place else "place unknown: no township named"
        connection.execute(
            sa.text(
                "UPDATE document SET province = :province, place = :place, place_note = :note WHERE id = :id"
            ),
            {"province": province, "place": place, "note": note, "id": document_id},
        )
    for table in UNITS:
        of_document = f"SELECT place FROM document WHERE document.id = {table}.document_id"
        connection.execute(sa.text(f"UPDATE {table} SET place = ({of_document})"))


def downgrade() -> None:
    for table in UNITS:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_place")
            batch.drop_column("place")
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_place")
        for column in ("place_note", "place", "province"):
            batch.drop_column(column)
