"""PostgreSQL's search index (articles/search.py) and ordering; nothing to do on SQLite, whose index is FTS5.

The index is a stored tsvector column of the article table (title weighted A, text D) with a GIN index, in a
text-search configuration that folds accents (unaccent) and stems English words without dropping stopwords, as
SQLite's FTS5 index does. "<" is read as a space, so text that looks like markup is indexed as words (FTS5
indexes it so). The column is not a model field: Django never reads or writes it, and the row keeps it in
step.
(A later change of the type of `title` or `text` must drop and re-add it: PostgreSQL refuses to alter a column
a generated one reads.)

The text columns that pages sort by collate by code point ("C"), as SQLite does, so lists come out in the same
order on a server whose default collation is linguistic.
"""

from django.db import migrations

CONFIG = "newsreader"
SORTED_COLUMNS = [
    ("articles_article", "source"),
    ("articles_actor", "name"),
    ("articles_entity", "name"),
    ("articles_quotetally", "source"),
    ("articles_feed", "title"),
    ("articles_feed", "url"),
]
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
NUMBER_TOKENS = "numword, numhword, hword_numpart"


def _document(column: str) -> str:
    return f"to_tsvector('{CONFIG}'::regconfig, replace(coalesce({column}, ''), '<', ' '))"


def _set_collation(schema_editor, collation: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        for table, column in SORTED_COLUMNS:
            cursor.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attname = %s",
                [table, column],
            )
            (column_type,) = cursor.fetchone()
            schema_editor.execute(
                f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {column_type} COLLATE "{collation}"'
            )


def create_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"CREATE TEXT SEARCH DICTIONARY {CONFIG}_english_stem (TEMPLATE = snowball, LANGUAGE = english)",
        f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)",
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {WORD_TOKENS} "
        f"WITH unaccent, {CONFIG}_english_stem",
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {NUMBER_TOKENS} WITH unaccent, simple",
        "ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"(setweight({_document('title')}, 'A') || setweight({_document('text')}, 'D')) STORED",
        # No pending list: an article is searchable through the index as soon as it is committed.
        "CREATE INDEX article_search_vector ON articles_article USING GIN (search_vector) "
        "WITH (fastupdate = off)",
    ]:
        schema_editor.execute(statement)
    _set_collation(schema_editor, "C")


def drop_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _set_collation(schema_editor, "default")
    for statement in [
        "ALTER TABLE articles_article DROP COLUMN search_vector",
        f"DROP TEXT SEARCH CONFIGURATION {CONFIG}",
        f"DROP TEXT SEARCH DICTIONARY {CONFIG}_english_stem",
    ]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_annotation_jobs_and_rate_counts")]

    operations = [migrations.RunPython(create_postgres_search, drop_postgres_search)]
