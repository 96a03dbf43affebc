import json
from datetime import timedelta
from threading import Barrier, Thread

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from ambassadors import services
from ambassadors.models import Ambassador, Certificate, ConsentKind, ConsentRecord
from ambassadors.tokens import make_token, read_token
from tests.ambassadors.factories import (
    AmbassadorFactory,
    CertificateFactory,
    ParticipationFactory,
    UnconfirmedAmbassadorFactory,
)

SIGN_UP = {
    "kind": "citizen",
    "name": "Åse Ørnebjerg 🌻",
    "email": "Aase@Example.dk",
    "postcode": "7000",
}


@pytest.fixture
def sign_up(committed):
    def run(**extra):
        return committed(services.ambassador_sign_up, **{**SIGN_UP, **extra})

    return run


@pytest.fixture
def mails():
    return mail.outbox


def test_sign_up_stores_the_person_unconfirmed_and_mails_a_link(
    sign_up, committed, fredericia, mails
):
    themes = list(fredericia.themes.filter(number__in=[5, 10]))
    ambassador = sign_up(themes=themes, accepts_newsletter=True)
    assert ambassador.confirmed_at is None
    assert ambassador.name == "Åse Ørnebjerg 🌻"
    assert set(ambassador.themes.all()) == set(themes)
    assert not Ambassador.objects.confirmed().exists()
    assert len(mails) == 1
    message = mails[0]
    assert message.to == ["Aase@Example.dk"]
    assert "/ambassadoerer/bekraeft/" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    consents = set(ConsentRecord.objects.values_list("kind", "granted", "text_version"))
    assert consents == {("privacy", True, "2026-11"), ("newsletter", True, "2026-11")}


def test_signing_up_again_makes_no_second_row_and_sends_a_fresh_link(
    sign_up, committed, fredericia, mails
):
    first = sign_up()
    again = sign_up(email="aase@example.DK", name="Åse Ø.")
    assert again.pk == first.pk
    assert Ambassador.objects.count() == 1
    assert again.name == "Åse Ø."
    assert len(mails) == 2 and "/ambassadoerer/bekraeft/" in mails[1].body


def test_signing_up_when_confirmed_sends_a_login_link_instead(
    sign_up, committed, fredericia, mails
):
    ambassador = AmbassadorFactory(email="kendt@example.dk", name="Kendt Person")
    result = sign_up(email="KENDT@example.dk", name="Someone Else")
    assert result.pk == ambassador.pk
    ambassador.refresh_from_db()
    assert ambassador.name == "Kendt Person"  # a stranger cannot change a confirmed profile
    assert "/ambassadoerer/min-side/log-ind/" in mails[-1].body


def test_private_persons_are_never_in_the_directory(sign_up, committed, fredericia):
    ambassador = sign_up(show_in_directory=True, organisation_name="Skjult", website="https://x.dk")
    assert ambassador.show_in_directory is False
    assert ambassador.organisation_name == ""


@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_with_one_address_make_one_row(fredericia):
    workers = 8
    barrier = Barrier(workers)
    errors = []

    def attempt(i):
        try:
            barrier.wait()
            services.ambassador_sign_up(**{**SIGN_UP, "name": f"Person {i}"})
        except Exception as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [Thread(target=attempt, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Ambassador.objects.filter(email__iexact="aase@example.dk").count() == 1


def test_confirm_issues_a_certificate_and_counts(sign_up, committed, fredericia, mails):
    ambassador = sign_up()
    certificate = committed(services.ambassador_confirm, ambassador=ambassador)
    ambassador.refresh_from_db()
    assert ambassador.confirmed_at is not None
    assert Ambassador.objects.confirmed().get() == ambassador
    assert certificate.holder_name == "Åse Ørnebjerg 🌻"
    assert certificate.strategy_name == fredericia.name
    assert certificate.number == f"{timezone.now().year}-00001"
    assert len(certificate.code) == 12
    assert "Velkommen" in mails[-1].subject or "Welcome" in mails[-1].subject
    # confirming twice is harmless
    assert services.ambassador_confirm(ambassador=ambassador) == certificate
    assert Certificate.objects.count() == 1


def test_organisation_certificate_names_the_organisation(fredericia):
    ambassador = UnconfirmedAmbassadorFactory(organisation=True, name="Mette Hansen")
    certificate = services.ambassador_confirm(ambassador=ambassador)
    assert certificate.holder_name == f"{ambassador.organisation_name} (Mette Hansen)"


def test_tokens_expire_are_bound_to_purpose_and_die_with_erasure(db):
    ambassador = AmbassadorFactory()
    token = make_token(ambassador, "login")
    assert read_token(token, "login", timedelta(hours=1)) == ambassador
    assert read_token(token, "confirm", timedelta(hours=1)) is None
    assert read_token(token + "x", "login", timedelta(hours=1)) is None
    assert read_token("garbage", "login", None) is None
    assert read_token(token, "login", timedelta(seconds=-1)) is None
    services.ambassador_erase(ambassador=ambassador)
    assert read_token(token, "login", timedelta(hours=1)) is None


def test_active_and_passive_follow_participation_in_the_last_12_months(db):
    today = timezone.localdate()
    active = AmbassadorFactory()
    ParticipationFactory(ambassador=active, occurred_on=today - timedelta(days=30))
    passive = AmbassadorFactory()
    ParticipationFactory(ambassador=passive, occurred_on=today - timedelta(days=400))
    never = AmbassadorFactory()
    unconfirmed = UnconfirmedAmbassadorFactory()
    ParticipationFactory(ambassador=unconfirmed)
    assert set(Ambassador.objects.active()) == {active}
    assert set(Ambassador.objects.passive()) == {passive, never}
    assert active.state() == "active" and passive.state() == "passive"
    assert unconfirmed.state() == "unconfirmed"


def test_unconfirmed_sign_ups_are_deleted_after_7_days(db):
    now = timezone.now()
    old = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=8))
    fresh = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=6))
    confirmed_old = AmbassadorFactory(created_at=now - timedelta(days=30))
    call_command("delete_unconfirmed_ambassadors")
    remaining = set(Ambassador.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, confirmed_old.pk}
    assert old.pk not in remaining


