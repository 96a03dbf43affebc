import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ambassadors import services
from ambassadors.models import Ambassador, Certificate
from ambassadors.tokens import make_token
from tests.ambassadors.factories import (
    AmbassadorFactory,
    CertificateFactory,
    UnconfirmedAmbassadorFactory,
)

SIGNUP_URL = reverse("ambassadors:ambassador-signup")


SELF_URL = reverse("ambassadors:ambassador-self")


def form_data(**extra):
    return {
        "kind": "citizen",
        "name": "Åse Ørnebjerg 🌻",
        "email": "aase@example.dk",
        "postcode": "7000",
        "accept_privacy": "on",
        **extra,
    }


def log_in(client, ambassador):
    response = client.get(
        reverse("ambassadors:ambassador-login", kwargs={"token": make_token(ambassador, "login")})
    )
    assert response.status_code == 302
    return client


def test_just_confirmed_ambassador_is_new_not_passive_on_min_side(client, fredericia):
    ambassador = AmbassadorFactory(confirmed_at=None, last_confirmed_at=None)
    services.ambassador_confirm(ambassador=ambassador)
    ambassador.refresh_from_db()
    html = log_in(client, ambassador).get(reverse("ambassadors:ambassador-self")).text
    assert "Passiv" not in html
    assert "Ny ambassadør" in html
    # The counts keep their definition: a new ambassador without participation is passive.
    assert Ambassador.objects.passive().filter(pk=ambassador.pk).exists()


def test_sign_up_page_explains_the_role_and_links_privacy(client, fredericia):
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    assert "ambassadors/ambassador_form.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "forpligter dig ikke til noget" in html
    assert reverse("privacy") in html
    assert "Vi vil have mere frivillighed" in html  # themes to choose from
    assert 'name="homepage"' in html


