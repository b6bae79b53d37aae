from django.db import migrations

# ApiToken now belongs to ``healing.tokens`` (the API's authentication reads it on the ground
# floor). State only: the table ``interviews_apitoken`` keeps its rows; tokens 0001 owns it now.


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0002_interview_text_length"),
        ("tokens", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ApiToken")],
        ),
    ]
