"""Give a staff user a TOTP device for the admin's second factor and print its set-up link."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a TOTP device (authenticator app) for a staff user; prints the otpauth:// link "
        "to enter or turn into a QR code. Existing devices of the user are kept unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="Delete the user's devices")

    def handle(self, *args, username, replace, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff user called {username!r}.")
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
        self.stdout.write(device.config_url)
