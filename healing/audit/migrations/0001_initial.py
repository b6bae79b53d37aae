import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The model moved here from ``coding``: Django's state learns it, the table
# (``coding_auditevent``) and its rows stay as they are. ``coding`` 0004 forgets it on its side.


def _relabel(apps, schema_editor, old, new, models):
    """Permissions and admin log entries follow the model: its content type changes app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in models:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "coding", "audit", ["auditevent"])


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "audit", "coding", ["auditevent"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("coding", "0003_adjudication_agreed"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("interviews", "0002_interview_text_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(choices=[("create", "Created"), ("update", "Updated"), ("delete", "Deleted"), ("export", "Exported"), ("import", "Imported")], max_length=10)),
                        ("object_type", models.CharField(max_length=40)),
                        ("object_id", models.CharField(blank=True, max_length=64)),
                        ("summary", models.CharField(blank=True, max_length=300)),
                        ("before", models.JSONField(blank=True, null=True)),
                        ("after", models.JSONField(blank=True, null=True)),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("interview", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit_events", to="interviews.interview")),
                        ("study", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="interviews.study")),
                    ],
                    options={
                        "db_table": "coding_auditevent",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["study", "-at"], name="audit_by_study"), models.Index(fields=["interview", "-at"], name="audit_by_interview")],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
