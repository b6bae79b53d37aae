"""The full-text index of interview texts (interviews/search_index.py): on PostgreSQL a tsvector
column with a GIN index, a trigger that drops it when the text changes, and a trigram index for
regular expressions; on SQLite an FTS5 table with the same trigger. Existing texts are indexed."""

from django.db import migrations


def install(apps, schema_editor):
    from interviews.search_index import search_index_install

    search_index_install(schema_editor=schema_editor)
    Interview = apps.get_model("interviews", "Interview")
    ids = list(Interview.objects.using(schema_editor.connection.alias).values_list("pk", flat=True))
    if ids:
        from interviews.search_index import search_index_update

        search_index_update(interview_ids=ids)


def uninstall(apps, schema_editor):
    from interviews.search_index import search_index_uninstall

    search_index_uninstall(schema_editor=schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0008_deidentification"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