def test_sign_up_flow_creates_one_unconfirmed_row_and_mails_a_link(
    client, fredericia, django_capture_on_commit_callbacks
):
    theme = fredericia.themes.get(number=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, form_data(themes=[theme.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("ambassadors:ambassador-signup-done")
    ambassador = Ambassador.objects.get()
    assert ambassador.name == "Åse Ørnebjerg 🌻" and ambassador.confirmed_at is None
    assert list(ambassador.themes.all()) == [theme]
    assert len(mail.outbox) == 1


def test_same_message_for_a_known_address(client, fredericia):
    AmbassadorFactory(email="aase@example.dk")
    response = client.post(SIGNUP_URL, form_data(email="AASE@example.dk"))
    assert response["Location"] == reverse("ambassadors:ambassador-signup-done")
    assert Ambassador.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Dette felt er påkrævet"),
        ("name", "<script>alert(1)</script>", "uden HTML"),
        ("name", "x" * 121, "højst have 120 tegn"),
        ("name", "Ny\x07linje", "kontroltegn"),
        ("name", "Null\x00byte", "Null-tegn"),
        # Django's own Danish or, with Django REST framework installed, its wording for the message.
        ("email", "ikke-en-adresse", "gyldig e-mail"),
        ("phone", "12345", "dansk telefonnummer"),
        ("postcode", "70a0", "4 cifre"),
        ("kind", "alien", "Marker en gyldig valgmulighed"),
        ("accept_privacy", "", "privatlivspolitikken"),
        ("themes", "999999", "Marker en gyldig valgmulighed"),
    ],
)
def test_bad_input_gets_a_clear_danish_message_and_saves_nothing(
    client, fredericia, field, value, message
):
    response = client.post(SIGNUP_URL, form_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert not Ambassador.objects.exists()


def test_organisations_must_name_the_organisation(client, fredericia):
    response = client.post(SIGNUP_URL, form_data(kind="association"))
    assert "Skriv navnet på foreningen" in response.content.decode()
    assert not Ambassador.objects.exists()


def test_honeypot_pretends_success_and_saves_nothing(client, fredericia):
    response = client.post(SIGNUP_URL, form_data(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Ambassador.objects.exists()
    assert mail.outbox == []


def test_sign_up_is_rate_limited_per_email(client, fredericia):
    for i in range(5):
        assert client.post(SIGNUP_URL, form_data(name=f"Person {i}")).status_code == 302
    response = client.post(SIGNUP_URL, form_data(name="Person 6"))
    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()


def test_sign_up_is_rate_limited_per_address(client, fredericia):
    for i in range(20):
        client.post(SIGNUP_URL, form_data(email=f"p{i}@example.dk"))
    before = Ambassador.objects.count()
    response = client.post(SIGNUP_URL, form_data(email="one-more@example.dk"))
    assert response.status_code == 429
    assert Ambassador.objects.count() == before


def test_csrf_is_required(fredericia):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP_URL, form_data())
    assert response.status_code == 403
    assert not Ambassador.objects.exists()


def test_confirmation_link_shows_a_button_and_post_confirms(client, fredericia):
    ambassador = UnconfirmedAmbassadorFactory()
    url = reverse(
        "ambassadors:ambassador-confirm", kwargs={"token": make_token(ambassador, "confirm")}
    )
    response = client.get(url)
    assert response.status_code == 200
    ambassador.refresh_from_db()
    assert ambassador.confirmed_at is None  # a mail scanner's GET confirms nothing
    response = client.post(url)
    assert response["Location"] == SELF_URL
    ambassador.refresh_from_db()
    assert ambassador.confirmed_at is not None
    assert Certificate.objects.filter(ambassador=ambassador).exists()
    assert client.get(SELF_URL).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "x:y:z"])
def test_bad_links_get_a_friendly_page(client, db, token):
    response = client.get(reverse("ambassadors:ambassador-confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "Linket virker ikke" in response.content.decode()


def test_self_service_needs_a_link(client, db):
    response = client.get(SELF_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("ambassadors:login-request")


def test_login_request_answers_the_same_for_known_and_unknown(
    client, fredericia, django_capture_on_commit_callbacks
):
    AmbassadorFactory(email="kendt@example.dk")
    url = reverse("ambassadors:login-request")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "KENDT@example.dk"}).content.decode()
        unknown = client.post(url, {"email": "ukendt@example.dk"}).content.decode()
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kendt@example.dk"]


def test_self_service_page_is_personal_and_not_cached(client, fredericia):
    ambassador = AmbassadorFactory(name="Karen Blixen")
    CertificateFactory(ambassador=ambassador)
    log_in(client, ambassador)
    response = client.get(SELF_URL)
    assert "Karen Blixen" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_ambassador_edits_details_and_interests(client, fredericia):
    ambassador = AmbassadorFactory(accepts_newsletter=True)
    log_in(client, ambassador)
    theme = fredericia.themes.get(number=3)
    response = client.post(
        SELF_URL,
        {
            "kind": "citizen",
            "name": "Nyt Navn",
            "postcode": "7080",
            "language": "en",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert (ambassador.name, ambassador.postcode, ambassador.language) == ("Nyt Navn", "7080", "en")
    assert list(ambassador.themes.all()) == [theme]
    assert ambassador.accepts_newsletter is False
    assert ambassador.consents.filter(kind="newsletter", granted=False).exists()
    assert ambassador.history.count() >= 2


def test_certificate_download_and_data_export(client, fredericia):
    ambassador = AmbassadorFactory(name="Bo Ærø")
    CertificateFactory(ambassador=ambassador, holder_name="Bo Ærø")
    log_in(client, ambassador)
    pdf = client.get(reverse("ambassadors:certificate-download"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    export = client.get(reverse("ambassadors:ambassador-export"))
    data = json.loads(export.content)
    assert data["ambassador"]["email"] == ambassador.email
    assert "no-store" in export["Cache-Control"]


def test_withdraw_erases_and_logs_out(client, fredericia):
    ambassador = AmbassadorFactory(organisation=True)
    certificate = CertificateFactory(ambassador=ambassador)
    log_in(client, ambassador)
    assert client.get(reverse("ambassadors:ambassador-withdraw")).status_code == 200
    response = client.post(reverse("ambassadors:ambassador-withdraw"))
    assert "Du er meldt ud" in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.erased_at and ambassador.email == ""
    assert client.get(SELF_URL).status_code == 302
    html = client.get(reverse("ambassadors:ambassador-list")).content.decode()
    assert "Foreningen Fællesskab" not in html
    verify = client.get(certificate.get_absolute_url()).content.decode()
    assert "ikke længere gyldigt" in verify


def test_directory_lists_consenting_organisations_with_filters(
    client, fredericia, django_assert_max_num_queries
):
    bolig = fredericia.core_areas.get(slug="bolig")
    theme = fredericia.themes.get(number=2)
    AmbassadorFactory(
        organisation=True, organisation_name="Byens Værested", themes=[theme], core_areas=[bolig]
    )
    AmbassadorFactory(
        organisation=True, organisation_name="Hemmelig Forening", show_in_directory=False
    )
    AmbassadorFactory(name="Privat Person")
    UnconfirmedAmbassadorFactory(organisation=True, organisation_name="Ubekræftet")
    for i in range(40):
        AmbassadorFactory(organisation=True, organisation_name=f"Forening {i:02d}", themes=[theme])
    url = reverse("ambassadors:ambassador-list")
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert "Hemmelig Forening" not in html and "Privat Person" not in html
    assert "Ubekræftet" not in html
    assert "41 organisationer fundet" in html
    assert "side=2" in html
    html = client.get(url, {"q": "værested"}).content.decode()
    assert "Byens Værested" in html and "Forening 01" not in html
    html = client.get(url, {"core_area": bolig.pk}).content.decode()
    assert "Byens Værested" in html and "1 organisation fundet" in html
    html = client.get(url, {"theme": theme.pk, "kind": "association", "side": "2"}).content.decode()
    assert "Forening" in html
    assert client.get(url, {"theme": "x", "side": "999"}).status_code == 200
