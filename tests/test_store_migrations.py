"""Alembic migrations bring every store, SQLite or PostgreSQL, to the schema the models declare."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import tracker.decisions  # noqa: F401  (registers the review tables)
from tracker import migrations
from tracker.store import alembic_config, open_store, stored_revision


def test_head_names_the_newest_migration_script():
    with create_engine("sqlite://").connect() as connection:
        assert ScriptDirectory.from_config(alembic_config(connection)).get_heads() == [migrations.HEAD]


def test_an_empty_store_is_brought_to_head_with_every_table(store_url):
    engine = open_store(store_url)
    with engine.connect() as connection:
        assert stored_revision(connection) == migrations.HEAD
        assert set(SQLModel.metadata.tables) <= set(inspect(connection).get_table_names())


def test_the_migrations_build_the_schema_the_models_declare(store_url):
    engine = open_store(store_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_a_store_made_before_migrations_is_adopted_with_its_rows(store_url):
    engine = create_engine(store_url)
    with engine.connect() as connection:  # the schema as `create_all` made it, no alembic_version
        command.upgrade(alembic_config(connection), migrations.BASELINE)
        connection.execute(text("DROP TABLE alembic_version"))
        for event_id, decision in ((1, "accept"), (2, "undo"), (3, "reject")):
            connection.execute(
                text(
                    "INSERT INTO review_decision (id, commitment_id, reviewer, at, decision,"
                    " status_before, status_after, evidence, machine_status, machine_digest)"
                    " VALUES (:id, 'c1', 'ann', CURRENT_TIMESTAMP, :decision,"
                    " 'done', 'done', '[]', 'done', 'x')"
                ),
                {"id": event_id, "decision": decision},
            )
        connection.commit()
    engine.dispose()

    adopted = open_store(store_url)
    with adopted.connect() as connection:
        assert stored_revision(connection) == migrations.HEAD
        rows = connection.execute(text("SELECT id, sequence FROM review_decision ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(1, 1), (2, 2), (3, 3)]
    assert [event.decision for event in tracker.decisions.history(adopted, "c1")] == [
        "accept",
        "undo",
        "reject",
    ]


def test_clients_opening_a_new_store_at_once_all_find_it_migrated(store_url):
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_at_once() -> None:
        start.wait()
        try:
            open_store(store_url)
        except BaseException as error:  # reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=open_at_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with create_engine(store_url).connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            migrations.HEAD
        ]


def test_opening_a_current_store_does_not_load_alembic(store_url):
    open_store(store_url)
    probe = (
        "import sys; from tracker.store import open_store; open_store(sys.argv[1]);"
        " print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, store_url], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_store_at_0003_learns_which_documents_are_synthetic_and_keeps_each_heading(store_url):
    engine = create_engine(store_url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "0003")
        for document_id, first_line in (
            (1, "【合成测试样本 SYNTHETIC】本文件为虚构的测试材料。"),
            (2, "一、2024年工作总结"),
        ):
            connection.execute(
                text(
                    "INSERT INTO document (id, name, path, sha256, encoding, title, years, text, ingested_at)"
                    " VALUES (:id, :name, '', :sha, 'utf-8', '', '[]', :text, CURRENT_TIMESTAMP)"
                ),
                {
                    "id": document_id,
                    "name": f"{document_id}.txt",
                    "sha": str(document_id),
                    "text": first_line,
                },
            )
        connection.execute(
            text(
                "INSERT INTO commitment (id, document_id, plan_doc, plan_period, section, text, char_start,"
                " char_end, ordinal, checkable, items, targets, tokens)"
                " VALUES ('c1', 2, '2.txt', '2025', '(一)加快产业转型', '完成改造', 0, 4, 0, true,"
                " '[]', '[]', '[]')"
            )
        )
        connection.commit()
    engine.dispose()

    migrated = open_store(store_url)
    with migrated.connect() as connection:
        synthetic = connection.execute(text("SELECT name, synthetic FROM document ORDER BY id")).all()
        path = connection.execute(text("SELECT section_path FROM commitment")).scalar()
    assert [(name, bool(flag)) for name, flag in synthetic] == [("1.txt", True), ("2.txt", False)]
    assert (json.loads(path) if isinstance(path, str) else path) == ["(一)加快产业转型"]
