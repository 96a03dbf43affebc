import secrets

from django.db import migrations, models

import networks.models

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fill_codes(apps, schema_editor):
    Registration = apps.get_model("networks", "Registration")
    used = set()
    for registration in Registration.objects.filter(checkin_code__isnull=True).only("pk"):
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        Registration.objects.filter(pk=registration.pk).update(checkin_code=code)


class Migration(migrations.Migration):
    dependencies = [("networks", "0004_activity_pictures")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(
                default=networks.models.new_checkin_code,
                editable=False,
                max_length=8,
                unique=True,
                verbose_name="check-in code",
            ),
        ),
    ]
