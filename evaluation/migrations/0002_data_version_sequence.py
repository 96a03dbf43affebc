from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_goals_indicators_rounds")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS portal_data_version",
            "DROP SEQUENCE IF EXISTS portal_data_version",
        )
    ]
