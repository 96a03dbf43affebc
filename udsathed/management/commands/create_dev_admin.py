import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Development only: create a local administrator with a random password the first time, "
        "and print the log-in once. Does nothing when any superuser exists."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_admin only runs with DEBUG on.")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="admin@localhost", password=password)
        self.stdout.write(
            self.style.WARNING(
                "\n  A local administrator was created for development (shown only this once):\n"
                f"    http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/\n"
                "    username: admin\n"
                f"    password: {password}\n"
            )
        )
