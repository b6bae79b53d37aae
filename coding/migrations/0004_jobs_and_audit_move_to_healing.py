from django.db import migrations

# Job, JobFile and AuditEvent now belong to ``healing.jobs`` and ``healing.audit`` (ground floor).
# State only: their tables keep their names and rows, which the new apps' 0001 now own.


class Migration(migrations.Migration):
    dependencies = [
        ("coding", "0003_adjudication_agreed"),
        ("jobs", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="JobFile"),
                migrations.DeleteModel(name="Job"),
                migrations.DeleteModel(name="AuditEvent"),
            ],
        ),
    ]
