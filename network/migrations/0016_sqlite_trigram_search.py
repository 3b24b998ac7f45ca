"""On SQLite, the directory search reads a trigram index (FTS5, ``tokenize='trigram'``) of
``search_document`` instead of reading every document: a word is found anywhere in a document,
as ``LIKE '%word%'`` finds it, in time that grows with the matches, not with the table.

The index holds no copy of the text (an external-content table over the model's table) and
triggers keep it in step with every insert, update and deletion. Django's SQLite schema editor
rebuilds a table to alter it, which drops its triggers: a migration that alters these tables
must run ``create`` again (tests/network/test_search.py checks that the triggers are there).
PostgreSQL has its own index on ``search_vector`` (0008)."""

from django.db import migrations

TABLES = ("network_offer", "network_organisation")


def index_sql(table: str) -> list[str]:
    index = f"{table}_search"
    insert = f"INSERT INTO {index}(rowid, search_document) VALUES (new.id, new.search_document);"
    delete = (
        f"INSERT INTO {index}({index}, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document);"
    )
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5(search_document, "
        f"content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE OF search_document "
        f"ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for sql in index_sql(table):
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for suffix in ("_insert", "_delete", "_update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}_search")


class Migration(migrations.Migration):
    dependencies = [("network", "0015_directory_indexes")]

    operations = [migrations.RunPython(create, drop)]
