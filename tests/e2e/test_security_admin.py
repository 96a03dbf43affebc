"""Axe beyond the main sweep: the admin pages of personal data, the second-factor log-in and the
lock-out page, in Chromium."""

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import assert_accessible, assert_no_console_errors
from tests.factories import UserFactory

PASSWORD = "en-lang-og-sikker-adgangskode"


def log_in(page, username, password, token=None):
    page.goto("/admin/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    if token is not None:
        page.locator("[name=otp_token]").fill(token)
    page.locator("form [type=submit]").last.click()


@pytest.fixture
def superuser_page(page, strategy):
    call_command("seed_demo", "--force", verbosity=0)
    UserFactory(username="chef", is_staff=True, is_superuser=True, password=PASSWORD)
    log_in(page, "chef", PASSWORD)
    page.wait_for_url("**/admin/")
    return page


PERSONAL_DATA_PAGES = [
    "/admin/ambassadors/consentrecord/",
    "/admin/ambassadors/participation/",
    "/admin/ambassadors/certificate/",
    "/admin/networks/registration/",
    "/admin/networks/membership/",
    "/admin/networks/invitation/",
    "/admin/evaluation/evaluationround/",
    "/admin/otp_totp/totpdevice/",
    "/admin/axes/accessattempt/",
]


def test_admin_pages_of_personal_data_are_accessible(superuser_page):
    from ambassadors.models import Ambassador
    from networks.models import Ball

    page = superuser_page
    paths = [
        *PERSONAL_DATA_PAGES,
        f"/admin/ambassadors/ambassador/{Ambassador.objects.first().pk}/change/",
        f"/admin/networks/ball/{Ball.objects.first().pk}/change/",
    ]
    for path in paths:
        page.goto(path)
        assert_accessible(page, path)
    assert_no_console_errors(page)


def test_second_factor_log_in_and_lock_out_pages_are_accessible(page, strategy, settings):
    settings.STAFF_REQUIRE_2FA = True
    user = UserFactory(username="leder", is_staff=True, password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    page.goto("/admin/login/")
    assert page.locator("[name=otp_token]").count() == 1
    assert_accessible(page, "2FA log-in")
    # Logging in with a token is proved in tests/security/test_staff_login.py.
    for _ in range(5):
        log_in(page, "leder", "forkert", "000000")
    assert "15 minutter" in page.content()
    assert_accessible(page, "lock-out page")