def test_yearly_reconfirmation_asks_then_lapses_then_brings_back(db, mails, committed):
    now = timezone.now()
    due = AmbassadorFactory(confirmed_at=now - timedelta(days=400))
    recent = AmbassadorFactory(confirmed_at=now - timedelta(days=100))
    asked, lapsed = committed(services.ambassadors_run_reconfirmation, now=now)
    assert (asked, lapsed) == (1, 0)
    assert "/ambassadoerer/forbliv/" in mails[-1].body
    # running again the same day asks nobody twice
    assert services.ambassadors_run_reconfirmation(now=now) == (0, 0)
    # four weeks and a day later, no answer: lapsed, out of counts and mailings
    later = now + timedelta(weeks=4, days=1)
    assert services.ambassadors_run_reconfirmation(now=later) == (0, 1)
    due.refresh_from_db()
    assert due.state() == "lapsed"
    assert due not in Ambassador.objects.confirmed()
    assert due not in Ambassador.objects.newsletter_recipients()
    assert recent in Ambassador.objects.confirmed()
    # one click brings them back
    services.ambassador_reconfirm(ambassador=due)
    due.refresh_from_db()
    assert due.lapsed_at is None and due in Ambassador.objects.confirmed()
    assert services.ambassadors_run_reconfirmation(now=later) == (0, 0)


def test_export_holds_everything_about_the_person(fredericia):
    ambassador = AmbassadorFactory(themes=list(fredericia.themes.all()[:2]), phone="72105000")
    CertificateFactory(ambassador=ambassador)
    ParticipationFactory(ambassador=ambassador)
    services.consent_record(ambassador=ambassador, kind="privacy", granted=True, source="test")
    data = services.ambassador_export(ambassador=ambassador)
    text = json.dumps(data, ensure_ascii=False)
    assert ambassador.email in text and ambassador.name in text and "72105000" in text
    assert len(data["ambassador"]["themes"]) == 2
    assert data["certificates"][0]["number"]
    assert data["consents"][0]["text_version"] == "2026-11"
    assert data["participation"][0]["what"] == "Stormøde"


def all_text_columns_contain(value: str) -> list[str]:
    """Every text column of every table in the database that contains `value`."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1',  # noqa: S608
                [f"%{value}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def test_erasure_leaves_no_trace_of_the_email_anywhere(sign_up, committed, fredericia, mails):
    ambassador = sign_up(email="spor@example.dk", phone="72105000", accepts_newsletter=True)
    services.ambassador_confirm(ambassador=ambassador)
    ParticipationFactory(ambassador=ambassador, description="Stormøde med spor@example.dk")
    ambassador.refresh_from_db()
    ambassador.name = "Nyt Navn"
    ambassador.save()  # a history row with the e-mail
    assert all_text_columns_contain("spor@example.dk")
    services.ambassador_erase(ambassador=ambassador)
    assert all_text_columns_contain("spor@example.dk") == []
    assert all_text_columns_contain("Ørnebjerg") == []
    ambassador.refresh_from_db()
    assert ambassador.erased_at is not None and ambassador.state() == "withdrawn"
    assert not Certificate.objects.valid().exists()
    assert not Ambassador.objects.confirmed().exists()
    assert ConsentRecord.objects.filter(kind=ConsentKind.NEWSLETTER, granted=False).exists()
    # the same address can sign up afresh later
    assert sign_up(email="spor@example.dk").pk != ambassador.pk


def test_newsletter_opt_out_is_recorded(db):
    ambassador = AmbassadorFactory(accepts_newsletter=True)
    services.ambassador_newsletter_opt_out(ambassador=ambassador, source="self-service")
    assert ambassador not in Ambassador.objects.newsletter_recipients()
    record = ambassador.consents.get()
    assert (record.kind, record.granted, record.source) == ("newsletter", False, "self-service")


def test_a_failing_mail_server_loses_no_sign_up(sign_up, committed, fredericia, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenBackend"}}
    ambassador = sign_up()
    assert Ambassador.objects.filter(pk=ambassador.pk).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass
