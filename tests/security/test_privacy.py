"""Privacy items 2-6 and 8: consent records, export, erasure without a trace, retention with time
travel, and the audit trail of staff reads, exports and deletions."""

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador, ConsentRecord
from ambassadors.tokens import make_token
from networks.models import Ball, Registration
from tests.ambassadors.factories import AmbassadorFactory, UnconfirmedAmbassadorFactory
from tests.evaluation.factories import ActivityFactory
from tests.networks.factories import BallFactory
from udsathed.retention import retention_apply

EMAIL = "Slet.Mig.Helt@Example.dk"


def text_columns_containing(needle: str) -> list[str]:
    """Every text, varchar and JSON column of every table in the database holding `needle`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb')"
        )
        columns = cursor.fetchall()
        hits = []
        for table, column in columns:
            # Table and column names come from the catalogue, quoted; the needle is a parameter.
            table, column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            query = f"SELECT 1 FROM {table} WHERE {column}::text ILIKE %s LIMIT 1"  # noqa: S608
            cursor.execute(query, [f"%{needle}%"])
            if cursor.fetchone():
                hits.append(f"{table}.{column}")
    assert len(columns) > 50
    return hits


def sign_up_and_log_in(client):
    response = client.post(
        reverse("ambassadors:ambassador-signup"),
        {
            "kind": "citizen",
            "name": "Sletmig Jensen",
            "email": EMAIL,
            "phone": "22334455",
            "postcode": "7000",
            "accept_privacy": "on",
            "accepts_newsletter": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    ambassador = Ambassador.objects.get(email__iexact=EMAIL)
    client.get(reverse("ambassadors:ambassador-confirm", args=[make_token(ambassador, "confirm")]))
    client.get(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    return ambassador


def test_sign_up_records_what_was_agreed_when_and_where(client, fredericia):
    ambassador = sign_up_and_log_in(client)
    records = ConsentRecord.objects.filter(ambassador=ambassador)
    assert records.filter(granted=True).exists()
    assert all(r.text_version and r.source and r.created_at for r in records)


def test_the_export_holds_everything_and_only_the_persons_data(client, fredericia):
    ambassador = sign_up_and_log_in(client)
    response = client.get(reverse("ambassadors:ambassador-export"))
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert ambassador.email in text and "Sletmig Jensen" in text and "22334455" in text
    assert "consent" in text.lower()


def test_after_erasure_the_email_is_in_no_text_column_of_any_table(
    client, fredericia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ambassador = sign_up_and_log_in(client)
        client.get(reverse("ambassadors:ambassador-self"))
        client.get(reverse("ambassadors:ambassador-export"))
    assert text_columns_containing(EMAIL), "the search must find the e-mail before erasure"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ambassadors:ambassador-withdraw"))
    assert response.status_code in {200, 302}
    assert text_columns_containing(EMAIL) == []
    assert text_columns_containing("Sletmig Jensen") == []
    assert text_columns_containing("22334455") == []
    ambassador.refresh_from_db()
    assert ambassador.erased_at is not None
    # The old magic link and the session both ended.
    assert client.get(reverse("ambassadors:ambassador-self")).status_code == 302


@pytest.fixture
def now():
    return timezone.now()


def test_retention_deletes_unconfirmed_sign_ups_after_seven_days(db, now):
    young = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=6))
    old = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=8))
    confirmed = AmbassadorFactory(created_at=now - timedelta(days=400))
    retention_apply(now=now)
    assert set(Ambassador.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}
    assert not Ambassador.objects.filter(pk=old.pk).exists()


def test_retention_forgets_registration_needs_thirty_days_after_the_activity(db, now):
    past = ActivityFactory(starts_at=now - timedelta(days=32))
    recent = ActivityFactory(starts_at=now - timedelta(days=20))
    for activity in (past, recent):
        Registration.objects.create(
            activity=activity, name="Deltager", email="d@example.dk", needs="Kørestol"
        )
    retention_apply(now=now)
    assert Registration.objects.get(activity=past).needs == ""
    assert Registration.objects.get(activity=recent).needs == "Kørestol"


def test_retention_erases_ball_senders_contact_details_after_the_set_time(db, now, settings):
    settings.RETENTION_BALL_CONTACT_DAYS = 90
    old = BallFactory(state="closed", closed_at=now - timedelta(days=91), contact_name="Ib")
    recent = BallFactory(state="closed", closed_at=now - timedelta(days=89), contact_name="Bo")
    open_ball = BallFactory(contact_name="Al")
    retention_apply(now=now)
    old.refresh_from_db()
    assert (old.contact_email, old.contact_name, old.contact_phone) == ("", "", "")
    assert old.contact_erased_at is not None
    assert Ball.objects.get(pk=recent.pk).contact_email
    assert Ball.objects.get(pk=open_ball.pk).contact_email
    # Time travel: a year on, the recent one has gone the same way.
    retention_apply(now=now + timedelta(days=365))
    assert Ball.objects.get(pk=recent.pk).contact_email == ""


def test_retention_erases_lapsed_ambassadors_after_the_set_time(db, now, settings):
    settings.RETENTION_LAPSED_AMBASSADOR_DAYS = 365
    long_lapsed = AmbassadorFactory(lapsed_at=now - timedelta(days=366))
    lapsed = AmbassadorFactory(lapsed_at=now - timedelta(days=10))
    active = AmbassadorFactory()
    counts = retention_apply(now=now)
    assert counts["lapsed_ambassadors_erased"] == 1
    long_lapsed.refresh_from_db()
    assert long_lapsed.erased_at and long_lapsed.email == ""
    assert Ambassador.objects.get(pk=lapsed.pk).erased_at is None
    assert Ambassador.objects.get(pk=active.pk).erased_at is None


def test_the_apply_retention_command_runs_every_rule(db, capsys):
    UnconfirmedAmbassadorFactory(created_at=timezone.now() - timedelta(days=30))
    call_command("apply_retention")
    out = capsys.readouterr().out
    for rule in [
        "unconfirmed_deleted: 1",
        "registration_needs_forgotten",
        "ball_contacts_erased",
        "lapsed_ambassadors_erased",
    ]:
        assert rule in out


def audit_messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "portal.audit"]


def test_staff_reads_exports_and_deletions_leave_an_audit_trail(project_leader, caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    ambassador = AmbassadorFactory(email="privat@example.dk")
    ball = BallFactory(contact_email="afsender.privat@example.dk")
    client = Client()
    client.force_login(project_leader)
    assert (
        client.get(reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:networks_ball_change", args=[ball.pk])).status_code == 200
    client.post(
        reverse("admin:ambassadors_ambassador_changelist"),
        {"action": "export_csv", "_selected_action": [ambassador.pk]},
    )
    client.post(reverse("admin:networks_ball_delete", args=[ball.pk]), {"post": "yes"})
    messages = audit_messages(caplog)
    joined = "\n".join(messages)
    assert f"view ambassadors.ambassador id={ambassador.pk}" in joined
    assert f"view networks.ball id={ball.pk}" in joined
    assert "export ambassadors.ambassador id= rows=1" in joined
    assert f"delete networks.ball id={ball.pk}" in joined
    assert f"user={project_leader.pk}" in joined and "addr=127.0.0.1" in joined
    assert "privat@example.dk" not in joined
