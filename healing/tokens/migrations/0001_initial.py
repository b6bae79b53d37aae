import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The model moved here from ``interviews`` (the API's authentication, on the ground floor, reads
# it): Django's state learns it, the table (``interviews_apitoken``) and its rows stay as they are.
# ``interviews`` 0003 forgets it on its side.


def _relabel(apps, schema_editor, old, new, models):
    """Permissions and admin log entries follow the model: its content type changes app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in models:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "interviews", "tokens", ["apitoken"])


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "tokens", "interviews", ["apitoken"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("interviews", "0002_interview_text_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100)),
                        ("prefix", models.CharField(help_text="First characters, to tell tokens apart.", max_length=12)),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("last_used", models.DateTimeField(blank=True, null=True)),
                        ("revoked", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "interviews_apitoken",
                        "ordering": ["-created"],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("revoked__isnull", True)), fields=("user", "name"), name="api_token_name_unique_while_active")],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
