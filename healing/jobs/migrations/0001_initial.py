import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import healing.jobs.registry

# The models moved here from ``coding``: Django's state learns them, the tables (``coding_job``,
# ``coding_jobfile``) and their rows stay as they are. ``coding`` 0004 forgets them on its side.


def _relabel(apps, schema_editor, old, new, models):
    """Permissions and admin log entries follow the model: its content type changes app label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in models:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "coding", "jobs", ["job", "jobfile"])


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "jobs", "coding", ["job", "jobfile"])


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
                    name="Job",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=healing.jobs.registry.job_kind_choices, max_length=30)),
                        ("state", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")], default="queued", max_length=10)),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("message", models.CharField(blank=True, max_length=300)),
                        ("params", models.JSONField(blank=True, default=dict)),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("error", models.TextField(blank=True)),
                        ("task_id", models.CharField(blank=True, max_length=64)),
                        ("worker", models.CharField(blank=True, max_length=200)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("started", models.DateTimeField(blank=True, null=True)),
                        ("finished", models.DateTimeField(blank=True, null=True)),
                        ("study", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="jobs", to="interviews.study")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="jobs", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "coding_job",
                        "ordering": ["-created", "-id"],
                        "indexes": [models.Index(fields=["user", "-created"], name="job_by_user"), models.Index(fields=["study", "-created"], name="job_by_study")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("progress__lte", 100)), name="job_progress_percent"), models.CheckConstraint(condition=models.Q(("state__in", ["queued", "running", "succeeded", "failed"])), name="job_state_valid")],
                    },
                ),
                migrations.CreateModel(
                    name="JobFile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("direction", models.CharField(choices=[("input", "Input"), ("output", "Output")], max_length=6)),
                        ("name", models.CharField(max_length=255)),
                        ("content_type", models.CharField(default="application/octet-stream", max_length=120)),
                        ("size", models.PositiveBigIntegerField()),
                        ("data", models.BinaryField()),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("job", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="files", to="jobs.job")),
                    ],
                    options={
                        "db_table": "coding_jobfile",
                        "ordering": ["job", "id"],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
