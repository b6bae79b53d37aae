"""The full-text index of interview texts: which words each transcript holds, in the database's
own full-text machinery, so a search reads only the transcripts that can match.

Words are defined here, once, in Python, and the database is given them ready-made (it never
tokenizes a transcript itself): a *word* is a maximal run of letters, combining marks, digits and
connecting punctuation (``_``); its *key* is its Unicode case folding (``Straße`` and ``STRASSE``
share the key ``strasse``). Apostrophes, hyphens, emoji, spaces and other punctuation separate
words. PostgreSQL's own parser would make single tokens of e-mail addresses, host names and
decimals (``2.5``) and fold case by the server's locale; handing it the keys keeps the index and
the exact finder of ``coding.search`` in agreement by construction.

- PostgreSQL: ``interviews_interview.search_words``, a ``tsvector`` of the keys
  (``array_to_tsvector``: no parser, no stemming) with a GIN index, and a trigram index on the
  text (``pg_trgm``) for the regular-expression mode's literal prefilter.
- SQLite: an FTS5 table ``interviews_search`` (rowid = interview id) holding the keys separated
  by spaces, tokenized by FTS5's ``ascii`` tokenizer (spaces separate, everything else is kept).

In sync by construction: a database trigger drops an interview's index entry whenever its text
changes (any writer: the import, the admin, a migration, raw SQL) and when it is deleted, and an
interview without an entry is *unindexed*: every search treats it as a candidate and reads it,
so the index can lag but never lie. The import indexes what it stores, and every search first
indexes the study's unindexed interviews (:func:`search_index_missing`), so the lag is at most
until the next search.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import regex
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

from interviews.models import Interview

logger = logging.getLogger(__name__)

WORD_CHARS = r"\p{L}\p{M}\p{N}\p{Pc}"
WORD = regex.compile(f"[{WORD_CHARS}]+")
# Keys longer than this are indexed (and looked up) cut to this length: still sound.
MAX_KEY_CHARS = 100
# PostgreSQL refuses a tsvector over 1 MB; a text whose keys would not fit stays unindexed.
MAX_TSVECTOR_BYTES = 900_000

SQLITE_TABLE = "interviews_search"
MIGRATION = ("interviews", "0009_interview_search_index")

POSTGRES_INSTALL = [
    "ALTER TABLE interviews_interview ADD COLUMN IF NOT EXISTS search_words tsvector",
    "CREATE INDEX IF NOT EXISTS interview_search_words ON interviews_interview "
    "USING gin (search_words)",
    "CREATE INDEX IF NOT EXISTS interview_search_unindexed ON interviews_interview (id) "
    "WHERE search_words IS NULL",
    """CREATE OR REPLACE FUNCTION interviews_search_words_stale() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.text IS DISTINCT FROM OLD.text THEN
            NEW.search_words := NULL;
        END IF;
        RETURN NEW;
    END
    $$""",
    "DROP TRIGGER IF EXISTS interview_search_words_stale ON interviews_interview",
    "CREATE TRIGGER interview_search_words_stale BEFORE UPDATE OF text "
    "ON interviews_interview FOR EACH ROW EXECUTE FUNCTION interviews_search_words_stale()",
]
POSTGRES_TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS interview_text_trgm ON interviews_interview "
    "USING gin (text gin_trgm_ops)",
]
POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS interview_text_trgm",
    "DROP TRIGGER IF EXISTS interview_search_words_stale ON interviews_interview",
    "DROP FUNCTION IF EXISTS interviews_search_words_stale()",
    "DROP INDEX IF EXISTS interview_search_unindexed",
    "DROP INDEX IF EXISTS interview_search_words",
    "ALTER TABLE interviews_interview DROP COLUMN IF EXISTS search_words",
]
SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "words, tokenize = \"ascii tokenchars '_'\")",
    # Django rebuilds a SQLite table to alter it (and its triggers go with it): the app puts
    # them back after every migrate (interviews.apps), hence IF NOT EXISTS.
    "CREATE TRIGGER IF NOT EXISTS interview_search_stale AFTER UPDATE OF text "
    "ON interviews_interview WHEN OLD.text IS NOT NEW.text "
    "BEGIN DELETE FROM interviews_search WHERE rowid = OLD.id; END",
    "CREATE TRIGGER IF NOT EXISTS interview_search_gone AFTER DELETE ON interviews_interview "
    "BEGIN DELETE FROM interviews_search WHERE rowid = OLD.id; END",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS interview_search_gone",
    "DROP TRIGGER IF EXISTS interview_search_stale",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]


def word_key(word: str) -> str:
    """The key a word is indexed and looked up by: its case folding, cut to MAX_KEY_CHARS."""
    return word.casefold()[:MAX_KEY_CHARS]


def words_of(text: str) -> Iterator[tuple[int, int, str]]:
    """Every word of ``text`` as (start, end, word), offsets in code points."""
    for match in WORD.finditer(text):
        yield match.start(), match.end(), match.group()


def word_keys(text: str) -> set[str]:
    return {word_key(word) for word in WORD.findall(text)}


def is_word_char(char: str) -> bool:
    return WORD.fullmatch(char) is not None


def search_index_install(*, schema_editor: Any = None) -> None:
    """Create the index, its triggers (and on PostgreSQL the trigram index when pg_trgm can be
    created here; without it the regular-expression prefilter scans). Idempotent."""
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for statement in POSTGRES_INSTALL:
                cursor.execute(statement)
            try:
                with transaction.atomic(using=conn.alias):
                    for statement in POSTGRES_TRIGRAM:
                        cursor.execute(statement)
            except Exception as exc:  # a server without pg_trgm, or no right to create it
                logger.warning("No trigram index on interview texts (%s)", exc)
        elif conn.vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)


def search_index_uninstall(*, schema_editor: Any) -> None:
    conn = schema_editor.connection
    statements = {"postgresql": POSTGRES_UNINSTALL, "sqlite": SQLITE_UNINSTALL}
    with conn.cursor() as cursor:
        for statement in statements.get(conn.vendor, []):
            cursor.execute(statement)


def search_index_available() -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def search_index_update(*, interview_ids: Iterable[int]) -> int:
    """Index these interviews' current texts; returns how many were indexed.

    The rows are locked while their texts are read and their entries written, so an edit
    committed meanwhile waits, and its trigger then drops the entry written here: the index
    never keeps words of a text that is no longer there."""
    ids = sorted(set(interview_ids))
    if not ids or not search_index_available():
        return 0
    indexed = 0
    for chunk in _chunks(ids, 200):
        with transaction.atomic():
            rows = list(
                Interview.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", "text")
            )
            with connection.cursor() as cursor:
                for pk, text in rows:
                    keys = sorted(word_keys(text))
                    if connection.vendor == "postgresql":
                        size = sum(len(key.encode()) + 8 for key in keys)
                        if size > MAX_TSVECTOR_BYTES:
                            logger.warning("Interview %s has too many words to index", pk)
                            continue
                        cursor.execute(
                            "UPDATE interviews_interview SET search_words = "
                            "array_to_tsvector(%s::text[]) WHERE id = %s",
                            [keys, pk],
                        )
                    else:
                        cursor.execute("DELETE FROM interviews_search WHERE rowid = %s", [pk])
                        cursor.execute(
                            "INSERT INTO interviews_search (rowid, words) VALUES (%s, %s)",
                            [pk, " ".join(keys)],
                        )
                    indexed += 1
    return indexed


def unindexed() -> RawSQL:
    """A condition on interviews (queried from Interview itself): no index entry."""
    if connection.vendor == "postgresql":
        sql = '"interviews_interview"."search_words" IS NULL'
    else:
        sql = '"interviews_interview"."id" NOT IN (SELECT rowid FROM interviews_search)'
    return RawSQL(sql, [], output_field=BooleanField())  # noqa: S611 - constant SQL


def search_index_missing(*, study_id: int) -> int:
    """Index the study's interviews that have no entry (new, or edited since); one query when
    there are none. Returns how many were indexed."""
    if not search_index_available():
        return 0
    ids = list(
        Interview.objects.filter(dyad__study_id=study_id)
        .filter(unindexed())
        .values_list("pk", flat=True)
    )
    return search_index_update(interview_ids=ids) if ids else 0


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def search_triggers_restore(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Django rebuilds a SQLite table to alter it, and the table's triggers go with it: after
    every migrate, put the index's triggers back (once the index exists)."""
    conn = connections[using]
    if conn.vendor != "sqlite" or MIGRATION not in MigrationRecorder(conn).applied_migrations():
        return
    with conn.cursor() as cursor:
        for statement in SQLITE_INSTALL:
            cursor.execute(statement)


def connect(app_config: Any) -> None:
    post_migrate.connect(search_triggers_restore, sender=app_config, dispatch_uid="search-index")
