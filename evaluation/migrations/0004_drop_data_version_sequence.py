"""The data version and its sequence are gone: cached figures expire by time instead."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_cpr_masked_text_fields")]

    operations = [
        migrations.RunSQL(
            "DROP SEQUENCE IF EXISTS portal_data_version",
            "CREATE SEQUENCE IF NOT EXISTS portal_data_version",
        )
    ]
