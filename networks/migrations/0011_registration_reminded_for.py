from datetime import UTC

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncMinute


def reminded_of_current_start(apps, schema_editor):
    """Places already reminded count as reminded of their activity's start as it is now, so the
    new per-start rule sends no one a second reminder on the day it is deployed."""
    Activity = apps.get_model("networks", "Activity")
    Registration = apps.get_model("networks", "Registration")
    start = Activity.objects.filter(pk=OuterRef("activity_id")).values(
        minute=TruncMinute("starts_at", tzinfo=UTC)
    )[:1]
    Registration.objects.filter(reminded_at__isnull=False).update(reminded_for=Subquery(start))


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0010_ball_form_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="reminded_for",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="The start time the last reminder (or confirmation) told this person.",
                null=True,
                verbose_name="reminded of the start",
            ),
        ),
        migrations.RunPython(reminded_of_current_start, migrations.RunPython.noop),
    ]
