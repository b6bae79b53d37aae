"""Tokens expire and remember whether they were created from a two-factor sign-in.

Tokens that existed before this migration get an expiry 90 days from the moment it runs.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_expire_in_90_days(apps, schema_editor):
    ApiToken = apps.get_model("tokens", "ApiToken")
    ApiToken.objects.filter(expires__isnull=True).update(
        expires=timezone.now() + dt.timedelta(days=90)
    )


class Migration(migrations.Migration):
    dependencies = [("tokens", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(existing_tokens_expire_in_90_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(
                help_text="After this the token is refused; chosen at creation."
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="two_factor",
            field=models.BooleanField(
                default=False,
                help_text="Created from a two-factor-verified sign-in: opens studies that require it.",
            ),
        ),
    ]
